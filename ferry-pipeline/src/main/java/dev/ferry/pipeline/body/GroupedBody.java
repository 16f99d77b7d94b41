package dev.ferry.pipeline.body;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.pipeline.shape.Entity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Catalog bodies: upserts grouped by type under a name per type, {@code {"items": [{"id": "P-1",
 * ...data}], "variations": [...]}}; deletes in a body of the same shape holding only ids.
 */
public final class GroupedBody {
  private static final JsonFactory JSON = new ObjectMapper().getFactory();

  private final Map<String, String> names;

  /**
   * @param names the body's field for each entity type; a type not listed takes its name plus "s"
   */
  public GroupedBody(Map<String, String> names) {
    this.names = Map.copyOf(names);
  }

  public String nameOf(String type) {
    String name = names.get(type);
    return name != null ? name : type + "s";
  }

  /**
   * Splits the entities, in order, into parts to send one after the other: each part's upserts go
   * before its deletes, so a part ends where an entity deleted in it is upserted again.
   */
  public static List<Part> parts(List<Entity> entities) {
    List<Part> parts = new ArrayList<>();
    Part current = new Part(new ArrayList<>(), new ArrayList<>());
    Set<String> deleted = new HashSet<>();
    for (Entity e : entities) {
      if (e.op() == Entity.Op.UPSERT && deleted.contains(e.key())) {
        parts.add(current);
        current = new Part(new ArrayList<>(), new ArrayList<>());
        deleted.clear();
      }
      if (e.op() == Entity.Op.UPSERT) {
        current.upserts.add(e);
      } else {
        current.deletes.add(e);
        deleted.add(e.key());
      }
    }
    parts.add(current);
    return parts;
  }

  /** {@code {"items": [{"id": ..., ...data}], ...}} for upserts, only ids for deletes. */
  public byte[] encode(List<Entity> entities) {
    Map<String, List<Entity>> byType = new LinkedHashMap<>();
    int size = 16;
    for (Entity e : entities) {
      byType.computeIfAbsent(e.type(), t -> new ArrayList<>()).add(e);
      size += e.data() == null ? 16 : 256;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(size);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      for (Map.Entry<String, List<Entity>> group : byType.entrySet()) {
        g.writeArrayFieldStart(nameOf(group.getKey()));
        for (Entity e : group.getValue()) {
          g.writeStartObject();
          g.writeStringField("id", e.id());
          if (e.data() != null) {
            var fields = e.data().fields();
            while (fields.hasNext()) {
              Map.Entry<String, JsonNode> field = fields.next();
              if (!field.getKey().equals("id")) {
                g.writeFieldName(field.getKey());
                g.writeTree(field.getValue());
              }
            }
          }
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Entities sent together: the upserts first, then the deletes. */
  public record Part(List<Entity> upserts, List<Entity> deletes) {}
}
