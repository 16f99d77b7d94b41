package dev.ferry.http.outcome;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.http.Response;
import dev.ferry.http.outcome.Outcome.Failed;
import dev.ferry.http.outcome.Outcome.Kind;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Turns a response, or the lack of one, into an {@link Outcome}.
 *
 * <p>The rules, in order: 2xx is delivered; a JSON body with a boolean retry flag decides between
 * retry and permanent; a status in {@link StatusRules#retryThenStop()} is retried then stops the
 * task; a status in {@link StatusRules#retry()} is retried; any other status is permanent. A
 * network error or a timeout is retried.
 */
public final class OutcomeClassifier {
  private static final int EXCERPT_CHARS = 256;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final StatusRules rules;
  private final String retryFlagField;
  private final Clock clock;

  public OutcomeClassifier(StatusRules rules, String retryFlagField, Clock clock) {
    this.rules = rules;
    this.retryFlagField = retryFlagField;
    this.clock = clock;
  }

  public Outcome classify(Response response) {
    int status = response.status();
    if (response.isSuccess()) {
      return new Outcome.Delivered(status);
    }
    String excerpt = response.excerpt(EXCERPT_CHARS);
    Optional<Duration> retryAfter =
        rules.retryAfter().contains(status)
            ? response.header("Retry-After").flatMap(this::parseRetryAfter)
            : Optional.empty();
    Optional<Boolean> flag = retryFlag(response.body());
    if (flag.isPresent()) {
      return flag.get()
          ? new Failed(
              status,
              "HTTP " + status + ", response says retry=true",
              excerpt,
              Kind.RETRY,
              retryAfter)
          : new Failed(
              status,
              "HTTP " + status + ", response says retry=false",
              excerpt,
              Kind.PERMANENT,
              retryAfter);
    }
    if (rules.retryThenStop().contains(status)) {
      return new Failed(
          status,
          "HTTP " + status + " (retried, then the task stops: see http.retry.stop.status.codes)",
          excerpt,
          Kind.RETRY_THEN_STOP,
          retryAfter);
    }
    if (rules.retry().contains(status)) {
      return new Failed(status, "HTTP " + status + " (retriable)", excerpt, Kind.RETRY, retryAfter);
    }
    return new Failed(
        status,
        "HTTP " + status + " (permanent: not in http.retry.status.codes)",
        excerpt,
        Kind.PERMANENT,
        Optional.empty());
  }

  /** A request that got no response: connection refused or reset, TLS failure, timeout. */
  public Outcome classify(IOException error) {
    String what = error instanceof HttpTimeoutException ? "timed out" : "network error";
    String detail =
        error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    return new Failed(0, what + ": " + detail, "", Kind.RETRY, Optional.empty());
  }

  private Optional<Boolean> retryFlag(byte[] body) {
    int i = 0;
    while (i < body.length && Character.isWhitespace(body[i])) {
      i++;
    }
    if (i == body.length || body[i] != '{') {
      return Optional.empty();
    }
    try {
      JsonNode flag = JSON.readTree(body).get(retryFlagField);
      return flag != null && flag.isBoolean() ? Optional.of(flag.booleanValue()) : Optional.empty();
    } catch (IOException notJson) {
      return Optional.empty();
    }
  }

  /** {@code Retry-After} is either delay-seconds or an HTTP date. */
  Optional<Duration> parseRetryAfter(String value) {
    String v = value.strip();
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration wait = Duration.between(clock.instant(), at);
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
  }
}
