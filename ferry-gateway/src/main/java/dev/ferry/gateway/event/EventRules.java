package dev.ferry.gateway.event;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.gateway.event.Event.Known;
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
  public static Optional<Rejection> check(Event event) {
    if (event.kind() != JsonToken.START_OBJECT) {
      return reject("", "object", "an event must be a JSON object, not " + kind(event.kind()));
    }
    Event.Field type = event.field(Known.EVENT_TYPE);
    if (type == null || type.isNull()) {
      return reject("event_type", "required", "event_type is required, e.g. \"track\"");
    }
    if (type.kind() != JsonToken.VALUE_STRING || type.text().isBlank()) {
      return reject("event_type", "text", "event_type must be a non-empty string");
    }
    if (type.text().length() > MAX_TYPE) {
      return reject("event_type", "max_length", "event_type is longer than " + MAX_TYPE);
    }
    for (Known field : new Known[] {Known.EVENT_NAME, Known.MESSAGE_ID}) {
      Optional<Rejection> r = optionalText(event, field);
      if (r.isPresent()) {
        return r;
      }
    }
    for (Known known : new Known[] {Known.USER_ID, Known.ANONYMOUS_ID}) {
      Event.Field id = event.field(known);
      if (id == null || id.isNull()) {
        continue;
      }
      String field = known.json();
      if (id.kind() != JsonToken.VALUE_STRING && id.kind() != JsonToken.VALUE_NUMBER_INT) {
        return reject(field, "text", field + " must be a string (or an integer)");
      }
      if (id.text().length() > MAX_TEXT) {
        return reject(field, "max_length", field + " is longer than " + MAX_TEXT);
      }
    }
    if (isBlank(event.text(Known.USER_ID)) && isBlank(event.text(Known.ANONYMOUS_ID))) {
      return reject(
          "user_id",
          "identity",
          "an event needs a user_id or an anonymous_id (the message key is taken from them)");
    }
    for (Known known : new Known[] {Known.TIMESTAMP, Known.SENT_AT}) {
      Event.Field t = event.field(known);
      String field = known.json();
      if (t != null
          && !t.isNull()
          && (t.kind() != JsonToken.VALUE_STRING || !Timestamps.isInstant(t.text()))) {
        return reject(
            field,
            "iso8601",
            field + " must be an ISO-8601 date-time with an offset, e.g. 2026-12-01T09:30:00Z");
      }
    }
    for (Known known : new Known[] {Known.PROPERTIES, Known.CONTEXT}) {
      Event.Field o = event.field(known);
      String field = known.json();
      if (o != null && !o.isNull() && o.kind() != JsonToken.START_OBJECT) {
        return reject(field, "object", field + " must be a JSON object, not " + kind(o.kind()));
      }
    }
    JsonNode consent = event.at(Event.CONSENT);
    if (!consent.isMissingNode() && !consent.isNull() && !consent.isObject()) {
      return reject(
          "context.consent",
          "object",
          "context.consent must be a JSON object, e.g. {\"categories\": {\"analytics\": true}}");
    }
    for (Known reserved : new Known[] {Known.ENVELOPE_VERSION, Known.RECEIVED_AT}) {
      if (event.field(reserved) != null) {
        String field = reserved.json();
        return reject(field, "reserved", field + " is set by the gateway; leave it out");
      }
    }
    return Optional.empty();
  }

  private static Optional<Rejection> optionalText(Event event, Known known) {
    Event.Field v = event.field(known);
    String field = known.json();
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (v.kind() != JsonToken.VALUE_STRING || v.text().isEmpty()) {
      return reject(field, "text", field + " must be a non-empty string");
    }
    if (v.text().length() > MAX_TEXT) {
      return reject(field, "max_length", field + " is longer than " + MAX_TEXT);
    }
    return Optional.empty();
  }

  /** True for null (absent) or blank text. */
  static boolean isBlank(String text) {
    return text == null || text.isBlank();
  }

  /** The JSON kind of a value starting with {@code token}, as a word for messages. */
  private static String kind(JsonToken token) {
    switch (token) {
      case START_ARRAY:
        return "array";
      case START_OBJECT:
        return "object";
      case VALUE_STRING:
        return "string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "boolean";
      default:
        return "null";
    }
  }

  private static Optional<Rejection> reject(String field, String rule, String message) {
    return Optional.of(Rejection.of(field, rule, message));
  }
}
