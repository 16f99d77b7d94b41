package dev.ferry.pipeline.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.ferry.pipeline.decode.MessageDecoder;
import dev.ferry.pipeline.decode.RegisteredSchema;
import dev.ferry.pipeline.map.Mapper;
import dev.ferry.pipeline.map.Mappers;
import dev.ferry.pipeline.map.MappingException;
import dev.ferry.pipeline.map.MappingLanguage;
import dev.ferry.pipeline.map.MessageMeta;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The catalog examples in examples/catalog (see docs/catalog-guide.md): decoded as Ferry decodes
 * them, both mappings turn every line of products.ndjson into exactly the entities on the same line
 * of expected-entities.ndjson, and so they do for the same products written as Schema Registry
 * framed Avro with product.avsc.
 */
class CatalogExamplesTest {

  private static final Path EXAMPLES =
      Path.of("").toAbsolutePath().getParent().resolve("examples/catalog");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SCHEMA_ID = 42;

  private static Mapper mapper(MappingLanguage language) throws Exception {
    String file = language == MappingLanguage.JSONATA ? "mapping.jsonata" : "mapping.js";
    return Mappers.create(language, "file:" + EXAMPLES.resolve(file), Duration.ofSeconds(5));
  }

  private static List<String> lines(String file) throws IOException {
    return Files.readAllLines(EXAMPLES.resolve(file)).stream().filter(l -> !l.isBlank()).toList();
  }

  /** Maps each message as Ferry would (key = sku) and checks the JSON it yields, byte for byte. */
  private static void assertMapsToExpected(MappingLanguage language, List<JsonNode> messages)
      throws Exception {
    List<String> expected = lines("expected-entities.ndjson");
    assertThat(messages).hasSameSizeAs(expected);
    SoftAssertions softly = new SoftAssertions();
    try (Mapper mapper = mapper(language)) {
      for (int i = 0; i < messages.size(); i++) {
        JsonNode message = messages.get(i);
        MessageMeta meta =
            new MessageMeta(
                "catalog-products",
                0,
                i,
                message.path("sku").asText(),
                1_795_000_000_000L + i,
                Map.of());
        ArrayNode actual = JSON.createArrayNode().addAll(mapper.map(message, meta));
        softly
            .assertThat(JSON.writeValueAsString(actual))
            .as("%s, line %d of products.ndjson", language, i + 1)
            .isEqualTo(JSON.writeValueAsString(JSON.readTree(expected.get(i))));
      }
    }
    softly.assertAll();
  }

  @ParameterizedTest
  @EnumSource(MappingLanguage.class)
  void mapsEveryProductLineToTheExpectedEntities(MappingLanguage language) throws Exception {
    MessageDecoder decoder = new MessageDecoder(null);
    List<JsonNode> messages = new ArrayList<>();
    for (String line : lines("products.ndjson")) {
      messages.add(decoder.decode(line.getBytes(StandardCharsets.UTF_8)));
    }

    assertMapsToExpected(language, messages);
  }

  @ParameterizedTest
  @EnumSource(MappingLanguage.class)
  void avroWrittenProductsMapToTheSameEntities(MappingLanguage language) throws Exception {
    String schemaText = Files.readString(EXAMPLES.resolve("product.avsc"));
    Schema schema = new Schema.Parser().parse(schemaText);
    MessageDecoder decoder = new MessageDecoder(id -> new RegisteredSchema(id, "AVRO", schemaText));
    List<JsonNode> messages = new ArrayList<>();
    for (String line : lines("products.ndjson")) {
      GenericRecord product = (GenericRecord) toAvro(schema, JSON.readTree(line), "$");
      // Decoded, the Avro record carries null for each absent optional field and its defaults.
      messages.add(decoder.decode(confluentFramed(SCHEMA_ID, schema, product)));
    }

    assertMapsToExpected(language, messages);
  }

  @ParameterizedTest
  @EnumSource(MappingLanguage.class)
  void aMessageWithoutSkuFailsSoItIsDeadLettered(MappingLanguage language) throws Exception {
    try (Mapper mapper = mapper(language)) {
      MessageMeta meta = new MessageMeta("catalog-products", 0, 0L, "P-9999", 0L, Map.of());

      assertThatThrownBy(() -> mapper.map(JSON.readTree("{\"title\":\"no sku\"}"), meta))
          .isInstanceOf(MappingException.class)
          .hasMessageContaining("product message without a sku");
    }
  }

  /** What Confluent's Avro serializer writes: magic byte 0, the schema id, the binary datum. */
  private static byte[] confluentFramed(int schemaId, Schema schema, GenericRecord record)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(0);
    bytes.write(ByteBuffer.allocate(4).putInt(schemaId).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
    new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
    encoder.flush();
    return bytes.toByteArray();
  }

  /** Plain JSON to an Avro datum of the schema; fails on anything the schema does not allow. */
  private static Object toAvro(Schema schema, JsonNode json, String path) {
    switch (schema.getType()) {
      case RECORD -> {
        assertThat(json.isObject()).as("%s is an object", path).isTrue();
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
          String name = names.next();
          assertThat(schema.getField(name)).as("%s.%s is in the schema", path, name).isNotNull();
        }
        GenericRecordBuilder builder = new GenericRecordBuilder(schema);
        for (Schema.Field field : schema.getFields()) {
          if (json.has(field.name())) {
            builder.set(
                field, toAvro(field.schema(), json.get(field.name()), path + "." + field.name()));
          }
        }
        return builder.build(); // fills defaults, fails on a missing field without one
      }
      case ARRAY -> {
        assertThat(json.isArray()).as("%s is an array", path).isTrue();
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < json.size(); i++) {
          items.add(toAvro(schema.getElementType(), json.get(i), path + "[" + i + "]"));
        }
        return new GenericData.Array<>(schema, items);
      }
      case UNION -> {
        if (json.isNull()) {
          assertThat(schema.getIndexNamed("null")).as("%s may be null", path).isNotNull();
          return null;
        }
        Schema branch =
            schema.getTypes().stream()
                .filter(s -> s.getType() != Schema.Type.NULL)
                .findFirst()
                .orElseThrow();
        return toAvro(branch, json, path);
      }
      case STRING -> {
        assertThat(json.isTextual()).as("%s is a string", path).isTrue();
        return json.textValue();
      }
      case DOUBLE -> {
        assertThat(json.isNumber()).as("%s is a number", path).isTrue();
        return json.doubleValue();
      }
      case INT -> {
        assertThat(json.canConvertToInt() && json.isIntegralNumber())
            .as("%s is an int", path)
            .isTrue();
        return json.intValue();
      }
      case BOOLEAN -> {
        assertThat(json.isBoolean()).as("%s is a boolean", path).isTrue();
        return json.booleanValue();
      }
      default -> throw new AssertionError(path + ": type " + schema.getType() + " not expected");
    }
  }
}
