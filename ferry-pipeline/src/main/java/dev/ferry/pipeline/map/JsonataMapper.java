package dev.ferry.pipeline.map;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A JSONata mapping: the message is the input, its meta is {@code $meta}. Each thread evaluates its
 * own compiled copy of the expression (see {@link JsonataEvaluator} for why).
 */
final class JsonataMapper implements Mapper {
  /** Deep enough for any mapping, shallow enough to stop runaway recursion before the stack. */
  static final int MAX_DEPTH = 500;

  private static final String TIMEOUT_MESSAGE = "Expression evaluation timeout";
  private static final Pattern ERROR_CODE = Pattern.compile("[A-Z][0-9]{4}");

  private final String label;
  private final long timeoutMillis;
  private final ThreadLocal<JsonataEvaluator> evaluators;
  private volatile boolean closed;

  private JsonataMapper(String name, String expression, Jsonata compiled, Duration timeout) {
    this.label = Mappers.INLINE.equals(name) ? "JSONata mapping" : "JSONata mapping " + name;
    this.timeoutMillis = Math.max(1, timeout.toMillis());
    this.evaluators =
        ThreadLocal.withInitial(() -> new JsonataEvaluator(Jsonata.jsonata(expression)));
    evaluators.set(new JsonataEvaluator(compiled));
  }

  static JsonataMapper compile(String name, String expression, Duration timeout)
      throws MappingException {
    try {
      return new JsonataMapper(name, expression, Jsonata.jsonata(expression), timeout);
    } catch (JException e) {
      throw new MappingException(
          "JSONata syntax error"
              + (Mappers.INLINE.equals(name) ? "" : " in " + name)
              + where(e)
              + ": "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public List<JsonNode> map(JsonNode message, MessageMeta meta) throws MappingException {
    if (closed) {
      throw new IllegalStateException(label + " is closed");
    }
    Object result;
    try {
      result =
          evaluators
              .get()
              .evaluate(
                  PlainJson.toPlain(message),
                  Map.of("meta", PlainJson.meta(meta)),
                  timeoutMillis,
                  MAX_DEPTH);
    } catch (JException e) {
      if (String.valueOf(e.getMessage()).contains(TIMEOUT_MESSAGE)) {
        throw new MappingException(
            label
                + " exceeded its time limit of "
                + timeoutMillis
                + " ms (mapping.timeout.ms) at "
                + meta.position(),
            e);
      }
      throw new MappingException(
          label + " failed" + where(e) + " for message " + meta.position() + ": " + e.getMessage(),
          e);
    } catch (StackOverflowError e) {
      throw new MappingException(
          label
              + " recursed too deeply for message "
              + meta.position()
              + "; check for a recursive function that does not end",
          e);
    } catch (RuntimeException e) {
      throw new MappingException(label + " failed for message " + meta.position() + ": " + e, e);
    }
    return Results.of(PlainJson.toNode(result));
  }

  /** The error code and the position in the expression, as the engine gives them. */
  private static String where(JException e) {
    StringBuilder where = new StringBuilder(" (");
    if (e.getError() != null && ERROR_CODE.matcher(e.getError()).matches()) {
      where.append(e.getError());
    }
    if (e.getLocation() >= 0) {
      where.append(where.length() > 2 ? " " : "").append("at position ").append(e.getLocation());
    }
    return where.length() > 2 ? where.append(')').toString() : "";
  }

  @Override
  public void close() {
    closed = true;
    evaluators.remove();
  }
}
