package dev.ferry.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Builds Kafka record values in the Schema Registry wire format: magic byte 0, a 4-byte big-endian
 * schema id, then the payload. {@link #encode} writes plain JSON, as a person writes it (no {@code
 * {"string": ...}} union wrappers), as Avro binary.
 */
public final class AvroFrames {
  private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

  private AvroFrames() {}

  /** The magic byte 0, {@code schemaId} in 4 bytes big-endian, then {@code payload}. */
  public static byte[] frame(int schemaId, byte[] payload) {
    return ByteBuffer.allocate(5 + payload.length)
        .put((byte) 0)
        .putInt(schemaId)
        .put(payload)
        .array();
  }

  /** {@code frame(schemaId, encode(schema, plainJson))}. */
  public static byte[] frameJson(int schemaId, Schema schema, JsonNode plainJson) {
    return frame(schemaId, encode(schema, plainJson));
  }

  /**
   * Writes plain JSON as Avro binary following {@code schema}: objects as records (a missing field
   * takes its default, or null when nullable), a union takes the first branch the value fits, text
   * as strings and enum symbols, base64 text as bytes and fixed, numbers as decimals.
   *
   * @throws IllegalArgumentException naming the field path ({@code $.lines[2].sku}) when the JSON
   *     does not fit the schema
   */
  public static byte[] encode(Schema schema, JsonNode plainJson) {
    Object datum = datum(schema, plainJson, "$");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    try {
      new GenericDatumWriter<>(schema).write(datum, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static Object datum(Schema schema, JsonNode json, String path) {
    JsonNode value = json == null ? NullNode.getInstance() : json;
    switch (schema.getType()) {
      case RECORD:
        return record(schema, expect(value, value.isObject(), schema, path), path);
      case UNION:
        return union(schema, value, path);
      case ENUM:
        expect(value, value.isTextual() && schema.hasEnumSymbol(value.asText()), schema, path);
        return new GenericData.EnumSymbol(schema, value.asText());
      case STRING:
        return expect(value, value.isTextual(), schema, path).asText();
      case BYTES:
        return ByteBuffer.wrap(bytes(schema, value, path));
      case FIXED:
        byte[] fixed = bytes(schema, value, path);
        if (fixed.length != schema.getFixedSize()) {
          throw mismatch(path, schema, fixed.length + " bytes");
        }
        return new GenericData.Fixed(schema, fixed);
      case INT:
        return expect(value, value.isIntegralNumber() && value.canConvertToInt(), schema, path)
            .intValue();
      case LONG:
        return expect(value, value.isIntegralNumber() && value.canConvertToLong(), schema, path)
            .longValue();
      case FLOAT:
        return expect(value, value.isNumber(), schema, path).floatValue();
      case DOUBLE:
        return expect(value, value.isNumber(), schema, path).doubleValue();
      case BOOLEAN:
        return expect(value, value.isBoolean(), schema, path).booleanValue();
      case NULL:
        expect(value, value.isNull(), schema, path);
        return null;
      case ARRAY:
        List<Object> items = new ArrayList<>();
        expect(value, value.isArray(), schema, path);
        for (int i = 0; i < value.size(); i++) {
          items.add(datum(schema.getElementType(), value.get(i), path + "[" + i + "]"));
        }
        return new GenericData.Array<>(schema, items);
      case MAP:
        Map<String, Object> map = new LinkedHashMap<>();
        expect(value, value.isObject(), schema, path);
        for (Map.Entry<String, JsonNode> e : value.properties()) {
          map.put(e.getKey(), datum(schema.getValueType(), e.getValue(), path + "." + e.getKey()));
        }
        return map;
    }
    throw new IllegalArgumentException("at " + path + ": unknown Avro type " + schema.getType());
  }

  private static GenericData.Record record(Schema schema, JsonNode object, String path) {
    GenericData.Record record = new GenericData.Record(schema);
    for (Schema.Field field : schema.getFields()) {
      JsonNode value = object.get(field.name());
      String at = path + "." + field.name();
      if (value == null && field.hasDefaultValue()) {
        record.put(field.pos(), GenericData.get().getDefaultValue(field));
      } else if (value == null && !field.schema().isNullable()) {
        throw new IllegalArgumentException("at " + at + ": missing, and the field has no default");
      } else {
        record.put(field.pos(), datum(field.schema(), value, at));
      }
    }
    return record;
  }

  private static Object union(Schema schema, JsonNode value, String path) {
    IllegalArgumentException deeper = null;
    for (Schema branch : schema.getTypes()) {
      try {
        return datum(branch, value, path);
      } catch (IllegalArgumentException doesNotFit) {
        // A failure inside the value (a record's field) says more than "no branch fits".
        if (deeper == null && !doesNotFit.getMessage().startsWith("at " + path + ": ")) {
          deeper = doesNotFit;
        }
      }
    }
    throw deeper != null ? deeper : mismatch(path, schema, describe(value));
  }

  private static byte[] bytes(Schema schema, JsonNode value, String path) {
    if (schema.getLogicalType() instanceof LogicalTypes.Decimal decimal) {
      expect(value, value.isNumber(), schema, path);
      BigDecimal exact;
      try {
        exact = value.decimalValue().setScale(decimal.getScale(), RoundingMode.UNNECESSARY);
      } catch (ArithmeticException e) {
        throw mismatch(path, schema, "a number with more than " + decimal.getScale() + " decimals");
      }
      ByteBuffer buffer =
          schema.getType() == Schema.Type.FIXED
              ? ByteBuffer.wrap(DECIMALS.toFixed(exact, schema, decimal).bytes())
              : DECIMALS.toBytes(exact, schema, decimal);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    }
    expect(value, value.isTextual(), schema, path);
    try {
      return Base64.getDecoder().decode(value.asText());
    } catch (IllegalArgumentException e) {
      throw mismatch(path, schema, "text that is not base64");
    }
  }

  private static JsonNode expect(JsonNode value, boolean fits, Schema schema, String path) {
    if (!fits) {
      throw mismatch(path, schema, describe(value));
    }
    return value;
  }

  private static IllegalArgumentException mismatch(String path, Schema schema, String found) {
    String expected =
        schema.getType() == Schema.Type.UNION
            ? "one of " + schema.getTypes().stream().map(AvroFrames::name).toList()
            : name(schema);
    return new IllegalArgumentException(
        "at " + path + ": expected " + expected + ", found " + found);
  }

  private static String name(Schema schema) {
    return schema.getLogicalType() != null
        ? schema.getLogicalType().getName()
        : switch (schema.getType()) {
          case RECORD, ENUM, FIXED -> schema.getFullName();
          default -> schema.getType().getName();
        };
  }

  private static String describe(JsonNode value) {
    return value.getNodeType().name().toLowerCase(Locale.ROOT);
  }
}
