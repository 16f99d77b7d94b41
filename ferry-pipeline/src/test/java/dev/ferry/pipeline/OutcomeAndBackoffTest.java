package dev.ferry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.http.Response;
import dev.ferry.http.outcome.Outcome;
import dev.ferry.http.outcome.Outcome.Failed;
import dev.ferry.http.outcome.Outcome.Kind;
import dev.ferry.http.outcome.OutcomeClassifier;
import dev.ferry.http.outcome.StatusRules;
import dev.ferry.http.outcome.StatusSet;
import dev.ferry.http.retry.BackoffSchedule;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The ferry-http rules the pipeline relies on: which statuses retry, and how long to wait. */
class OutcomeAndBackoffTest {

  private static Response response(int status, String body, Map<String, List<String>> headers) {
    return new Response(
        status, headers, body.getBytes(StandardCharsets.UTF_8), Duration.ofMillis(3));
  }

  private static Response response(int status, String body) {
    return response(status, body, Map.of());
  }

  @Nested
  class StatusSets {
    @Test
    void parsesCodesAndInclusiveRanges() {
      StatusSet set = StatusSet.parse(" 401 , 429,500-502 ,, ");

      assertThat(set.contains(401)).isTrue();
      assertThat(set.contains(429)).isTrue();
      assertThat(set.contains(500)).isTrue();
      assertThat(set.contains(501)).isTrue();
      assertThat(set.contains(502)).isTrue();
      assertThat(set.contains(400)).isFalse();
      assertThat(set.contains(503)).isFalse();
      assertThat(set.contains(0)).isFalse();
      assertThat(set.contains(-1)).isFalse();
      assertThat(set.contains(999)).isFalse();
    }

    @Test
    void fullRangeAndEmptySpec() {
      StatusSet all = StatusSet.parse("100-599");
      assertThat(all.contains(100)).isTrue();
      assertThat(all.contains(599)).isTrue();
      assertThat(all.contains(600)).isFalse();

      StatusSet none = StatusSet.parse("");
      assertThat(none.contains(500)).isFalse();
    }

