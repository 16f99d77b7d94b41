package dev.ferry.gateway.ingest;

import java.util.List;

/**
 * The answer to one request: the HTTP status and each event's result. Status rules (also in
 * docs/event-gateway.md): 200 when no event was rejected or failed; 202 in async mode; 207 when
 * some events were rejected and others accepted or dropped; 400 when every event was rejected (413
 * when a single event was too large); 503 with {@code Retry-After} when Kafka did not store an
 * event for a reason that may pass (retry the request: ids already stored are accepted once); 500
 * when Kafka refused an event for good (authorization, unknown topic).
 *
 * @param status the HTTP status
 * @param results one per event, in request order
 * @param retryAfterSeconds for 503, else 0
 */
public record Outcome(int status, List<Result> results, int retryAfterSeconds) {

  public long count(String resultStatus) {
    return results.stream().filter(r -> r.status().equals(resultStatus)).count();
  }

  static Outcome of(List<Result> results, boolean async) {
    boolean retriable = false;
    boolean broken = false;
    long rejected = 0;
    long kept = 0;
    for (Result r : results) {
      switch (r.status()) {
        case Result.FAILED:
          retriable |= r.failure().retriable();
          broken |= !r.failure().retriable();
          break;
        case Result.REJECTED:
          rejected++;
          break;
        default:
          kept++;
      }
    }
    if (retriable) {
      return new Outcome(503, results, 5);
    }
    if (broken) {
      return new Outcome(500, results, 0);
    }
    if (rejected == 0) {
      return new Outcome(async ? 202 : 200, results, 0);
    }
    if (kept > 0) {
      return new Outcome(207, results, 0);
    }
    boolean tooLarge = results.size() == 1 && "too_large".equals(results.get(0).rejection().rule());
    return new Outcome(tooLarge ? 413 : 400, results, 0);
  }
}
