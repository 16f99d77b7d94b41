package dev.ferry.bench;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Reads Ferry's task metrics of one connector from JMX (the worker runs in this JVM), summed over
 * its tasks: retries and requests that got no response explain slow or duplicated runs.
 */
final class FerryMetrics {
  private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

  private FerryMetrics() {}

  /**
   * The sum over the connector's tasks and over {@code metrics} of cumulative metrics, e.g. {@code
   * records-retried-total}; NaN when JMX cannot tell. (Ferry's tasks in one worker share their
   * sensors, so with several tasks each reports the sum of all: this sum is then too high.)
   */
  static double total(String connector, String... metrics) {
    double sum = 0;
    try {
      ObjectName pattern =
          new ObjectName("kafka.connect:type=plugins,connector=" + connector + ",task=*,*");
      for (ObjectName name : JMX.queryNames(pattern, null)) {
        for (String metric : metrics) {
          Object value = JMX.getAttribute(name, metric);
          if (value instanceof Number n && !Double.isNaN(n.doubleValue())) {
            sum += n.doubleValue();
          }
        }
      }
    } catch (JMException | RuntimeException e) {
      return Double.NaN;
    }
    return sum;
  }

  /** A note on retries and requests without response, or an empty string when there were none. */
  static String troubles(String connector) {
    double retried = total(connector, "records-retried-total");
    double noResponse = total(connector, "requests-error-total");
    if (!(retried > 0) && !(noResponse > 0)) {
      return "";
    }
    return String.format(
        Locale.ROOT,
        "Ferry retried %.0f record(s); %.0f request(s) got no response"
            + " (each retry waits retry.backoff.sec, 5 s at first)",
        retried,
        noResponse);
  }
}
