package dev.ferry.pipeline.decode;

/**
 * A schema as the Schema Registry holds it.
 *
 * @param id the registry's id of the schema
 * @param type {@code "AVRO"}, {@code "JSON"} or {@code "PROTOBUF"}
 * @param text the schema itself (Avro JSON for {@code AVRO})
 */
public record RegisteredSchema(int id, String type, String text) {}
