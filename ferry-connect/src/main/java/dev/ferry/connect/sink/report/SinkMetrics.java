package dev.ferry.connect.sink.report;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.function.IntSupplier;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Rate;

/**
 * The task's metrics, registered with Connect's plugin metrics so they appear in JMX under {@code
 * kafka.connect:type=plugins,connector=...,task=...}.
 */
public final class SinkMetrics {
  private final PluginMetrics metrics;
  private final Sensor delivered;
  private final Sensor retried;
  private final Sensor deadLettered;
  private final Sensor dropped;
  private final Sensor skipped;
  private final Sensor collapsed;
  private final Sensor unchanged;
  private final Sensor[] byStatusClass = new Sensor[6];
  private final Sensor latency;
  private final Sensor batchSize;

  public SinkMetrics(PluginMetrics metrics, IntSupplier inFlight) {
    this.metrics = metrics;
    delivered = counter("records-delivered", "Records the target accepted");
    delivered.add(name("records-delivered-rate", "Records delivered per second"), new Rate());
    retried = counter("records-retried", "Records sent again after a failed attempt");
    deadLettered = counter("records-dead-lettered", "Records written to the dead-letter topic");
    dropped = counter("records-dropped", "Records dropped by the error strategy or tombstone rule");
    skipped = counter("records-skipped", "Records the mapping turned into nothing to send");
    collapsed =
        counter("entities-collapsed", "Entity changes merged into a later one in the same batch");
    unchanged =
        counter("entities-unchanged", "Upserts not sent: their data was unchanged since delivered");
    String[] classes = {"error", "1xx", "2xx", "3xx", "4xx", "5xx"};
    for (int i = 0; i < classes.length; i++) {
      byStatusClass[i] =
          counter(
              "requests-" + classes[i],
              i == 0 ? "Requests that got no response" : "Responses with status " + classes[i]);
    }
    latency = metrics.addSensor("ferry-request-latency");
    latency.add(name("request-latency-avg", "Average request latency in ms"), new Avg());
    latency.add(name("request-latency-max", "Longest request latency in ms"), new Max());
    batchSize = metrics.addSensor("ferry-batch-size");
    batchSize.add(name("batch-size-avg", "Average records per request"), new Avg());
    batchSize.add(name("batch-size-max", "Most records in one request"), new Max());
    metrics.addMetric(
        name("requests-in-flight", "Requests awaiting a response"),
        (Gauge<Integer>) (config, now) -> inFlight.getAsInt());
  }

  private Sensor counter(String metric, String description) {
    Sensor sensor = metrics.addSensor("ferry-" + metric);
    sensor.add(name(metric + "-total", description), new CumulativeSum());
    return sensor;
  }

  private org.apache.kafka.common.MetricName name(String metric, String description) {
    return metrics.metricName(metric, description, new LinkedHashMap<>());
  }

  void request(int status, Duration took, int records) {
    byStatusClass[status <= 0 || status >= 600 ? 0 : status / 100].record();
    latency.record(took.toNanos() / 1e6);
    batchSize.record(records);
  }

  void delivered(int records) {
    delivered.record(records);
  }

  void retried(int records) {
    retried.record(records);
  }

  void deadLettered() {
    deadLettered.record();
  }

  void dropped() {
    dropped.record();
  }

  void skipped() {
    skipped.record();
  }

  void delta(int collapsedEntities, int unchangedEntities) {
    if (collapsedEntities > 0) {
      collapsed.record(collapsedEntities);
    }
    if (unchangedEntities > 0) {
      unchanged.record(unchangedEntities);
    }
  }
}
