package dev.ferry.pipeline.decode;

/** Where Avro schemas come from, by Schema Registry id. Implementations cache. */
public interface SchemaSource {

  /**
   * The schema's text (Avro JSON) and its type ({@code "AVRO"}, {@code "JSON"}, {@code
   * "PROTOBUF"}).
   *
   * @throws DecodeException when the schema is unknown (not retriable) or cannot be fetched now
   *     (retriable)
   */
  RegisteredSchema schema(int id) throws DecodeException;
}
