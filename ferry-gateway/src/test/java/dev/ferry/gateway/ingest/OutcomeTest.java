package dev.ferry.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.gateway.event.Rejection;
import dev.ferry.gateway.produce.Delivery;
import dev.ferry.gateway.produce.Failure;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutcomeTest {
  private static Result accepted() {
    return new Result(
        0,
        Result.ACCEPTED,
        "m",
        "t",
        null,
        Delivery.stored("events", 0, 1),
        null,
        null,
        false,
        10,
        false);
  }

  private static Result dropped() {
    return new Result(0, Result.DROPPED, "m", "t", null, null, null, null, false, 10, true);
  }

  private static Result rejected(String rule) {
    return new Result(
        0,
        Result.REJECTED,
        null,
        null,
        null,
        null,
        new Rejection("x", rule, "no"),
        null,
        false,
        10,
        false);
  }

  private static Result failed(String reason, boolean retriable) {
    Failure f = new Failure(reason, retriable, "broken");
    return new Result(
        0, Result.FAILED, "m", "t", null, Delivery.failed("events", f), null, f, false, 10, false);
  }

  @Test
  void allAcceptedOrDroppedIs200() {
    assertThat(Outcome.of(List.of(accepted(), accepted()), false).status()).isEqualTo(200);
    assertThat(Outcome.of(List.of(accepted(), dropped()), false).status()).isEqualTo(200);
    assertThat(Outcome.of(List.of(dropped()), false).status()).isEqualTo(200);
    assertThat(Outcome.of(List.of(accepted()), false).retryAfterSeconds()).isZero();
  }

  @Test
  void asyncIs202() {
    assertThat(Outcome.of(List.of(accepted(), dropped()), true).status()).isEqualTo(202);
    assertThat(Outcome.of(List.of(accepted(), rejected("required")), true).status()).isEqualTo(207);
    assertThat(Outcome.of(List.of(rejected("required")), true).status()).isEqualTo(400);
  }

  @Test
  void partlyRejectedIs207() {
    Outcome o = Outcome.of(List.of(accepted(), rejected("required"), dropped()), false);
    assertThat(o.status()).isEqualTo(207);
    assertThat(o.count(Result.ACCEPTED)).isEqualTo(1);
    assertThat(o.count(Result.REJECTED)).isEqualTo(1);
    assertThat(o.count(Result.DROPPED)).isEqualTo(1);
    assertThat(Outcome.of(List.of(dropped(), rejected("text")), false).status()).isEqualTo(207);
  }

  @Test
  void allRejectedIs400() {
    assertThat(Outcome.of(List.of(rejected("required"), rejected("too_large")), false).status())
        .isEqualTo(400);
    assertThat(Outcome.of(List.of(rejected("iso8601")), false).status()).isEqualTo(400);
  }

  @Test
  void aSingleTooLargeEventIs413() {
    assertThat(Outcome.of(List.of(rejected("too_large")), false).status()).isEqualTo(413);
  }

  @Test
  void aRetriableFailureIs503WithRetryAfter() {
    Outcome o =
        Outcome.of(
            List.of(
                accepted(),
                failed("kafka_unavailable", true),
                failed("unknown_topic", false),
                rejected("text")),
            false);
    assertThat(o.status()).isEqualTo(503);
    assertThat(o.retryAfterSeconds()).isPositive();
  }

  @Test
  void aLastingFailureIs500() {
    Outcome o = Outcome.of(List.of(accepted(), failed("kafka_authorization", false)), false);
    assertThat(o.status()).isEqualTo(500);
    assertThat(o.retryAfterSeconds()).isZero();
    assertThat(o.count(Result.FAILED)).isEqualTo(1);
  }

  @Test
  void reasons() {
    assertThat(accepted().reason()).isEmpty();
    assertThat(dropped().reason()).isEqualTo("consent");
    assertThat(rejected("iso8601").reason()).isEqualTo("iso8601");
    assertThat(failed("unknown_topic", false).reason()).isEqualTo("unknown_topic");
    Result dup =
        new Result(
            0,
            Result.ACCEPTED,
            "m",
            "t",
            null,
            Delivery.stored("events", 0, 1),
            null,
            null,
            true,
            10,
            false);
    assertThat(dup.reason()).isEqualTo("duplicate");
    Result routed =
        new Result(
            0,
            Result.ACCEPTED,
            "m",
            "t",
            null,
            Delivery.stored("denied", 0, 1),
            null,
            null,
            false,
            10,
            true);
    assertThat(routed.reason()).isEqualTo("consent");
  }
}
