package dev.ferry.http.outcome;

import java.time.Duration;
import java.util.Optional;

/** What one attempt to deliver came to. */
public sealed interface Outcome {

  /** The target accepted the request (2xx). */
  record Delivered(int status) implements Outcome {}

  /**
   * The attempt failed.
   *
   * @param status the HTTP status, or 0 when no response came (network error, timeout)
   * @param reason one line a user can act on; never holds payloads or secrets
   * @param responseExcerpt the start of the response body, or empty
   * @param kind what to do about it
   * @param retryAfter how long the target asked us to wait, when it did
   */
  record Failed(
      int status, String reason, String responseExcerpt, Kind kind, Optional<Duration> retryAfter)
      implements Outcome {

    public boolean retriable() {
      return kind != Kind.PERMANENT;
    }
  }

  /** How a failure is handled. */
  enum Kind {
    /** Retry on the schedule; when it is exhausted the error strategy decides. */
    RETRY,
    /** Retry on the schedule; when it is exhausted the task stops (the seed's 401/403/5xx rule). */
    RETRY_THEN_STOP,
    /** Retrying will not help; the error strategy decides at once. */
    PERMANENT
  }
}
