package dev.ferry.pipeline.body;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.pipeline.shape.Body;
import dev.ferry.pipeline.shape.Entity;
import dev.ferry.pipeline.shape.Output;
import dev.ferry.pipeline.shape.Raw;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Mapping results in the plain formats: each result as JSON; an entity as {@code {"type", "id",
 * "op", "data"}}. {@link BodyFormat#SINGLE} sends one result as it is and several as an array.
 */
public final class OutputBodies {
  private static final JsonFactory JSON = new ObjectMapper().getFactory();

  private OutputBodies() {}

  public static byte[] encode(BodyFormat format, List<Output> outputs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 * outputs.size() + 16);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      boolean array =
          format == BodyFormat.JSON_ARRAY || (format == BodyFormat.SINGLE && outputs.size() != 1);
      if (array) {
        g.writeStartArray();
      } else {
        g.setRootValueSeparator(new SerializedString("\n"));
      }
      for (Output o : outputs) {
        write(g, o);
      }
      if (array) {
        g.writeEndArray();
      } else if (format == BodyFormat.NDJSON) {
        g.writeRaw('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void write(JsonGenerator g, Output o) throws IOException {
    if (o instanceof Body b) {
      g.writeTree(b.json());
      return;
    }
    if (o instanceof Raw r) {
      if (JsonText.looksLikeJson(r.value())) {
        g.writeRawValue(new String(r.value(), StandardCharsets.UTF_8));
      } else {
        g.writeString(new String(r.value(), StandardCharsets.UTF_8));
      }
      return;
    }
    Entity e = (Entity) o;
    g.writeStartObject();
    g.writeStringField("type", e.type());
    g.writeStringField("id", e.id());
    g.writeStringField("op", e.op().name().toLowerCase(Locale.ROOT));
    if (e.data() != null) {
      g.writeFieldName("data");
      g.writeTree(e.data());
    }
    g.writeEndObject();
  }
}
