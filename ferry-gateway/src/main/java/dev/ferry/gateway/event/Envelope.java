package dev.ferry.gateway.event;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.gateway.GatewayConfig;
import dev.ferry.gateway.event.Event.Known;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
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
  public static final String CONTENT_TYPE = "application/json";

  private static final byte[] VERSION_AND_ID = ascii("{\"envelope_version\":1,\"message_id\":");
  private static final byte[] EVENT_TYPE = ascii(",\"event_type\":");
  private static final byte[] EVENT_NAME = ascii(",\"event_name\":");
  private static final byte[] ANONYMOUS_ID = ascii(",\"anonymous_id\":");
  private static final byte[] USER_ID = ascii(",\"user_id\":");
  private static final byte[] TIMESTAMP = ascii(",\"timestamp\":");
  private static final byte[] SENT_AT = ascii(",\"sent_at\":");
  private static final byte[] RECEIVED_AT = ascii(",\"received_at\":");
  private static final byte[] PROPERTIES = ascii(",\"properties\":");
  private static final byte[] CONTEXT = ascii(",\"context\":");
  private static final byte[] NULL = ascii("null");
  private static final byte[] EMPTY_OBJECT = ascii("{}");
  private static final byte[] HEX = ascii("0123456789abcdef");

  /** Each thread writes envelopes in a buffer of its own, kept up to this size. */
  private static final int SCRATCH_KEPT = 64 * 1024;

  private static final ThreadLocal<Bytes> SCRATCH = ThreadLocal.withInitial(() -> new Bytes(4096));

  private final GatewayConfig config;

  public Envelope(GatewayConfig config) {
    this.config = config;
  }

  /**
   * When a request was received, as every envelope of it says: worked out once per request.
   *
   * @param text ISO-8601, UTC ({@link Instant#toString})
   * @param json the same in quotes, as bytes
   * @param headers request headers for every record of the request ({@code
   *     gateway.forward.headers}), by lower-case name
   */
  public record Received(String text, byte[] json, long epochMilli, Map<String, String> headers) {
    public Received {
      headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    public static Received of(Instant at) {
      return of(at, Map.of());
    }

    public static Received of(Instant at, Map<String, String> headers) {
      String text = at.toString();
      return new Received(text, ascii('"' + text + '"'), at.toEpochMilli(), headers);
    }
  }

  /**
   * The message for {@code event}, which {@link EventRules#check} accepted. The envelope is put
   * together from the bytes the client sent — each text field, {@code properties}, {@code context}
   * and the other top-level fields as they are in the body — with only the gateway's own values
   * (version, a generated id, {@code received_at}) written anew: no tree, no escaping again.
   */
  public Outgoing wrap(Event event, Received received) {
    int estimate = 320 + event.size();
    Bytes out = estimate > SCRATCH_KEPT ? new Bytes(estimate) : SCRATCH.get();
    out.clear();
    out.add(VERSION_AND_ID);
    String messageId = event.text(Known.MESSAGE_ID);
    boolean generatedId = messageId == null;
    if (generatedId) {
      messageId = out.randomId();
    } else {
      out.value(event, Known.MESSAGE_ID);
    }
    out.add(EVENT_TYPE).value(event, Known.EVENT_TYPE);
    out.add(EVENT_NAME).value(event, Known.EVENT_NAME);
    out.add(ANONYMOUS_ID).value(event, Known.ANONYMOUS_ID);
    out.add(USER_ID).value(event, Known.USER_ID);
    out.add(TIMESTAMP);
    if (event.text(Known.TIMESTAMP) == null) {
      out.add(received.json());
    } else {
      out.value(event, Known.TIMESTAMP);
    }
    out.add(SENT_AT).value(event, Known.SENT_AT);
    out.add(RECEIVED_AT).add(received.json());
    out.add(PROPERTIES).object(event, Known.PROPERTIES);
    out.add(CONTEXT).object(event, Known.CONTEXT);
    byte[] source = event.source();
    for (Event.Field f : event.fields()) {
      if (f.known() == null) {
        out.add(',').copy(source, f.nameFrom(), f.to()); // "name": value, as sent
      }
    }
    out.add('}');
    String type = event.text(Known.EVENT_TYPE);
    boolean denied = Consents.denies(event.at(Event.CONSENT), config.consent());
    String topic =
        denied && config.consent().routesDenied()
            ? config.consent().deniedTopic()
            : config.topicFor(type);
    return new Outgoing(
        topic,
        key(event),
        value(out),
        messageId,
        generatedId,
        type,
        event.text(Known.EVENT_NAME),
        denied,
        received.headers(),
        Outgoing.PRODUCER_CLOCK);
  }

  /**
   * The envelope's bytes, copied out of the thread's scratch buffer (which spares each envelope
   * allocating and zeroing room of its own); a scratch buffer grown past its size is let go.
   */
  private static byte[] value(Bytes out) {
    byte[] value = out.copyOut();
    if (out.capacity() > SCRATCH_KEPT && out == SCRATCH.get()) {
      SCRATCH.remove();
    }
    return value;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * An envelope's bytes. Only JSON goes in: slices of the body the parser read as values, and texts
   * that need no escaping (ids the gateway made, ISO-8601 times, numbers).
   */
  private static final class Bytes extends JsonBytes {
    Bytes(int capacity) {
      super(capacity);
    }

    int capacity() {
      return buf.length;
    }

    @Override
    public Bytes copy(byte[] from, int start, int end) {
      super.copy(from, start, end);
      return this;
    }

    @Override
    public Bytes add(byte[] bytes) {
      super.add(bytes);
      return this;
    }

    @Override
    public Bytes add(char c) {
      super.add(c);
      return this;
    }

    /** A top-level text field as sent; a number as its text in quotes; null when absent. */
    Bytes value(Event event, Known name) {
      Event.Field f = event.field(name);
      if (f == null || f.text() == null) {
        return add(NULL);
      }
      if (f.kind() == JsonToken.VALUE_STRING) {
        return copy(event.source(), f.from(), f.to());
      }
      // An integer id, kept a string in the envelope: digits need no escaping.
      add('"');
      for (int i = 0; i < f.text().length(); i++) {
        add(f.text().charAt(i));
      }
      return add('"');
    }

    /** A top-level object as sent, or {@code {}} when the event has none. */
    Bytes object(Event event, Known name) {
      Event.Field f = event.field(name);
      if (f != null && f.kind() == JsonToken.START_OBJECT) {
        return copy(event.source(), f.from(), f.to());
      }
      return add(EMPTY_OBJECT);
    }

    /**
     * Writes a random (version 4) UUID in quotes and returns it. Ids need to be unique, not secret:
     * ThreadLocalRandom spares the request threads the lock of the shared SecureRandom behind
     * {@link UUID#randomUUID()}; written straight into the envelope, as {@link UUID#toString()}
     * would write it.
     */
    String randomId() {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      long high = (random.nextLong() & ~0xF000L) | 0x4000L;
      long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
      room(38);
      add('"');
      int start = length;
      hex(high >>> 32, 8).add('-').hex(high >>> 16, 4).add('-').hex(high, 4).add('-');
      hex(low >>> 48, 4).add('-').hex(low, 12).add('"');
      return new String(buf, start, 36, StandardCharsets.US_ASCII);
    }

    private Bytes hex(long value, int digits) {
      for (int i = digits - 1; i >= 0; i--) {
        buf[length + i] = HEX[(int) (value & 0xF)];
        value >>>= 4;
      }
      length += digits;
      return this;
    }
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
   * @param forwarded request headers for the record ({@code gateway.forward.headers})
   * @param timestamp the record's Kafka timestamp, or {@link #PRODUCER_CLOCK}
   */
  public record Outgoing(
      String topic,
      byte[] key,
      byte[] value,
      String messageId,
      boolean generatedId,
      String eventType,
      String eventName,
      boolean consentDenied,
      Map<String, String> forwarded,
      long timestamp) {
    /** No timestamp of its own: the producer stamps the record when it takes it. */
    public static final long PRODUCER_CLOCK = -1;

    /** This event with {@code millis} as its record's timestamp. */
    public Outgoing at(long millis) {
      return new Outgoing(
          topic,
          key,
          value,
          messageId,
          generatedId,
          eventType,
          eventName,
          consentDenied,
          forwarded,
          millis);
    }
  }
}
