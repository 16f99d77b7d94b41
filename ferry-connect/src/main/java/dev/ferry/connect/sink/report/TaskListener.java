package dev.ferry.connect.sink.report;

import dev.ferry.http.outcome.Outcome;
import dev.ferry.pipeline.deliver.DeliveryListener;
import dev.ferry.pipeline.record.PipelineRecord;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counts, logs (never payloads) and dead-letters what the delivery engine reports. */
public final class TaskListener implements DeliveryListener {
  public static final String HEADER_STATUS = "ferry.error.status";
  public static final String HEADER_REASON = "ferry.error.reason";
  public static final String HEADER_RESPONSE = "ferry.error.response";
  public static final String HEADER_ATTEMPTS = "ferry.error.attempts";

  private static final Logger log = LoggerFactory.getLogger(TaskListener.class);

  private final SinkMetrics metrics;
  private final ErrantRecordReporter reporter;
  private final String strategy;

  public TaskListener(SinkMetrics metrics, ErrantRecordReporter reporter, String strategy) {
    this.metrics = metrics;
    this.reporter = reporter;
    this.strategy = strategy;
  }

  @Override
  public void requestCompleted(int status, Duration latency, int records) {
    metrics.request(status, latency, records);
  }

  @Override
  public void delivered(List<PipelineRecord> records) {
    metrics.delivered(records.size());
  }

  @Override
  public void retrying(int records, Outcome.Failed failure, int retry, Duration wait) {
    metrics.retried(records);
    log.info(
        "{} for {} record(s); retry {} in {} ms",
        failure.reason(),
        records,
        retry,
        wait.toMillis());
  }

  @Override
  public void skipped(PipelineRecord record) {
    metrics.skipped();
  }

  @Override
  public void deltaApplied(int collapsed, int unchanged) {
    metrics.delta(collapsed, unchanged);
  }

  @Override
  public void dropped(PipelineRecord record, String reason) {
    metrics.dropped();
    log.warn("Dropped {}: {} (error.strategy={})", record.position(), reason, strategy);
  }

  @Override
  public void deadLetter(PipelineRecord record, Outcome.Failed failure, int attempts) {
    if (reporter == null) {
      throw new ConnectException(
          "this Connect worker offers no dead-letter reporter: use Kafka Connect 2.6 or newer");
    }
    SinkRecord original = (SinkRecord) record.origin();
    Headers headers = new ConnectHeaders();
    original.headers().forEach(headers::add);
    headers.addInt(HEADER_STATUS, failure.status());
    headers.addString(HEADER_REASON, failure.reason());
    headers.addString(HEADER_RESPONSE, failure.responseExcerpt());
    headers.addInt(HEADER_ATTEMPTS, attempts);
    // A plain SinkRecord (not the worker's internal one) makes Connect write our headers too.
    SinkRecord annotated =
        new SinkRecord(
            original.topic(),
            original.kafkaPartition(),
            original.keySchema(),
            original.key(),
            original.valueSchema(),
            original.value(),
            original.kafkaOffset(),
            original.timestamp(),
            original.timestampType(),
            headers);
    // Connect waits for this write before it commits the record's offset (KIP-610).
    var unused =
        reporter.report(annotated, new DeliveryRejectedException(failure.reason(), attempts));
    metrics.deadLettered();
    log.warn(
        "Dead-lettered {}: {} after {} attempt(s)", record.position(), failure.reason(), attempts);
  }

  /** The cause recorded with a dead-lettered record. */
  static final class DeliveryRejectedException extends ConnectException {
    private static final long serialVersionUID = 1L;

    DeliveryRejectedException(String reason, int attempts) {
      super(reason + " after " + attempts + " attempt(s)");
    }
  }
}
