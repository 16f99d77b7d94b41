package dev.ferry.gateway.produce;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * A Kafka failure of one event, classified for the answer and the metrics, with a message after the
 * seed's troubleshooting table. Raw client messages are not repeated (they may name settings).
 *
 * @param reason a stable, low-cardinality name: {@code kafka_unavailable}, {@code
 *     kafka_authentication}, {@code kafka_authorization}, {@code unknown_topic}, {@code too_large},
 *     {@code kafka_error}
 * @param retriable true when the same event may succeed later (the answer is 503 + Retry-After)
 * @param message what happened and what to do
 */
public record Failure(String reason, boolean retriable, String message) {
  private static final Pattern SIZE = Pattern.compile("(\\d+) bytes");

  /** Classifies {@code error}, a failure to produce to {@code topic}. */
  public static Failure of(Throwable error, String topic) {
    Throwable e = unwrap(error);
    if (e instanceof RecordTooLargeException) {
      return new Failure(
          "too_large",
          false,
          "the event is larger than topic "
              + topic
              + " accepts"
              + size(e).map(s -> " (" + s + " bytes)").orElse("")
              + ": the topic's max.message.bytes (default 1 MB) limits each event; send smaller"
              + " events or raise the limit");
    }
    if (e instanceof AuthorizationException) {
      return new Failure(
          "kafka_authorization",
          false,
          "the gateway's Kafka credentials may not write to topic "
              + topic
              + ": grant them WRITE on it (an ACL), or use a key with access to it");
    }
    if (e instanceof UnknownTopicOrPartitionException) {
      return new Failure(
          "unknown_topic",
          false,
          "topic "
              + topic
              + " does not exist: create it, or check gateway.topic and gateway.routes");
    }
    if (e instanceof AuthenticationException) {
      return new Failure(
          "kafka_authentication",
          true,
          "Kafka refused the gateway's credentials: check the API key and secret (kafka.sasl.*,"
              + " kafka.oauth.*), and make a new key pair if it was revoked or expired");
    }
    if (e instanceof RetriableException) {
      return new Failure(
          "kafka_unavailable",
          true,
          "Kafka did not acknowledge the event in time: the brokers are unreachable or"
              + " overloaded; retry later (the same message_id is accepted once)");
    }
    return new Failure(
        "kafka_error",
        false,
        "Kafka failed with " + e.getClass().getSimpleName() + ": see the gateway's log");
  }

  /**
   * An event for a topic Kafka said does not exist {@code agoNanos} ago: answered from the
   * gateway's memory, without asking Kafka again.
   */
  static Failure stillMissing(String topic, long agoNanos) {
    return new Failure(
        "unknown_topic",
        false,
        "topic "
            + topic
            + " does not exist (Kafka said so "
            + Math.max(1, agoNanos / 1_000_000_000L)
            + " s ago; the gateway asks again "
            + EventProducer.MISSING_TOPIC_MEMORY.toSeconds()
            + " s after): create it, or check gateway.topic and gateway.routes");
  }

  /**
   * True for the producer's "Topic X not present in metadata after N ms": Kafka either does not
   * answer or has no such topic (the producer cannot tell; {@link KafkaStatus#topicExists} can).
   */
  static boolean isMissingMetadata(Throwable error) {
    Throwable e = unwrap(error);
    return e instanceof org.apache.kafka.common.errors.TimeoutException
        && String.valueOf(e.getMessage()).contains("not present in metadata");
  }

  /** {@code error} without the wrappers of futures. */
  static Throwable rootCause(Throwable error) {
    return unwrap(error);
  }

  private static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while ((e instanceof java.util.concurrent.CompletionException
            || e instanceof java.util.concurrent.ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static Optional<Long> size(Throwable e) {
    Matcher m = SIZE.matcher(String.valueOf(e.getMessage()));
    return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
  }
}
