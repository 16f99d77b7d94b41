package dev.ferry.pipeline.deliver;

import dev.ferry.http.outcome.Outcome;
import dev.ferry.pipeline.record.PipelineRecord;
import java.time.Duration;
import java.util.List;

/**
 * Hears what happens to records: for metrics, logs and dead-lettering. Called from lane threads.
 */
public interface DeliveryListener {

  /** A request completed (any status) or failed without a response (status 0). */
  default void requestCompleted(int status, Duration latency, int records) {}

  default void delivered(List<PipelineRecord> records) {}

  default void retrying(int records, Outcome.Failed failure, int retry, Duration wait) {}

  /** A record whose mapping returned nothing: finished, nothing to send. */
  default void skipped(PipelineRecord record) {}

  /**
   * Entities of a batch not sent: merged into a later change of the same entity, or unchanged since
   * their last delivery.
   */
  default void deltaApplied(int collapsed, int unchanged) {}

  /** A record dropped by the user's explicit choice of strategy or tombstone behaviour. */
  default void dropped(PipelineRecord record, String reason) {}

  /**
   * Sends a record to the dead-letter topic. Returns once the write is handed over; throwing stops
   * the task.
   */
  default void deadLetter(PipelineRecord record, Outcome.Failed failure, int attempts) {
    throw new UnsupportedOperationException("no dead-letter topic configured");
  }
}
