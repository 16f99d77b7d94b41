package dev.ferry.connect.sink.convert;

import dev.ferry.pipeline.record.PipelineRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Turns a Connect record into a {@link PipelineRecord}. Bytes and strings pass through untouched;
 * structured values (maps, lists, structs from Avro or JSON with schema) become plain JSON through
 * Connect's own JSON converter, never {@code Struct{...}} text.
 */
public final class RecordConverter {
  private final JsonConverter json = new JsonConverter();

  public RecordConverter() {
    json.configure(
        Map.of(
            JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false",
            JsonConverterConfig.DECIMAL_FORMAT_CONFIG, "NUMERIC"),
        false);
  }

  public PipelineRecord convert(SinkRecord r) {
    return new PipelineRecord(
        r.topic(),
        r.kafkaPartition() == null ? 0 : r.kafkaPartition(),
        r.kafkaOffset(),
        r.timestamp() == null ? -1 : r.timestamp(),
        text(r.topic(), r.keySchema(), r.key()),
        bytes(r.topic(), r.valueSchema(), r.value()),
        headers(r),
        r);
  }

  private byte[] bytes(String topic, Schema schema, Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof byte[] b) {
      return b;
    }
    if (value instanceof ByteBuffer buffer) {
      byte[] b = new byte[buffer.remaining()];
      buffer.duplicate().get(b);
      return b;
    }
    if (value instanceof String s) {
      return s.getBytes(StandardCharsets.UTF_8);
    }
    return json.fromConnectData(topic, schema, value);
  }

  private String text(String topic, Schema schema, Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    return new String(bytes(topic, schema, value), StandardCharsets.UTF_8);
  }

  private List<Map.Entry<String, String>> headers(SinkRecord r) {
    if (r.headers() == null || r.headers().isEmpty()) {
      return List.of();
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (Header h : r.headers()) {
      String value = text(r.topic(), h.schema(), h.value());
      headers.add(Map.entry(h.key(), value == null ? "" : value));
    }
    return headers;
  }
}
