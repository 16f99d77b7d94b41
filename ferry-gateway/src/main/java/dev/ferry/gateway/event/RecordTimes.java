package dev.ferry.gateway.event;

import dev.ferry.gateway.GatewayConfig;
import dev.ferry.gateway.event.Envelope.Outgoing;
import dev.ferry.gateway.event.Event.Known;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * The Kafka timestamp of an event's record ({@code gateway.record.timestamp}): by default none of
 * the gateway's own (the producer stamps the record as it takes it); with {@code event}, the
 * event's {@code timestamp} — checked first against what Kafka accepts, since a record Kafka
 * refuses for its timestamp fails its whole batch, other clients' events included.
 */
public final class RecordTimes {
  private final GatewayConfig.RecordTime settings;

  /** The event's time is one Kafka would refuse as a record timestamp. */
  public static final class OutOfRange extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Rejection rejection;

    OutOfRange(String message) {
      super(message, null, false, false);
      this.rejection = new Rejection(Known.TIMESTAMP.json(), "timestamp_range", message);
    }

    public Rejection rejection() {
      return rejection;
    }
  }

  public RecordTimes(GatewayConfig.RecordTime settings) {
    this.settings = settings;
  }

  /**
   * The timestamp of the record of {@code event} (which {@link EventRules#check} accepted), or
   * {@link Outgoing#PRODUCER_CLOCK}.
   *
   * @param receivedMilli when the request arrived, in epoch milliseconds
   * @throws OutOfRange when Kafka would refuse the event's time
   */
  public long of(Event event, long receivedMilli) throws OutOfRange {
    if (!settings.fromEvent()) {
      return Outgoing.PRODUCER_CLOCK;
    }
    Event.Field t = event.field(Known.TIMESTAMP);
    if (t == null || t.isNull()) {
      return Outgoing.PRODUCER_CLOCK;
    }
    long millis;
    try {
      millis = Timestamps.epochMilli(t.text());
    } catch (ArithmeticException | DateTimeParseException e) {
      // Beyond what a long of milliseconds holds, e.g. the year +999999999.
      millis = t.text().startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    if (millis < 0) {
      throw new OutOfRange(
          "timestamp "
              + t.text()
              + " is before 1970: Kafka takes no record timestamp before 1970-01-01T00:00:00Z"
              + " (gateway.record.timestamp=event)");
    }
    long ahead = millis - receivedMilli;
    if (ahead > settings.maxAheadMs()) {
      throw new OutOfRange(
          "timestamp "
              + t.text()
              + " is "
              + Duration.ofMillis(ahead)
              + " ahead of the gateway's clock; as the record's timestamp"
              + " (gateway.record.timestamp=event) Kafka would refuse it beyond "
              + GatewayConfig.RECORD_TIMESTAMP_MAX_AHEAD
              + "="
              + settings.maxAheadMs()
              + ": fix the sender's clock, or send no timestamp");
    }
    if (-ahead > settings.maxBehindMs()) {
      throw new OutOfRange(
          "timestamp "
              + t.text()
              + " is "
              + Duration.ofMillis(-ahead)
              + " behind the gateway's clock; as the record's timestamp"
              + " (gateway.record.timestamp=event) Kafka would refuse it beyond "
              + GatewayConfig.RECORD_TIMESTAMP_MAX_BEHIND
              + "="
              + settings.maxBehindMs()
              + " (the topic's message.timestamp.before.max.ms)");
    }
    return millis;
  }
}
