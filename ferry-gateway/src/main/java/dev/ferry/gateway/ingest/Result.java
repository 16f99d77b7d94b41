package dev.ferry.gateway.ingest;

import dev.ferry.gateway.event.Rejection;
import dev.ferry.gateway.produce.Delivery;
import dev.ferry.gateway.produce.Failure;

/**
 * What became of one event of a request.
 *
 * @param index its position in the request, from 0
 * @param status {@code accepted} (stored, or handed to the producer in async mode), {@code dropped}
 *     (consent denied and no topic for denied events), {@code rejected} (the event broke a rule) or
 *     {@code failed} (Kafka did not store it)
 * @param messageId the event's id, null when it could not be read
 * @param eventType its type, null when it could not be read
 * @param eventName its name, or null
 * @param delivery where it was stored, for {@code accepted} (null in async mode)
 * @param rejection the rule it broke, for {@code rejected}
 * @param failure Kafka's failure, for {@code failed}
 * @param duplicate true when an event with this {@code message_id} was accepted before, within the
 *     window: it was not produced again, and {@code delivery} is the first one's
 * @param bytes the event's size as sent
 * @param consentDenied true when {@code context.consent} denies this destination: the event was
 *     dropped, or (when {@code gateway.consent.denied=route}) sent to the topic for denied events
 */
public record Result(
    int index,
    String status,
    String messageId,
    String eventType,
    String eventName,
    Delivery delivery,
    Rejection rejection,
    Failure failure,
    boolean duplicate,
    int bytes,
    boolean consentDenied) {
  public static final String ACCEPTED = "accepted";
  public static final String DROPPED = "dropped";
  public static final String REJECTED = "rejected";
  public static final String FAILED = "failed";

  /**
   * The reason name for metrics and the live view: a rule, a Kafka failure, {@code duplicate}, or
   * {@code consent} (dropped, or accepted on the topic for denied events); empty otherwise.
   */
  public String reason() {
    if (rejection != null) {
      return rejection.rule();
    }
    if (failure != null) {
      return failure.reason();
    }
    if (DROPPED.equals(status)) {
      return "consent";
    }
    if (duplicate) {
      return "duplicate";
    }
    return consentDenied ? "consent" : "";
  }
}
