package dev.ferry.gateway.event;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.gateway.GatewayConfig;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns a checked event into the Kafka message Ferry writes: Ferry's canonical JSON envelope as the
 * value, the first set key field as the key, and the seed's headers. The envelope (version 1,
 * documented in docs/event-gateway.md) is:
 *
 * <pre>{@code
 * {"envelope_version": 1, "message_id": "...", "event_type": "track", "event_name": "...",
 *  "anonymous_id": "...", "user_id": "...", "timestamp": "<event time: as sent, else received_at>",
 *  "sent_at": "<as sent, or null>", "received_at": "<gateway clock, UTC>",
 *  "properties": {...}, "context": {...}, ...other top-level fields as sent}
 * }</pre>
 */
public final class Envelope {
  /** The envelope's fields that the gateway sets; an event may not carry them. */
  static final List<String> RESERVED = List.of("envelope_version", "received_at");

  /** The fields the envelope writes itself; an event's other top-level fields follow as sent. */
  private static final Set<String> ENVELOPE_FIELDS =
      Set.of(
          "envelope_version",
          "message_id",
          "event_type",
          "event_name",
          "anonymous_id",
          "user_id",
          "timestamp",
          "sent_at",
          "received_at",
          "properties",
          "context");

  public static final String CONTENT_TYPE = "application/json";

  private final GatewayConfig config;

  public Envelope(GatewayConfig config) {
    this.config = config;
  }

  /**
   * The message for {@code event}, which {@link EventRules#check} accepted. The envelope is put
   * together from the bytes the client sent — each text field, {@code properties}, {@code context}
   * and the other top-level fields as they are in the body — with only the gateway's own values
   * (version, a generated id, {@code received_at}) written anew: no tree, no escaping again.
   *
   * @param receivedAt when the gateway received the request, in ISO-8601 ({@code Instant.toString})
   */
  public Outgoing wrap(Event event, String receivedAt) {
    String type = event.text("event_type");
    String name = event.text("event_name");
    String messageId = event.text("message_id");
    boolean generatedId = messageId == null;
    if (generatedId) {
      messageId = randomId();
    }
    byte[] source = event.source();
    Bytes out = new Bytes(320 + event.size());
    out.ascii("{\"envelope_version\":1,\"message_id\":");
    if (generatedId) {
      out.quoted(messageId);
    } else {
      out.value(event, "message_id");
    }
    out.ascii(",\"event_type\":").value(event, "event_type");
    out.ascii(",\"event_name\":").value(event, "event_name");
    out.ascii(",\"anonymous_id\":").value(event, "anonymous_id");
    out.ascii(",\"user_id\":").value(event, "user_id");
    out.ascii(",\"timestamp\":");
    if (event.text("timestamp") == null) {
      out.quoted(receivedAt);
    } else {
      out.value(event, "timestamp");
    }
    out.ascii(",\"sent_at\":").value(event, "sent_at");
    out.ascii(",\"received_at\":").quoted(receivedAt);
    out.ascii(",\"properties\":").object(event, "properties");
    out.ascii(",\"context\":").object(event, "context");
    for (Event.Field f : event.fields()) {
      if (!ENVELOPE_FIELDS.contains(f.name())) {
        out.ascii(",").copy(source, f.nameFrom(), f.to()); // "name": value, as sent
      }
    }
    out.ascii("}");
    boolean denied = Consents.denies(event.at(Event.CONSENT), config.consent());
    String topic =
        denied && config.consent().routesDenied()
            ? config.consent().deniedTopic()
            : config.topicFor(type);
    return new Outgoing(
        topic, key(event), out.toByteArray(), messageId, generatedId, type, name, denied);
  }

  /**
   * An envelope's bytes. Only JSON goes in: slices of the body the parser read as values, and texts
   * that need no escaping (ids the gateway made, ISO-8601 times, numbers).
   */
  private static final class Bytes {
    private byte[] buf;
    private int length;

    Bytes(int capacity) {
      buf = new byte[capacity];
    }

    private void room(int more) {
      if (length + more > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + more));
      }
    }

    Bytes copy(byte[] from, int start, int end) {
      room(end - start);
      System.arraycopy(from, start, buf, length, end - start);
      length += end - start;
      return this;
    }

    /** Text of ASCII characters that need no escaping in JSON. */
    Bytes ascii(String text) {
      int n = text.length();
      room(n);
      for (int i = 0; i < n; i++) {
        buf[length++] = (byte) text.charAt(i);
      }
      return this;
    }

    Bytes quoted(String asciiText) {
      return ascii("\"").ascii(asciiText).ascii("\"");
    }

    /** A top-level text field as sent; a number as its text in quotes; null when absent. */
    Bytes value(Event event, String name) {
      Event.Field f = event.field(name);
      if (f == null || f.text() == null) {
        return ascii("null");
      }
      if (f.kind() == JsonToken.VALUE_STRING) {
        return copy(event.source(), f.from(), f.to());
      }
      return quoted(f.text()); // an integer id, kept a string in the envelope
    }

    /** A top-level object as sent, or {@code {}} when the event has none. */
    Bytes object(Event event, String name) {
      Event.Field f = event.field(name);
      if (f != null && f.kind() == JsonToken.START_OBJECT) {
        return copy(event.source(), f.from(), f.to());
      }
      return ascii("{}");
    }

    byte[] toByteArray() {
      return length == buf.length ? buf : Arrays.copyOf(buf, length);
    }
  }

  /**
   * A random (version 4) UUID. Ids need to be unique, not secret: ThreadLocalRandom spares the
   * request threads the lock of the shared SecureRandom behind {@link UUID#randomUUID()}.
   */
  static String randomId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }

  /** The first key field (a name or a JSON pointer such as /context/traits/email) set. */
  private byte[] key(Event event) {
    for (String field : config.keyFields()) {
      String text;
      if (field.startsWith("/")) {
        JsonNode v = event.at(field);
        text = v.isValueNode() && !v.isNull() ? v.asText() : null;
      } else {
        text = event.text(field);
      }
      if (!EventRules.isBlank(text)) {
        return text.getBytes(StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  /**
   * One event ready for Kafka.
   *
   * @param topic where it goes
   * @param key the message key, or null when no key field is set
   * @param value the envelope as JSON bytes
   * @param messageId the event's id (sent, or generated)
   * @param generatedId true when the gateway made the id up (such events are never duplicates)
   * @param eventType for the {@code event_type} header
   * @param eventName for the {@code event_name} header, or null
   * @param consentDenied true when {@code context.consent} denies this destination
   */
  public record Outgoing(
      String topic,
      byte[] key,
      byte[] value,
      String messageId,
      boolean generatedId,
      String eventType,
      String eventName,
      boolean consentDenied) {}
}
