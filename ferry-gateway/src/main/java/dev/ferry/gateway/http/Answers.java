package dev.ferry.gateway.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.gateway.ingest.Outcome;
import dev.ferry.gateway.ingest.Result;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
    Out out = new Out(80 + 128 * results.size());
    out.ascii("{\"accepted\":").number(accepted);
    out.ascii(",\"dropped\":").number(dropped);
    out.ascii(",\"rejected\":").number(rejected);
    out.ascii(",\"failed\":").number(failed);
    out.ascii(",\"results\":[");
    for (int i = 0; i < results.size(); i++) {
      Result r = results.get(i);
      out.ascii(i == 0 ? "{\"index\":" : ",{\"index\":").number(r.index());
      out.text("status", r.status());
      if (r.messageId() != null) {
        out.text("message_id", r.messageId());
      }
      if (r.delivery() != null && r.delivery().accepted()) {
        out.text("topic", r.delivery().topic());
        out.ascii(",\"partition\":").number(r.delivery().partition());
        out.ascii(",\"offset\":").number(r.delivery().offset());
      }
      if (r.duplicate()) {
        out.ascii(",\"duplicate\":true");
      }
      if (r.rejection() != null) {
        out.text("field", r.rejection().field());
        out.text("rule", r.rejection().rule());
        out.text("reason", r.rejection().message());
      } else if (r.failure() != null) {
        out.text("rule", r.failure().reason());
        out.ascii(r.failure().retriable() ? ",\"retriable\":true" : ",\"retriable\":false");
        out.text("reason", r.failure().message());
      } else if (Result.DROPPED.equals(r.status())) {
        out.text("rule", "consent");
        out.text("reason", "context.consent denies this destination");
      }
      out.ascii("}");
    }
    out.ascii("]}");
    return out.toArray();
  }

  /** A growing buffer of UTF-8 JSON. */
  private static final class Out {
    private byte[] bytes;
    private int length;

    Out(int capacity) {
      bytes = new byte[capacity];
    }

    private void room(int n) {
      if (length + n > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(length + n, 2 * bytes.length));
      }
    }

    /** {@code s}, known to be ASCII that JSON takes as it is. */
    Out ascii(String s) {
      int n = s.length();
      room(n);
      for (int i = 0; i < n; i++) {
        bytes[length++] = (byte) s.charAt(i);
      }
      return this;
    }

    Out number(long value) {
      if (value < 0) {
        if (value == Long.MIN_VALUE) {
          return ascii(Long.toString(value));
        }
        room(1);
        bytes[length++] = '-';
        value = -value;
      }
      int digits = 1;
      for (long v = value / 10; v > 0; v /= 10) {
        digits++;
      }
      room(digits);
      for (int i = length + digits - 1; i >= length; i--) {
        bytes[i] = (byte) ('0' + value % 10);
        value /= 10;
      }
      length += digits;
      return this;
    }

    /** {@code ,"name":"value"} with the value escaped as JSON needs. */
    void text(String name, String value) {
      ascii(",\"").ascii(name).ascii("\":\"");
      if (plain(value)) {
        ascii(value); // ids, topics, statuses: the usual case
      } else {
        // Escaped as chars, then encoded: a lone surrogate (which quoteAsUTF8 refuses) becomes '?'.
        byte[] escaped = new String(ESCAPER.quoteAsString(value)).getBytes(StandardCharsets.UTF_8);
        room(escaped.length);
        System.arraycopy(escaped, 0, bytes, length, escaped.length);
        length += escaped.length;
      }
      ascii("\"");
    }

    byte[] toArray() {
      return Arrays.copyOf(bytes, length);
    }
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
