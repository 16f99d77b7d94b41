package dev.ferry.gateway.event;

/**
 * Why one event was refused: the field at fault (empty for the whole event), the rule it broke and
 * a message saying what to send instead.
 *
 * @param field the event's field, e.g. {@code timestamp}, or empty
 * @param rule a short stable name, e.g. {@code required}, {@code iso8601}, {@code too_large}
 * @param message one sentence for the sender
 */
public record Rejection(String field, String rule, String message) {

  static Rejection of(String field, String rule, String message) {
    return new Rejection(field, rule, message);
  }
}
