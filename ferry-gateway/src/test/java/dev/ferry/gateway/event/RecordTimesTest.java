package dev.ferry.gateway.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.gateway.GatewayConfig;
import dev.ferry.gateway.event.Envelope.Outgoing;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordTimesTest {
  private static final long HOUR = 3_600_000;
  private static final long NOW = Instant.parse("2026-12-01T12:00:00Z").toEpochMilli();
  private static final RecordTimes EVENT_TIME =
      new RecordTimes(new GatewayConfig.RecordTime(true, HOUR, 24 * HOUR));

  private static Event event(String timestamp) throws EventReader.BadBody {
    String time = timestamp == null ? "" : ",\"timestamp\":" + timestamp;
    return new EventReader(1 << 20, 10, List.of("user_id"))
        .event("{\"event_type\":\"t\",\"user_id\":\"u\"" + time + "}");
  }

  @Test
  void byDefaultTheProducerStampsTheRecord() throws Exception {
    RecordTimes received = new RecordTimes(new GatewayConfig.RecordTime(false, HOUR, HOUR));
    assertThat(received.of(event("\"2020-01-01T00:00:00Z\""), NOW))
        .isEqualTo(Outgoing.PRODUCER_CLOCK);
  }

  @Test
  void withEventTimeTheEventsTimeWhenItHasOne() throws Exception {
    assertThat(EVENT_TIME.of(event("\"2026-12-01T12:30:00.123+01:00\""), NOW))
        .isEqualTo(Instant.parse("2026-12-01T11:30:00.123Z").toEpochMilli());
    assertThat(EVENT_TIME.of(event(null), NOW)).isEqualTo(Outgoing.PRODUCER_CLOCK);
    assertThat(EVENT_TIME.of(event("null"), NOW)).isEqualTo(Outgoing.PRODUCER_CLOCK);
    // Exactly at the limits is still taken.
    assertThat(EVENT_TIME.of(event("\"2026-12-01T13:00:00Z\""), NOW)).isEqualTo(NOW + HOUR);
    assertThat(EVENT_TIME.of(event("\"2026-11-30T12:00:00Z\""), NOW)).isEqualTo(NOW - 24 * HOUR);
  }

  @Test
  void timesKafkaWouldRefuseAreOutOfRange() {
    assertThatThrownBy(() -> EVENT_TIME.of(event("\"2026-12-01T13:00:00.001Z\""), NOW))
        .isInstanceOf(RecordTimes.OutOfRange.class)
        .hasMessageContaining("PT1H0.001S ahead of the gateway's clock")
        .hasMessageContaining(GatewayConfig.RECORD_TIMESTAMP_MAX_AHEAD + "=3600000");
    assertThatThrownBy(() -> EVENT_TIME.of(event("\"2026-11-30T11:59:59Z\""), NOW))
        .hasMessageContaining("behind the gateway's clock")
        .hasMessageContaining(GatewayConfig.RECORD_TIMESTAMP_MAX_BEHIND);
    assertThatThrownBy(() -> EVENT_TIME.of(event("\"1969-12-31T23:59:59.999Z\""), NOW))
        .hasMessageContaining("before 1970");
    // Past what a long of milliseconds holds, either way.
    assertThatThrownBy(() -> EVENT_TIME.of(event("\"+999999999-12-31T23:59:59Z\""), NOW))
        .hasMessageContaining("ahead of the gateway's clock");
    assertThatThrownBy(() -> EVENT_TIME.of(event("\"-999999999-01-01T00:00:00Z\""), NOW))
        .hasMessageContaining("before 1970");
  }

  @Test
  void anOutOfRangeTimeIsARejectionOfTheTimestampField() {
    assertThatThrownBy(() -> EVENT_TIME.of(event("\"2099-01-01T00:00:00Z\""), NOW))
        .isInstanceOfSatisfying(
            RecordTimes.OutOfRange.class,
            e -> {
              assertThat(e.rejection().field()).isEqualTo("timestamp");
              assertThat(e.rejection().rule()).isEqualTo("timestamp_range");
              assertThat(e.rejection().message()).isEqualTo(e.getMessage());
            });
  }
}
