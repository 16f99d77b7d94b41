package dev.ferry.http.retry;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The waits between attempts, written as the seed's {@code retry.backoff.sec}: {@code
 * "5,30,60,300,600"} means five retries, the first after 5 s and the last after 10 min. Fractions
 * of a second are accepted ({@code "0.5,2"}).
 */
public final class BackoffSchedule {
  private final List<Duration> waits;
  private final double jitter;
  private final Duration maxRetryAfter;

  private BackoffSchedule(List<Duration> waits, double jitter, Duration maxRetryAfter) {
    this.waits = List.copyOf(waits);
    this.jitter = jitter;
    this.maxRetryAfter = maxRetryAfter;
  }

  /**
   * @param spec comma-separated seconds, empty for no retries
   * @param jitter spread each wait by up to this fraction either way (0 for none, at most 1)
   * @param maxRetryAfter the longest {@code Retry-After} honoured
   */
  public static BackoffSchedule parse(String spec, double jitter, Duration maxRetryAfter) {
    List<Duration> waits = new ArrayList<>();
    for (String raw : spec.split(",")) {
      String part = raw.strip();
      if (part.isEmpty()) {
        continue;
      }
      try {
        BigDecimal seconds = new BigDecimal(part);
        if (seconds.signum() < 0) {
          throw new NumberFormatException();
        }
        waits.add(Duration.ofMillis(seconds.movePointRight(3).longValue()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "'"
                + part
                + "' in '"
                + spec
                + "' is not a number of seconds: write waits like 5,30,60,300,600",
            e);
      }
    }
    if (jitter < 0 || jitter > 1) {
      throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
    }
    return new BackoffSchedule(waits, jitter, maxRetryAfter);
  }

  /** How many retries follow the first attempt. */
  public int retries() {
    return waits.size();
  }

  /**
   * The wait before retry number {@code retry} (1-based), or empty when the schedule is exhausted.
   * A {@code Retry-After} from the target lengthens the wait, up to the configured maximum.
   */
  public Optional<Duration> waitBefore(int retry, Optional<Duration> retryAfter) {
    if (retry < 1 || retry > waits.size()) {
      return Optional.empty();
    }
    Duration wait = spread(waits.get(retry - 1));
    if (retryAfter.isPresent()) {
      Duration asked =
          retryAfter.get().compareTo(maxRetryAfter) > 0 ? maxRetryAfter : retryAfter.get();
      if (asked.compareTo(wait) > 0) {
        wait = asked;
      }
    }
    return Optional.of(wait);
  }

  private Duration spread(Duration wait) {
    if (jitter == 0 || wait.isZero()) {
      return wait;
    }
    double factor = 1 + ThreadLocalRandom.current().nextDouble(-jitter, jitter);
    return Duration.ofMillis(Math.round(wait.toMillis() * factor));
  }

  @Override
  public String toString() {
    return waits.toString();
  }
}
