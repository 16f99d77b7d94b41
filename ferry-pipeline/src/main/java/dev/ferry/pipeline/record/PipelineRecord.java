package dev.ferry.pipeline.record;

import java.util.List;
import java.util.Map;

/**
 * One record on its way to the target, free of any Kafka Connect type.
 *
 * @param timestamp the record's timestamp in epoch milliseconds, or -1 when it has none
 * @param key the key as text, or null
 * @param value the value's bytes as they will be sent, or null for a tombstone
 * @param headers the record's headers as text, in order
 * @param origin the record this came from, handed back on failure (e.g. for dead-lettering)
 */
public record PipelineRecord(
    String topic,
    int partition,
    long offset,
    long timestamp,
    String key,
    byte[] value,
    List<Map.Entry<String, String>> headers,
    Object origin) {

  public boolean isTombstone() {
    return value == null;
  }

  /** Where the record came from, for messages: {@code topic/partition@offset}. */
  public String position() {
    return topic + "/" + partition + "@" + offset;
  }

  /** The last value of a header, or null. */
  public String header(String name) {
    String found = null;
    for (Map.Entry<String, String> h : headers) {
      if (h.getKey().equalsIgnoreCase(name)) {
        found = h.getValue();
      }
    }
    return found;
  }

  public int size() {
    return value == null ? 0 : value.length;
  }
}
