package dev.ferry.gateway.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.gateway.event.JsonBytes;
import dev.ferry.gateway.ingest.Outcome;
import dev.ferry.gateway.ingest.Result;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The JSON bodies the gateway answers with. */
final class Answers {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonStringEncoder ESCAPER = JsonStringEncoder.getInstance();

  private Answers() {}

  /**
   * {@code {"accepted": n, "dropped": n, "rejected": n, "failed": n, "results": [...]}}, one result
   * per event in request order. Written by hand, byte by byte: it is on the path of every request,
   * and a generator (or a string, then its bytes) costs more than the answer's few fields.
   */
  static byte[] outcome(Outcome outcome) {
    List<Result> results = outcome.results();
    long accepted = 0;
    long dropped = 0;
    long rejected = 0;
    long failed = 0;
    for (Result r : results) {
      switch (r.status()) {
        case Result.ACCEPTED -> accepted++;
        case Result.DROPPED -> dropped++;
        case Result.REJECTED -> rejected++;
        default -> failed++;
      }
    }
    JsonBytes out = new JsonBytes(80 + 128 * results.size());
    out.ascii("{\"accepted\":").number(accepted);
    out.ascii(",\"dropped\":").number(dropped);
    out.ascii(",\"rejected\":").number(rejected);
    out.ascii(",\"failed\":").number(failed);
    out.ascii(",\"results\":[");
    for (int i = 0; i < results.size(); i++) {
      Result r = results.get(i);
      out.ascii(i == 0 ? "{\"index\":" : ",{\"index\":").number(r.index());
      text(out, "status", r.status());
      if (r.messageId() != null) {
        text(out, "message_id", r.messageId());
      }
      if (r.delivery() != null && r.delivery().accepted()) {
        text(out, "topic", r.delivery().topic());
        out.ascii(",\"partition\":").number(r.delivery().partition());
        out.ascii(",\"offset\":").number(r.delivery().offset());
      }
      if (r.duplicate()) {
        out.ascii(",\"duplicate\":true");
      }
      if (r.rejection() != null) {
        text(out, "field", r.rejection().field());
        text(out, "rule", r.rejection().rule());
        text(out, "reason", r.rejection().message());
      } else if (r.failure() != null) {
        text(out, "rule", r.failure().reason());
        out.ascii(r.failure().retriable() ? ",\"retriable\":true" : ",\"retriable\":false");
        text(out, "reason", r.failure().message());
      } else if (Result.DROPPED.equals(r.status())) {
        text(out, "rule", "consent");
        text(out, "reason", "context.consent denies this destination");
      }
      out.ascii("}");
    }
    out.ascii("]}");
    return out.toByteArray();
  }

  /** {@code ,"name":"value"} with the value escaped as JSON needs. */
  private static void text(JsonBytes out, String name, String value) {
    out.ascii(",\"").ascii(name).ascii("\":\"");
    if (plain(value)) {
      out.ascii(value); // ids, topics, statuses: the usual case
    } else {
      // Escaped as chars, then encoded: a lone surrogate (which quoteAsUTF8 refuses) becomes '?'.
      out.add(new String(ESCAPER.quoteAsString(value)).getBytes(StandardCharsets.UTF_8));
    }
    out.add('"');
  }

  /** True when JSON needs no escape in {@code value}: printable ASCII, no quote or backslash. */
  private static boolean plain(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  /** {@code {"error": rule, "message": message}} for a request refused as a whole. */
  static byte[] error(String rule, String message) {
    return JSON.createObjectNode()
        .put("error", rule)
        .put("message", message)
        .toString()
        .getBytes(StandardCharsets.UTF_8);
  }
}
