package dev.ferry.pipeline.shape;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * One catalog change: {@code {"type": "item", "id": "P-1", "op": "upsert" | "delete", "data":
 * {...}}}.
 *
 * @param data the entity's fields for an upsert; null for a delete
 */
public record Entity(String type, String id, Op op, ObjectNode data) implements Output {

  /** What happens to the entity. */
  public enum Op {
    UPSERT,
    DELETE
  }

  public static Entity delete(String type, String id) {
    return new Entity(type, id, Op.DELETE, null);
  }

  /** Identifies the entity across messages: type and id. */
  public String key() {
    return type + '\u001f' + id;
  }

  /** Reads a mapping result that has a {@code type} field. */
  static Entity parse(JsonNode result) throws ShapeException {
    JsonNode type = result.get("type");
    if (!type.isTextual() || type.asText().isBlank()) {
      throw new ShapeException(
          "an entity's type must be a non-empty string, got "
              + (type.isTextual()
                  ? "an empty one"
                  : type.getNodeType().name().toLowerCase(Locale.ROOT)),
          false);
    }
    JsonNode id = result.get("id");
    if (id == null || !(id.isTextual() || id.isIntegralNumber()) || id.asText().isBlank()) {
      throw new ShapeException(
          "entity of type "
              + type.asText()
              + " needs an id (a string or an integer), got "
              + (id == null ? "none" : id.getNodeType().name().toLowerCase(Locale.ROOT)),
          false);
    }
    JsonNode op = result.get("op");
    Op parsed;
    if (op == null || op.isNull()) {
      parsed = Op.UPSERT;
    } else if (op.isTextual() && op.asText().equalsIgnoreCase("upsert")) {
      parsed = Op.UPSERT;
    } else if (op.isTextual() && op.asText().equalsIgnoreCase("delete")) {
      parsed = Op.DELETE;
    } else {
      throw new ShapeException(
          "entity " + type.asText() + " " + id.asText() + ": op must be upsert or delete", false);
    }
    if (parsed == Op.DELETE) {
      return delete(type.asText(), id.asText());
    }
    JsonNode data = result.get("data");
    if (data == null || !data.isObject()) {
      throw new ShapeException(
          "entity "
              + type.asText()
              + " "
              + id.asText()
              + ": an upsert needs a data object"
              + (data == null ? "" : ", got " + data.getNodeType().name().toLowerCase(Locale.ROOT)),
          false);
    }
    return new Entity(type.asText(), id.asText(), Op.UPSERT, (ObjectNode) data);
  }
}
