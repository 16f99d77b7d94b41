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
  private static final byte[] FIRST_INDEX = "{\"index\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] INDEX = ",{\"index\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MESSAGE_ID = name("message_id");
  private static final byte[] TOPIC = name("topic");
  private static final byte[] FIELD = name("field");
  private static final byte[] RULE = name("rule");
  private static final byte[] REASON = name("reason");
  private static final byte[] ACCEPTED = statusField(Result.ACCEPTED);
  private static final byte[] DROPPED = statusField(Result.DROPPED);
  private static final byte[] REJECTED = statusField(Result.REJECTED);
  private static final byte[] FAILED = statusField(Result.FAILED);

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
      out.add(i == 0 ? FIRST_INDEX : INDEX).number(r.index());
      out.add(status(r.status()));
      if (r.messageId() != null) {
        text(out, MESSAGE_ID, r.messageId());
      }
      if (r.delivery() != null && r.delivery().accepted()) {
        text(out, TOPIC, r.delivery().topic());
        out.ascii(",\"partition\":").number(r.delivery().partition());
        out.ascii(",\"offset\":").number(r.delivery().offset());
      }
      if (r.duplicate()) {
        out.ascii(",\"duplicate\":true");
      }
      if (r.rejection() != null) {
        text(out, FIELD, r.rejection().field());
        text(out, RULE, r.rejection().rule());
        text(out, REASON, r.rejection().message());
      } else if (r.failure() != null) {
        text(out, RULE, r.failure().reason());
        out.ascii(r.failure().retriable() ? ",\"retriable\":true" : ",\"retriable\":false");
        text(out, REASON, r.failure().message());
      } else if (Result.DROPPED.equals(r.status())) {
        text(out, RULE, "consent");
        text(out, REASON, "context.consent denies this destination");
      }
      out.ascii("}");
    }
    out.ascii("]}");
    return out.toByteArray();
  }

  /** {@code ,"name":"value"}, {@code nameAndQuote} being {@code ,"name":"}, escaped as needed. */
  private static void text(JsonBytes out, byte[] nameAndQuote, String value) {
    out.add(nameAndQuote);
    // Ids and topics are usually plain ASCII, copied as they are; anything else is escaped as
    // chars, then encoded: a lone surrogate (which quoteAsUTF8 refuses) becomes '?'.
    if (!out.plainAscii(value)) {
      out.add(new String(ESCAPER.quoteAsString(value)).getBytes(StandardCharsets.UTF_8));
    }
    out.add('"');
  }

  /** {@code ,"status":"accepted"} and the like. */
  private static byte[] status(String status) {
    return switch (status) {
      case Result.ACCEPTED -> ACCEPTED;
      case Result.DROPPED -> DROPPED;
      case Result.REJECTED -> REJECTED;
      case Result.FAILED -> FAILED;
      default -> throw new IllegalStateException("no such result status: " + status);
    };
  }

  private static byte[] name(String name) {
    return (",\"" + name + "\":\"").getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] statusField(String status) {
    return (",\"status\":\"" + status + "\"").getBytes(StandardCharsets.US_ASCII);
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
