package dev.ferry.gateway.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.gateway.ingest.Outcome;
import dev.ferry.gateway.ingest.Result;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The JSON bodies the gateway answers with. */
final class Answers {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Answers() {}

  /**
   * {@code {"accepted": n, "dropped": n, "rejected": n, "failed": n, "results": [...]}}, one result
   * per event in request order.
   */
  static byte[] outcome(Outcome outcome) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 96 * outcome.results().size());
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("accepted", outcome.count(Result.ACCEPTED));
      g.writeNumberField("dropped", outcome.count(Result.DROPPED));
      g.writeNumberField("rejected", outcome.count(Result.REJECTED));
      g.writeNumberField("failed", outcome.count(Result.FAILED));
      g.writeArrayFieldStart("results");
      for (Result r : outcome.results()) {
        g.writeStartObject();
        g.writeNumberField("index", r.index());
        g.writeStringField("status", r.status());
        if (r.messageId() != null) {
          g.writeStringField("message_id", r.messageId());
        }
        if (r.delivery() != null && r.delivery().accepted()) {
          g.writeStringField("topic", r.delivery().topic());
          g.writeNumberField("partition", r.delivery().partition());
          g.writeNumberField("offset", r.delivery().offset());
        }
        if (r.duplicate()) {
          g.writeBooleanField("duplicate", true);
        }
        if (r.rejection() != null) {
          g.writeStringField("field", r.rejection().field());
          g.writeStringField("rule", r.rejection().rule());
          g.writeStringField("reason", r.rejection().message());
        } else if (r.failure() != null) {
          g.writeStringField("rule", r.failure().reason());
          g.writeBooleanField("retriable", r.failure().retriable());
          g.writeStringField("reason", r.failure().message());
        } else if (Result.DROPPED.equals(r.status())) {
          g.writeStringField("rule", "consent");
          g.writeStringField("reason", "context.consent denies this destination");
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** {@code {"error": rule, "message": message}} for a request refused as a whole. */
  static byte[] error(String rule, String message) {
    return JSON.createObjectNode()
        .put("error", rule)
        .put("message", message)
        .toString()
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
