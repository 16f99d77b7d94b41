package dev.ferry.gateway.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.gateway.GatewayConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
   * The message for {@code event}, which {@link EventRules#check} accepted.
   *
   * @param receivedAt when the gateway received the request
   */
  public Outgoing wrap(JsonNode event, Instant receivedAt) {
    return wrap(new EventReader.Item(0, event, 0, null), receivedAt);
  }

  /**
   * As {@link #wrap(JsonNode, Instant)}; when the item carries its source bytes, its {@code
   * properties} and {@code context} are copied into the envelope as sent rather than written again
   * from the parsed tree (the same JSON, at a fraction of the cost).
   */
  public Outgoing wrap(EventReader.Item item, Instant receivedAt) {
    JsonNode event = item.event();
    String type = event.get("event_type").asText();
    String name = textOrNull(event.get("event_name"));
    String messageId = textOrNull(event.get("message_id"));
    boolean generatedId = messageId == null;
    if (generatedId) {
      messageId = randomId();
    }
    String received = receivedAt.toString();
    String timestamp = textOrNull(event.get("timestamp"));
    // Written straight to bytes: no intermediate tree for the envelope.
    ByteArrayBuilder out = new ByteArrayBuilder(256);
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("envelope_version", 1);
      g.writeStringField("message_id", messageId);
      g.writeStringField("event_type", type);
      g.writeStringField("event_name", name);
      g.writeStringField("anonymous_id", textOrNull(event.get("anonymous_id")));
      g.writeStringField("user_id", textOrNull(event.get("user_id")));
      g.writeStringField("timestamp", timestamp == null ? received : timestamp);
      g.writeStringField("sent_at", textOrNull(event.get("sent_at")));
      g.writeStringField("received_at", received);
      RawJson[] raw = rawObjects(item);
      writeObject(g, "properties", event.get("properties"), raw[0]);
      writeObject(g, "context", event.get("context"), raw[1]);
      for (Iterator<Map.Entry<String, JsonNode>> it = event.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        if (!ENVELOPE_FIELDS.contains(f.getKey())) {
          g.writeFieldName(f.getKey());
          g.writeTree(f.getValue());
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("an envelope could not be written", e);
    }
    boolean denied = Consents.denies(event.path("context").path("consent"), config.consent());
    String topic =
        denied && config.consent().routesDenied()
            ? config.consent().deniedTopic()
            : config.topicFor(type);
    return new Outgoing(
        topic, key(event), out.toByteArray(), messageId, generatedId, type, name, denied);
  }

  private static void writeObject(JsonGenerator g, String field, JsonNode value, RawJson raw)
      throws IOException {
    g.writeFieldName(field);
    if (value != null && value.isObject() && raw != null) {
      g.writeRawValue(raw);
    } else if (value != null && value.isObject()) {
      g.writeTree(value);
    } else {
      g.writeStartObject();
      g.writeEndObject();
    }
  }

  /**
   * The source bytes of the event's top-level {@code properties} and {@code context} objects, found
   * by a second, tree-less pass over the event's slice of the body; nulls where not found or when
   * the item has no source.
   */
  private static RawJson[] rawObjects(EventReader.Item item) {
    RawJson[] raw = new RawJson[2];
    if (item.source() == null) {
      return raw;
    }
    byte[] source = item.source();
    int start = item.start();
    try (JsonParser p = JSON.getFactory().createParser(source, start, item.bytes())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return raw;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        int slot = "properties".equals(name) ? 0 : "context".equals(name) ? 1 : -1;
        // Offsets are relative to the slice's start.
        long from = p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        if (slot >= 0 && value == JsonToken.START_OBJECT) {
          long to = p.currentLocation().getByteOffset();
          raw[slot] = new RawJson(source, start + (int) from, start + (int) to);
        }
      }
    } catch (IOException e) {
      return new RawJson[2]; // already parsed once, so not expected: fall back to the tree
    }
    return raw;
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
  private byte[] key(JsonNode event) {
    for (String field : config.keyFields()) {
      JsonNode v = field.startsWith("/") ? event.at(field) : event.get(field);
      if (!EventRules.isBlank(v) && v.isValueNode()) {
        return v.asText().getBytes(StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static String textOrNull(JsonNode v) {
    return v == null || v.isNull() ? null : v.asText();
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
