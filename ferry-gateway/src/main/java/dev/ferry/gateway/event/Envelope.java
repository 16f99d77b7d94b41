package dev.ferry.gateway.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.gateway.GatewayConfig;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
    String type = event.get("event_type").asText();
    String name = textOrNull(event.get("event_name"));
    String messageId = textOrNull(event.get("message_id"));
    boolean generatedId = messageId == null;
    if (generatedId) {
      messageId = UUID.randomUUID().toString();
    }
    String received = receivedAt.toString();
    ObjectNode value = JSON.createObjectNode();
    value.put("envelope_version", 1);
    value.put("message_id", messageId);
    value.put("event_type", type);
    value.put("event_name", name);
    value.put("anonymous_id", textOrNull(event.get("anonymous_id")));
    value.put("user_id", textOrNull(event.get("user_id")));
    String timestamp = textOrNull(event.get("timestamp"));
    value.put("timestamp", timestamp == null ? received : timestamp);
    value.put("sent_at", textOrNull(event.get("sent_at")));
    value.put("received_at", received);
    value.set("properties", objectOrEmpty(event.get("properties")));
    value.set("context", objectOrEmpty(event.get("context")));
    for (Iterator<Map.Entry<String, JsonNode>> it = event.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (!value.has(f.getKey())) {
        value.set(f.getKey(), f.getValue());
      }
    }
    boolean denied = Consents.denies(event.path("context").path("consent"), config.consent());
    String topic =
        denied && config.consent().routesDenied()
            ? config.consent().deniedTopic()
            : config.topicFor(type);
    try {
      return new Outgoing(
          topic,
          key(event),
          JSON.writeValueAsBytes(value),
          messageId,
          generatedId,
          type,
          name,
          denied);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
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

  private static JsonNode objectOrEmpty(JsonNode v) {
    return v != null && v.isObject() ? v : JSON.createObjectNode();
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
