package dev.ferry.gateway.produce;

import dev.ferry.gateway.event.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The headers of an event's message: the seed's {@code content-type}, {@code event_type} and {@code
 * event_name}, then the request headers named by {@code gateway.forward.headers}. A source sends
 * few distinct event types and names, so their headers are made once per value and shared by the
 * messages (Kafka only reads them; a producer interceptor that rewrote header values in place would
 * change them for every message sharing them); memory stays bounded when a source sends many.
 */
final class MessageHeaders {
  private static final Header CONTENT_TYPE =
      new RecordHeader("content-type", utf8(Envelope.CONTENT_TYPE));
  private static final ByValue TYPES = new ByValue("event_type");
  private static final ByValue NAMES = new ByValue("event_name");

  private MessageHeaders() {}

  static List<Header> of(Envelope.Outgoing event) {
    Map<String, String> forwarded = event.forwarded();
    List<Header> headers = new ArrayList<>(3 + forwarded.size());
    headers.add(CONTENT_TYPE);
    headers.add(TYPES.header(event.eventType()));
    if (event.eventName() != null) {
      headers.add(NAMES.header(event.eventName()));
    }
    forwarded.forEach((key, value) -> headers.add(new RecordHeader(key, utf8(value))));
    return headers;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Headers of one name by value, for values up to 256 characters, at most 1,024 of them. */
  static final class ByValue {
    static final int MAX_VALUES = 1024;
    static final int MAX_CHARS = 256;

    private final String key;
    private final Map<String, Header> made = new ConcurrentHashMap<>();

    ByValue(String key) {
      this.key = key;
    }

    Header header(String value) {
      Header known = made.get(value);
      if (known != null) {
        return known;
      }
      Header header = new RecordHeader(key, utf8(value));
      if (value.length() <= MAX_CHARS) {
        if (made.size() >= MAX_VALUES) {
          made.clear(); // a source with many distinct values: start again rather than grow
        }
        made.put(value, header);
      }
      return header;
    }

    int size() {
      return made.size();
    }
  }
}