    @Test
    void rejectsWhatIsNotACodeNamingThePart() {
      assertThatThrownBy(() -> StatusSet.parse("429,5xx"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'5xx'")
          .hasMessageContaining("not an HTTP status code");
      assertThatThrownBy(() -> StatusSet.parse("429,700"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'700'");
      assertThatThrownBy(() -> StatusSet.parse("99"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'99'");
      assertThatThrownBy(() -> StatusSet.parse("500-abc"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'abc'");
    }

    @Test
    void rejectsABackwardRange() {
      assertThatThrownBy(() -> StatusSet.parse("429, 599-500"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'599-500'")
          .hasMessageContaining("empty range");
    }
  }

  @Nested
  class Classifier {
    private final OutcomeClassifier classifier =
        new OutcomeClassifier(StatusRules.defaults(), "retry", Clock.systemUTC());

    private Failed failed(Response response) {
      Outcome outcome = classifier.classify(response);
      assertThat(outcome).isInstanceOf(Failed.class);
      return (Failed) outcome;
    }

    @Test
    void twoHundredsAreDelivered() {
      assertThat(classifier.classify(response(200, "{}"))).isEqualTo(new Outcome.Delivered(200));
      assertThat(classifier.classify(response(204, ""))).isEqualTo(new Outcome.Delivered(204));
      assertThat(classifier.classify(response(299, "{\"retry\":true}")))
          .isEqualTo(new Outcome.Delivered(299));
    }

    @Test
    void retryFlagTrueRetriesEvenA400() {
      Failed f = failed(response(400, " {\"retry\": true, \"error\":\"busy\"}"));

      assertThat(f.kind()).isEqualTo(Kind.RETRY);
      assertThat(f.retriable()).isTrue();
      assertThat(f.status()).isEqualTo(400);
      assertThat(f.reason()).contains("HTTP 400").contains("retry=true");
      assertThat(f.responseExcerpt()).isEqualTo("{\"retry\": true, \"error\":\"busy\"}");
    }

    @Test
    void retryFlagFalseMakesEvenA500Permanent() {
      Failed f = failed(response(500, "{\"retry\":false}"));

      assertThat(f.kind()).isEqualTo(Kind.PERMANENT);
      assertThat(f.retriable()).isFalse();
      assertThat(f.reason()).contains("retry=false");
    }

    @Test
    void aRetryFieldThatIsNotBooleanIsIgnored() {
      assertThat(failed(response(400, "{\"retry\":\"yes\"}")).kind()).isEqualTo(Kind.PERMANENT);
      assertThat(failed(response(500, "{\"retry\":1}")).kind()).isEqualTo(Kind.RETRY);
      assertThat(failed(response(500, "{\"retry\":")).kind()).isEqualTo(Kind.RETRY);
    }

    @Test
    void theFlagFieldIsConfigurable() {
      OutcomeClassifier custom =
          new OutcomeClassifier(StatusRules.defaults(), "transient", Clock.systemUTC());

      Outcome outcome = custom.classify(response(400, "{\"transient\":true,\"retry\":false}"));

      assertThat(((Failed) outcome).kind()).isEqualTo(Kind.RETRY);
    }

    @Test
    void unauthorizedIsRetriedThenStops() {
      Failed f = failed(response(401, "{\"error\":\"expired\"}"));

      assertThat(f.kind()).isEqualTo(Kind.RETRY_THEN_STOP);
      assertThat(f.retriable()).isTrue();
      assertThat(f.reason()).contains("HTTP 401");
      assertThat(failed(response(503, "")).kind()).isEqualTo(Kind.RETRY_THEN_STOP);
    }

    @Test
    void serverErrorIsRetried() {
      Failed f = failed(response(500, "<html>\n  oops\n</html>"));

      assertThat(f.kind()).isEqualTo(Kind.RETRY);
      assertThat(f.reason()).isEqualTo("HTTP 500 (retriable)");
      assertThat(f.responseExcerpt()).isEqualTo("<html> oops </html>");
      assertThat(f.retryAfter()).isEmpty();
    }

    @Test
    void notFoundIsPermanent() {
      Failed f = failed(response(404, "{\"error\":\"no such item\"}"));

      assertThat(f.kind()).isEqualTo(Kind.PERMANENT);
      assertThat(f.retriable()).isFalse();
      assertThat(f.reason()).contains("HTTP 404").contains("permanent");
      assertThat(failed(response(400, "bad")).kind()).isEqualTo(Kind.PERMANENT);
    }

    @Test
    void tooManyRequestsHonoursRetryAfterSeconds() {
      Failed f = failed(response(429, "", Map.of("retry-after", List.of(" 3 "))));

      assertThat(f.kind()).isEqualTo(Kind.RETRY);
      assertThat(f.retryAfter()).contains(Duration.ofSeconds(3));
    }

    @Test
    void retryAfterIsIgnoredWhereNotConfiguredOrUnreadable() {
      assertThat(failed(response(500, "", Map.of("Retry-After", List.of("3")))).retryAfter())
          .isEmpty();
      assertThat(failed(response(429, "", Map.of("Retry-After", List.of("soon")))).retryAfter())
          .isEmpty();
      assertThat(failed(response(429, "", Map.of("Retry-After", List.of("-4")))).retryAfter())
          .contains(Duration.ZERO);
    }

    @Test
    void retryAfterHttpDateIsMeasuredFromTheClock() {
      Clock clock = Clock.fixed(Instant.parse("2015-10-21T07:27:30Z"), ZoneOffset.UTC);
      OutcomeClassifier at = new OutcomeClassifier(StatusRules.defaults(), "retry", clock);

      Outcome later =
          at.classify(
              response(503, "", Map.of("Retry-After", List.of("Wed, 21 Oct 2015 07:28:00 GMT"))));
      Outcome past =
          at.classify(
              response(429, "", Map.of("Retry-After", List.of("Wed, 21 Oct 2015 07:00:00 GMT"))));

      assertThat(((Failed) later).retryAfter()).contains(Duration.ofSeconds(30));
      assertThat(((Failed) past).retryAfter()).contains(Duration.ZERO);
    }

    @Test
    void networkErrorIsRetriedWithStatusZero() {
      Outcome outcome = classifier.classify(new ConnectException("Connection refused"));

      assertThat(outcome).isInstanceOf(Failed.class);
      Failed f = (Failed) outcome;
      assertThat(f.status()).isZero();
      assertThat(f.kind()).isEqualTo(Kind.RETRY);
      assertThat(f.reason()).isEqualTo("network error: Connection refused");
      assertThat(f.responseExcerpt()).isEmpty();
      assertThat(f.retryAfter()).isEmpty();
    }

    @Test
    void timeoutIsRetriedAndSaysSo() {
      Failed timeout = (Failed) classifier.classify(new HttpTimeoutException("request timed out"));
      Failed bare = (Failed) classifier.classify(new IOException());

      assertThat(timeout.kind()).isEqualTo(Kind.RETRY);
      assertThat(timeout.reason()).startsWith("timed out");
      assertThat(bare.status()).isZero();
      assertThat(bare.reason()).isEqualTo("network error: IOException");
    }
  }

  @Nested
  class Schedules {
    private final Duration maxRetryAfter = Duration.ofSeconds(60);

    @Test
    void eachListedWaitIsOneRetry() {
      BackoffSchedule schedule = BackoffSchedule.parse("5,30", 0, maxRetryAfter);

      assertThat(schedule.retries()).isEqualTo(2);
      assertThat(schedule.waitBefore(1, Optional.empty())).contains(Duration.ofSeconds(5));
      assertThat(schedule.waitBefore(2, Optional.empty())).contains(Duration.ofSeconds(30));
    }

    @Test
    void exhaustedScheduleHasNoWait() {
      BackoffSchedule schedule = BackoffSchedule.parse("5,30", 0, maxRetryAfter);

      assertThat(schedule.waitBefore(3, Optional.empty())).isEmpty();
      assertThat(schedule.waitBefore(0, Optional.empty())).isEmpty();
      assertThat(schedule.waitBefore(3, Optional.of(Duration.ofSeconds(1)))).isEmpty();
    }

    @Test
    void emptySpecMeansNoRetries() {
      BackoffSchedule schedule = BackoffSchedule.parse(" ", 0, maxRetryAfter);

      assertThat(schedule.retries()).isZero();
      assertThat(schedule.waitBefore(1, Optional.empty())).isEmpty();
    }

    @Test
    void retryAfterLengthensTheWaitUpToTheMaximum() {
      BackoffSchedule schedule = BackoffSchedule.parse("5,30", 0, maxRetryAfter);

      assertThat(schedule.waitBefore(1, Optional.of(Duration.ofSeconds(20))))
          .contains(Duration.ofSeconds(20));
      assertThat(schedule.waitBefore(1, Optional.of(Duration.ofMinutes(10))))
          .contains(maxRetryAfter);
      assertThat(schedule.waitBefore(2, Optional.of(Duration.ofSeconds(2))))
          .contains(Duration.ofSeconds(30));
    }

    @Test
    void jitterSpreadsWithinItsFraction() {
      BackoffSchedule schedule = BackoffSchedule.parse("10", 0.2, maxRetryAfter);

      Set<Duration> seen = new HashSet<>();
      for (int i = 0; i < 2_000; i++) {
        Duration wait = schedule.waitBefore(1, Optional.empty()).orElseThrow();
        assertThat(wait).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(12));
        seen.add(wait);
      }
      assertThat(seen).hasSizeGreaterThan(100);
      assertThat(seen.stream().anyMatch(d -> d.toMillis() < 9_000)).isTrue();
      assertThat(seen.stream().anyMatch(d -> d.toMillis() > 11_000)).isTrue();
    }

    @Test
    void zeroWaitsStayZeroWithJitter() {
      BackoffSchedule schedule = BackoffSchedule.parse("0", 1, maxRetryAfter);

      assertThat(schedule.waitBefore(1, Optional.empty())).contains(Duration.ZERO);
    }

    @Test
    void fractionsOfASecondAreMilliseconds() {
      BackoffSchedule schedule = BackoffSchedule.parse("0.5, 1.25 ,2", 0, maxRetryAfter);

      assertThat(schedule.retries()).isEqualTo(3);
      assertThat(schedule.waitBefore(1, Optional.empty())).contains(Duration.ofMillis(500));
      assertThat(schedule.waitBefore(2, Optional.empty())).contains(Duration.ofMillis(1_250));
      assertThat(schedule.waitBefore(3, Optional.empty())).contains(Duration.ofSeconds(2));
    }

    @Test
    void badInputNamesThePart() {
      assertThatThrownBy(() -> BackoffSchedule.parse("5,thirty,60", 0, maxRetryAfter))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'thirty'")
          .hasMessageContaining("'5,thirty,60'")
          .hasMessageContaining("not a number of seconds");
      assertThatThrownBy(() -> BackoffSchedule.parse("5,-1", 0, maxRetryAfter))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'-1'");
      assertThatThrownBy(() -> BackoffSchedule.parse("5", 1.5, maxRetryAfter))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("jitter")
          .hasMessageContaining("1.5");
      assertThatThrownBy(() -> BackoffSchedule.parse("5", -0.1, maxRetryAfter))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("jitter");
    }
  }
}
