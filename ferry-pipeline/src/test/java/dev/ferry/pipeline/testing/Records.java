package dev.ferry.pipeline.testing;

import dev.ferry.pipeline.record.PipelineRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Short ways to build {@link PipelineRecord}s in tests. */
public final class Records {
  private Records() {}

  /** A record with a UTF-8 value, no timestamp and no headers. */
  public static PipelineRecord record(
      String topic, int partition, long offset, String key, String value) {
    return record(topic, partition, offset, -1, key, value, List.of());
  }

  /** A record with a UTF-8 value (null for a tombstone). */
  public static PipelineRecord record(
      String topic,
      int partition,
      long offset,
      long timestamp,
      String key,
      String value,
      List<Map.Entry<String, String>> headers) {
    return new PipelineRecord(
        topic,
        partition,
        offset,
        timestamp,
        key,
        value == null ? null : value.getBytes(StandardCharsets.UTF_8),
        headers,
        null);
  }

  /** A record without a value. */
  public static PipelineRecord tombstone(String topic, int partition, long offset, String key) {
    return record(topic, partition, offset, -1, key, null, List.of());
  }

  /** A record whose value is these exact bytes. */
  public static PipelineRecord withBytes(String topic, int partition, long offset, byte[] value) {
    return new PipelineRecord(topic, partition, offset, -1, null, value, List.of(), null);
  }
}
