package dev.ferry.testkit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP request as received by a {@link ScriptedHttpTarget}.
 *
 * <p>{@link #headers()} is a case-insensitive map (header name to its values in arrival order).
 * When the target records no bodies ({@link ScriptedHttpTarget#recordBodies(boolean)}), {@link
 * #body()} is empty.
 *
 * @param method the HTTP method, e.g. {@code POST}
 * @param path the decoded-as-sent path, e.g. {@code /ingest}
 * @param query the raw query string without {@code ?}, or {@code null} when there is none
 * @param headers the request headers, case-insensitive keys
 * @param body the request body (not copied: do not modify)
 * @param receivedAt when the request's body had been read completely
 */
@SuppressWarnings("ArrayRecordComponent") // bodies are large and never mutated after capture
public record ReceivedRequest(
    String method,
    String path,
    String query,
    Map<String, List<String>> headers,
    byte[] body,
    Instant receivedAt) {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Makes {@link #headers()} an unmodifiable case-insensitive map. */
  public ReceivedRequest {
    TreeMap<String, List<String>> ci = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> ci.merge(k, List.copyOf(v), ReceivedRequest::concat));
    headers = Collections.unmodifiableMap(ci);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }

  /** The first value of the named header (any case), or {@code null} when absent. */
  public String header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** All values of the named header (any case); empty when absent. */
  public List<String> headerValues(String name) {
    return headers.getOrDefault(name, List.of());
  }

  /** The body decoded as UTF-8. */
  public String bodyAsString() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /**
   * The JSON records in the body: the elements of a top-level JSON array, each value of an NDJSON
   * body (one per line), or the single top-level value. Empty for an empty body.
   *
   * @throws UncheckedIOException when the body is not JSON
   */
  public List<JsonNode> jsonRecords() {
    List<JsonNode> out = new ArrayList<>();
    try (JsonParser parser = MAPPER.createParser(body)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return out;
      }
      if (first == JsonToken.START_ARRAY) {
        JsonNode array = MAPPER.readTree(parser);
        array.forEach(out::add);
        if (parser.nextToken() != null) {
          throw new IOException("trailing content after the top-level array");
        }
        return out;
      }
      try (MappingIterator<JsonNode> values = MAPPER.readerFor(JsonNode.class).readValues(body)) {
        while (values.hasNextValue()) {
          out.add(values.nextValue());
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("body of " + method + " " + path + " is not JSON", e);
    }
  }

  @Override
  public String toString() {
    return method
        + " "
        + path
        + (query == null ? "" : "?" + query)
        + " ("
        + body.length
        + " bytes at "
        + receivedAt
        + ")";
  }
}
