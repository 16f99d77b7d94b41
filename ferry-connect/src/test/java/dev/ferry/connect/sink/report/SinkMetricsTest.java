package dev.ferry.connect.sink.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.junit.jupiter.api.Test;

/** Two tasks of one worker share Connect's metrics registry, as they do in a real worker. */
class SinkMetricsTest {

  private static double value(Metrics metrics, String task, String metric) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("connector", "c");
    tags.put("task", task);
    return metrics.metrics().entrySet().stream()
        .filter(e -> e.getKey().name().equals(metric) && e.getKey().tags().equals(tags))
        .map(e -> ((Number) e.getValue().metricValue()).doubleValue())
        .findFirst()
        .orElseThrow();
  }

  @Test
  void eachTaskCountsItsOwnRecordsAndStoppingOneLeavesTheOther() throws Exception {
    try (Metrics metrics = new Metrics()) {
      PluginMetricsImpl task0 =
          new PluginMetricsImpl(metrics, Map.of("connector", "c", "task", "0"));
      PluginMetricsImpl task1 =
          new PluginMetricsImpl(metrics, Map.of("connector", "c", "task", "1"));
      SinkMetrics first = new SinkMetrics(task0, () -> 0);
      SinkMetrics second = new SinkMetrics(task1, () -> 0);

      first.delivered(5);
      second.delivered(2);
      first.request(200, Duration.ofMillis(3), 5);

      assertThat(value(metrics, "0", "records-delivered-total")).isEqualTo(5.0);
      assertThat(value(metrics, "1", "records-delivered-total")).isEqualTo(2.0);
      assertThat(value(metrics, "1", "requests-2xx-total")).isZero();

      task0.close();
      second.delivered(1);
      assertThat(value(metrics, "1", "records-delivered-total")).isEqualTo(3.0);
    }
  }
}
