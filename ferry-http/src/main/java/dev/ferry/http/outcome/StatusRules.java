package dev.ferry.http.outcome;

/**
 * Which failed statuses are worth retrying. A status in none of the sets is permanent.
 *
 * @param retryThenStop retried on the schedule, then the task stops (the seed's default list)
 * @param retry retried on the schedule, then the error strategy decides
 * @param retryAfter statuses whose {@code Retry-After} header is honoured
 */
public record StatusRules(StatusSet retryThenStop, StatusSet retry, StatusSet retryAfter) {
  public static final String DEFAULT_RETRY_THEN_STOP = "401,403,405,406,502,503,504";
  public static final String DEFAULT_RETRY = "408,429,500-599";
  public static final String DEFAULT_RETRY_AFTER = "429,503";

  public static StatusRules defaults() {
    return new StatusRules(
        StatusSet.parse(DEFAULT_RETRY_THEN_STOP),
        StatusSet.parse(DEFAULT_RETRY),
        StatusSet.parse(DEFAULT_RETRY_AFTER));
  }
}
