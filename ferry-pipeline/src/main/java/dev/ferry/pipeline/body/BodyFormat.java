package dev.ferry.pipeline.body;

import dev.ferry.pipeline.record.PipelineRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * How records become a request body. Values are copied byte for byte, never parsed. In the array
 * formats a value that does not start like JSON (an object, array, string, number or literal) is
 * written as a JSON string; the check reads only the first byte, so plain text that starts with a
 * digit, a quote or a bracket is copied as it is.
 */
public enum BodyFormat {
  /** One record per request, its value as the body. */
  SINGLE("application/json"),
  /** A JSON array of the batch's values. */
  JSON_ARRAY("application/json"),
  /** One value per line (newline-delimited JSON). */
  NDJSON("application/x-ndjson"),
  /**
   * Catalog entities grouped by type, {@code {"items": [...], "variations": [...]}}; deletes in a
   * second request of the same shape (see {@link GroupedBody}).
   */
  GROUPED("application/json");

  private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

  private final String contentType;

  BodyFormat(String contentType) {
    this.contentType = contentType;
  }

  public String defaultContentType() {
    return contentType;
  }

  public boolean batches() {
    return this != SINGLE;
  }

  public static BodyFormat parse(String name) {
    return valueOf(name.strip().toUpperCase(Locale.ROOT));
  }

  /** The body for the given records; {@link #SINGLE} takes exactly one. */
  public byte[] encode(List<PipelineRecord> records) {
    switch (this) {
      case SINGLE:
        if (records.size() != 1) {
          throw new IllegalArgumentException("single takes one record, got " + records.size());
        }
        byte[] v = records.get(0).value();
        return v == null ? new byte[0] : v;
      case JSON_ARRAY:
        return join(records, (byte) '[', (byte) ',', (byte) ']');
      case NDJSON:
        return join(records, (byte) -1, (byte) '\n', (byte) '\n');
      case GROUPED:
      default:
        throw new IllegalStateException("grouped bodies are built from entities, not raw values");
    }
  }

  /** Joins the values into one exactly sized array: one copy of each value, no regrowth. */
  private static byte[] join(List<PipelineRecord> records, byte open, byte sep, byte close) {
    byte[][] parts = new byte[records.size()][];
    int size = (open == -1 ? 0 : 1) + Math.max(0, records.size() - 1) + 1;
    for (int i = 0; i < parts.length; i++) {
      parts[i] = asJson(records.get(i).value());
      size += parts[i].length;
    }
    byte[] body = new byte[size];
    int at = 0;
    if (open != -1) {
      body[at++] = open;
    }
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        body[at++] = sep;
      }
      System.arraycopy(parts[i], 0, body, at, parts[i].length);
      at += parts[i].length;
    }
    body[at] = close;
    return body;
  }

  private static byte[] asJson(byte[] value) {
    if (value == null) {
      return NULL;
    }
    return JsonText.looksLikeJson(value)
        ? value
        : JsonText.quote(new String(value, StandardCharsets.UTF_8));
  }
}
