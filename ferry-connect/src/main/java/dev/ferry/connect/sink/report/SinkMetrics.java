package dev.ferry.connect.sink.report;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
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

  private static final String[] STATUS_CLASSES = {"error", "1xx", "2xx", "3xx", "4xx", "5xx"};

  /** Every metric of a task and what it means, in the order of the docs. */
  public static final Map<String, String> DESCRIPTIONS = descriptions();

  private static Map<String, String> descriptions() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("records-delivered-total", "Records the target accepted");
    d.put("records-delivered-rate", "Records delivered per second");
    d.put("records-retried-total", "Records sent again after a failed attempt");
    d.put("records-dead-lettered-total", "Records written to the dead-letter topic");
    d.put("records-dropped-total", "Records dropped by the error strategy or tombstone rule");
    d.put("records-skipped-total", "Records the mapping turned into nothing to send");
    d.put("entities-collapsed-total", "Entity changes merged into a later one in the same batch");
    d.put(
        "entities-unchanged-total",
        "Upserts not sent because their data was unchanged since its last delivery");
    for (int i = 0; i < STATUS_CLASSES.length; i++) {
      d.put(
          "requests-" + STATUS_CLASSES[i] + "-total",
          i == 0 ? "Requests that got no response" : "Responses with status " + STATUS_CLASSES[i]);
    }
    d.put("request-latency-avg", "Average request latency in ms");
    d.put("request-latency-max", "Longest request latency in ms");
    d.put("batch-size-avg", "Average records per request");
    d.put("batch-size-max", "Most records in one request");
    d.put("requests-in-flight", "Requests awaiting a response");
    return java.util.Collections.unmodifiableMap(d);
  }

  /**
   * Connect registers plugin sensors by name across the whole worker: each task's sensors get a
   * name of their own, or tasks would count into (and, stopping, remove) each other's.
   */
  private static final AtomicLong INSTANCES = new AtomicLong();

  private final String scope = "-" + INSTANCES.incrementAndGet();

  public SinkMetrics(PluginMetrics metrics, IntSupplier inFlight) {
    this.metrics = metrics;
    delivered = counter("records-delivered");
    delivered.add(name("records-delivered-rate"), new Rate());
    retried = counter("records-retried");
    deadLettered = counter("records-dead-lettered");
    dropped = counter("records-dropped");
    skipped = counter("records-skipped");
    collapsed = counter("entities-collapsed");
    unchanged = counter("entities-unchanged");
    for (int i = 0; i < STATUS_CLASSES.length; i++) {
      byStatusClass[i] = counter("requests-" + STATUS_CLASSES[i]);
    }
    latency = metrics.addSensor("ferry-request-latency" + scope);
    latency.add(name("request-latency-avg"), new Avg());
    latency.add(name("request-latency-max"), new Max());
    batchSize = metrics.addSensor("ferry-batch-size" + scope);
    batchSize.add(name("batch-size-avg"), new Avg());
    batchSize.add(name("batch-size-max"), new Max());
    metrics.addMetric(
        name("requests-in-flight"), (Gauge<Integer>) (config, now) -> inFlight.getAsInt());
  }

  private Sensor counter(String metric) {
    Sensor sensor = metrics.addSensor("ferry-" + metric + scope);
    sensor.add(name(metric + "-total"), new CumulativeSum());
    return sensor;
  }

  private org.apache.kafka.common.MetricName name(String metric) {
    String description = DESCRIPTIONS.get(metric);
    if (description == null) {
      throw new IllegalStateException("metric " + metric + " is not described in DESCRIPTIONS");
    }
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
