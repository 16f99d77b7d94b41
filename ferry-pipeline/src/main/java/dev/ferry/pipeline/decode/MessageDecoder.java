package dev.ferry.pipeline.decode;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a Kafka record value into JSON, detecting its format per message:
 *
 * <ol>
 *   <li>Schema Registry wire format (magic byte 0, a 4-byte big-endian schema id, the payload): a
 *       JSON object or array payload is unwrapped as is; otherwise the schema is fetched and an
 *       Avro payload is decoded into plain JSON.
 *   <li>JSON, when the value parses as JSON. A value that starts with a brace or a bracket but does
 *       not parse fails.
 *   <li>UTF-8 text, as a JSON string; anything else fails.
 * </ol>
 *
 * <p>Thread-safe: called from several delivery threads.
 */
public final class MessageDecoder {
  private static final byte MAGIC = 0;
  private static final int HEADER = 5;

  private final SchemaSource schemas;
  private final Map<Integer, AvroReader> readers = new ConcurrentHashMap<>();

  /**
   * @param schemas where schemas come from, or null when no schema registry is configured
   */
  public MessageDecoder(SchemaSource schemas) {
    this.schemas = schemas;
  }

  /**
   * Decodes a record value (never null: tombstones are handled elsewhere).
   *
   * @throws DecodeException when the value cannot be decoded; see {@link
   *     DecodeException#retriable()}
   */
  public JsonNode decode(byte[] value) throws DecodeException {
    Objects.requireNonNull(value, "value");
    if (value.length >= HEADER && value[0] == MAGIC) {
      return framed(ByteBuffer.wrap(value, 1, 4).getInt(), value);
    }
    return JsonOrText.decode(value);
  }

  private JsonNode framed(int id, byte[] value) throws DecodeException {
    JsonNode json = JsonOrText.objectOrArrayAt(value, HEADER);
    if (json != null) {
      return json;
    }
    AvroReader reader = readers.get(id);
    if (reader != null) {
      return reader.read(value, HEADER);
    }
    RegisteredSchema schema = registered(id);
    String type = schema.type() == null ? "AVRO" : schema.type().toUpperCase(Locale.ROOT);
    switch (type) {
      case "AVRO":
        AvroReader parsed = AvroReader.of(schema);
        AvroReader raced = readers.putIfAbsent(id, parsed);
        return (raced != null ? raced : parsed).read(value, HEADER);
      case "JSON":
        return JsonOrText.jsonAt(value, HEADER, "the payload of JSON Schema id " + id);
      case "PROTOBUF":
        throw new DecodeException(
            "schema id "
                + id
                + " is a Protobuf schema, and Protobuf is not supported yet: produce these records"
                + " as Avro or JSON",
            false);
      default:
        throw new DecodeException(
            "schema id " + id + " has schema type " + type + ", which Ferry cannot decode", false);
    }
  }

  private RegisteredSchema registered(int id) throws DecodeException {
    if (schemas == null) {
      throw new DecodeException(
          "the value is in the Schema Registry wire format (schema id "
              + id
              + ") but no schema registry is configured: set schema.registry.url",
          false);
    }
    return schemas.schema(id);
  }
}
