package dev.ferry.gateway.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The rules an event must follow (also in the OpenAPI document, {@code openapi.yaml}): a JSON
 * object with a non-empty {@code event_type}, a {@code user_id} or an {@code anonymous_id}, and, if
 * given, a text {@code event_name} and {@code message_id}, ISO-8601 {@code timestamp} and {@code
 * sent_at}, and objects {@code properties} and {@code context} (with an object {@code consent}).
 * Other top-level fields are kept as sent, except the envelope's own.
 */
public final class EventRules {
  static final int MAX_TYPE = 128;
  static final int MAX_TEXT = 512;

  private EventRules() {}

  /** The first rule {@code event} breaks, or empty when it may be produced. */
  public static Optional<Rejection> check(JsonNode event) {
    if (!event.isObject()) {
      return reject("", "object", "an event must be a JSON object, not " + kind(event));
    }
    JsonNode type = event.get("event_type");
    if (type == null || type.isNull()) {
      return reject("event_type", "required", "event_type is required, e.g. \"track\"");
    }
    if (!type.isTextual() || type.asText().isBlank()) {
      return reject("event_type", "text", "event_type must be a non-empty string");
    }
    if (type.asText().length() > MAX_TYPE) {
      return reject("event_type", "max_length", "event_type is longer than " + MAX_TYPE);
    }
    for (String field : new String[] {"event_name", "message_id"}) {
      Optional<Rejection> r = optionalText(event, field);
      if (r.isPresent()) {
        return r;
      }
    }
    for (String field : new String[] {"user_id", "anonymous_id"}) {
      JsonNode id = event.get(field);
      if (id != null && !id.isNull() && !id.isTextual() && !id.isIntegralNumber()) {
        return reject(field, "text", field + " must be a string (or an integer)");
      }
      if (id != null && id.asText().length() > MAX_TEXT) {
        return reject(field, "max_length", field + " is longer than " + MAX_TEXT);
      }
    }
    if (isBlank(event.get("user_id")) && isBlank(event.get("anonymous_id"))) {
      return reject(
          "user_id",
          "identity",
          "an event needs a user_id or an anonymous_id (the message key is taken from them)");
    }
    for (String field : new String[] {"timestamp", "sent_at"}) {
      JsonNode t = event.get(field);
      if (t != null && !t.isNull() && !isInstant(t)) {
        return reject(
            field,
            "iso8601",
            field + " must be an ISO-8601 date-time with an offset, e.g. 2026-12-01T09:30:00Z");
      }
    }
    for (String field : new String[] {"properties", "context"}) {
      JsonNode o = event.get(field);
      if (o != null && !o.isNull() && !o.isObject()) {
        return reject(field, "object", field + " must be a JSON object, not " + kind(o));
      }
    }
    JsonNode consent = event.path("context").get("consent");
    if (consent != null && !consent.isNull() && !consent.isObject()) {
      return reject(
          "context.consent",
          "object",
          "context.consent must be a JSON object, e.g. {\"categories\": {\"analytics\": true}}");
    }
    for (String reserved : Envelope.RESERVED) {
      if (event.has(reserved)) {
        return reject(reserved, "reserved", reserved + " is set by the gateway; leave it out");
      }
    }
    return Optional.empty();
  }

  private static Optional<Rejection> optionalText(JsonNode event, String field) {
    JsonNode v = event.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual() || v.asText().isEmpty()) {
      return reject(field, "text", field + " must be a non-empty string");
    }
    if (v.asText().length() > MAX_TEXT) {
      return reject(field, "max_length", field + " is longer than " + MAX_TEXT);
    }
    return Optional.empty();
  }

  private static boolean isInstant(JsonNode t) {
    if (!t.isTextual()) {
      return false;
    }
    try {
      OffsetDateTime.parse(t.asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  static boolean isBlank(JsonNode v) {
    return v == null || v.isNull() || v.asText().isBlank();
  }

  private static String kind(JsonNode v) {
    return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  private static Optional<Rejection> reject(String field, String rule, String message) {
    return Optional.of(Rejection.of(field, rule, message));
  }
}
