package dev.ferry.bench;

import dev.ferry.testkit.ConnectTestCluster;
import dev.ferry.testkit.ScriptedHttpTarget;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * Measures delivery latency of one {@link SinkScenario}: with the connector running on a fresh,
 * empty topic, records are produced at a steady rate and the target computes, per record, the time
 * from its send stamp to the arrival of the request that carries it. A short warm-up at the same
 * rate comes first and is not counted.
 */
final class FerryLatencyRun {
  private static final Duration WARM_UP = Duration.ofSeconds(3);
  private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(2);

  private final ConnectTestCluster cluster;
  private final Connectors connectors;
  private final Waiter waiter;
  private final RecordValues values;
  private final PrintStream log;
  private final int partitions;

  FerryLatencyRun(
      ConnectTestCluster cluster,
      Connectors connectors,
      Waiter waiter,
      RecordValues values,
      PrintStream log,
      int partitions) {
    this.cluster = cluster;
    this.connectors = connectors;
    this.waiter = waiter;
    this.values = values;
    this.log = log;
    this.partitions = partitions;
  }

  /** Produces {@code rate} records/s for {@code duration} and returns their delivery latency. */
  Latency run(SinkScenario scenario, int rate, Duration duration) throws TimeoutException {
    String name = connectors.freshName("latency");
    String topic = name;
    cluster.createTopic(topic, partitions);
    LatencyProbe probe = new LatencyProbe();
    try (ScriptedHttpTarget target = ScriptedHttpTarget.start().recordBodies(false);
        SteadyProducer producer = new SteadyProducer(cluster.bootstrapServers(), values)) {
      target.respondWith(probe);
      connectors.start(name, scenario.connectorConfig(topic, target.uri("/ingest")));
      try {
        long warm = producer.produce(topic, partitions, rate, WARM_UP);
        awaitRecords(target, name, warm);
        probe.reset();
        long start = System.nanoTime();
        long measured = producer.produce(topic, partitions, rate, duration);
        double producedRate = measured / ((System.nanoTime() - start) / 1e9);
        awaitRecords(target, name, warm + measured);
        Latency latency = Latency.of(probe.snapshot());
        log.printf(
            Locale.ROOT,
            "    %,d records at %,.0f records/s: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
            latency.count(),
            producedRate,
            latency.p50(),
            latency.p99(),
            latency.max());
        String troubles = FerryMetrics.troubles(name);
        if (!troubles.isEmpty()) {
          log.println("    NOTE: " + troubles);
        }
        if (probe.slowRecords() > 0) {
          log.printf(
              Locale.ROOT,
              "    NOTE: %,d records took 1 s or more, the first arriving %.1f s into the phase%n",
              probe.slowRecords(),
              probe.firstSlowSeconds().orElse(-1));
        }
        return latency;
      } finally {
        connectors.delete(name);
      }
    }
  }

  private void awaitRecords(ScriptedHttpTarget target, String name, long n)
      throws TimeoutException {
    waiter.until(
        n + " records at the target",
        DRAIN_TIMEOUT,
        Duration.ofMillis(5),
        () -> target.receivedRecords() >= n,
        () -> {
          connectors.throwIfFailed(name);
          return target.receivedRecords() + " records so far";
        });
  }
}
