package dev.ferry.pipeline.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

/**
 * Converts an Avro datum read with {@link GenericData} into plain JSON, the way a person would
 * write it: records become objects with their fields in schema order, unions become the value of
 * their branch (no {@code {"string": ...}} wrapper), enums and strings become text, bytes and fixed
 * become base64 text, decimals become exact numbers. Other logical types keep their underlying
 * value.
 */
final class AvroJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private AvroJson() {}

  static JsonNode toJson(Schema schema, Object datum) {
    switch (schema.getType()) {
      case RECORD:
        return record(schema, (IndexedRecord) datum);
      case UNION:
        int branch = GenericData.get().resolveUnion(schema, datum);
        return toJson(schema.getTypes().get(branch), datum);
      case ENUM:
      case STRING:
        return NODES.textNode(datum.toString());
      case BYTES:
        return bytes(schema, toArray((ByteBuffer) datum));
      case FIXED:
        return bytes(schema, ((GenericFixed) datum).bytes());
      case INT:
        return NODES.numberNode((Integer) datum);
      case LONG:
        return NODES.numberNode((Long) datum);
      case FLOAT:
        // Through the decimal text, so 1.1f reads 1.1 and not 1.100000023841858.
        float f = (Float) datum;
        return Float.isFinite(f)
            ? NODES.numberNode(Double.parseDouble(Float.toString(f)))
            : NODES.textNode(Float.toString(f));
      case DOUBLE:
        double d = (Double) datum;
        return Double.isFinite(d) ? NODES.numberNode(d) : NODES.textNode(Double.toString(d));
      case BOOLEAN:
        return NODES.booleanNode((Boolean) datum);
      case NULL:
        return NODES.nullNode();
      case MAP:
        ObjectNode map = NODES.objectNode();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) datum).entrySet()) {
          map.set(e.getKey().toString(), toJson(schema.getValueType(), e.getValue()));
        }
        return map;
      case ARRAY:
        ArrayNode array = NODES.arrayNode();
        for (Object element : (Collection<?>) datum) {
          array.add(toJson(schema.getElementType(), element));
        }
        return array;
    }
    throw new IllegalStateException("unknown Avro type " + schema.getType());
  }

  private static ObjectNode record(Schema schema, IndexedRecord record) {
    ObjectNode object = NODES.objectNode();
    for (Schema.Field field : schema.getFields()) {
      object.set(field.name(), toJson(field.schema(), record.get(field.pos())));
    }
    return object;
  }

  private static JsonNode bytes(Schema schema, byte[] bytes) {
    LogicalType logical = schema.getLogicalType();
    if (logical instanceof LogicalTypes.Decimal decimal) {
      return NODES.numberNode(new BigDecimal(new BigInteger(bytes), decimal.getScale()));
    }
    return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
  }

  private static byte[] toArray(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }
}
