package dev.ferry.gateway.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.gateway.GatewayConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

  private static final ObjectMapper JSON = new ObjectMapper();

  private final GatewayConfig config;

  public Envelope(GatewayConfig config) {
    this.config = config;
  }

  /**
   * The message for {@code event}, which {@link EventRules#check} accepted. Its {@code properties},
   * {@code context} and other top-level fields are copied into the envelope as the bytes the client
   * sent; only the envelope's own fields are written.
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
    String timestamp = event.text("timestamp");
    // Written straight to bytes: no tree, neither of the event nor of the envelope.
    ByteArrayBuilder out = new ByteArrayBuilder(256);
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("envelope_version", 1);
      g.writeStringField("message_id", messageId);
      g.writeStringField("event_type", type);
      g.writeStringField("event_name", name);
      g.writeStringField("anonymous_id", event.text("anonymous_id"));
      g.writeStringField("user_id", event.text("user_id"));
      g.writeStringField("timestamp", timestamp == null ? receivedAt : timestamp);
      g.writeStringField("sent_at", event.text("sent_at"));
      g.writeStringField("received_at", receivedAt);
      writeObject(g, event, "properties");
      writeObject(g, event, "context");
      for (Event.Field f : event.fields()) {
        if (!ENVELOPE_FIELDS.contains(f.name())) {
          g.writeFieldName(f.name());
          g.writeRawValue(event.raw(f));
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("an envelope could not be written", e);
    }
    boolean denied = Consents.denies(event.at(Event.CONSENT), config.consent());
    String topic =
        denied && config.consent().routesDenied()
            ? config.consent().deniedTopic()
            : config.topicFor(type);
    return new Outgoing(
        topic, key(event), out.toByteArray(), messageId, generatedId, type, name, denied);
  }

  /** The object as sent, or {@code {}} when the event has none. */
  private static void writeObject(JsonGenerator g, Event event, String name) throws IOException {
    g.writeFieldName(name);
    Event.Field f = event.field(name);
    if (f != null && f.kind() == JsonToken.START_OBJECT) {
      g.writeRawValue(event.raw(f));
    } else {
      g.writeStartObject();
      g.writeEndObject();
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
