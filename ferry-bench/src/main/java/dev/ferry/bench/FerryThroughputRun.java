package dev.ferry.bench;

import dev.ferry.testkit.ConnectTestCluster;
import dev.ferry.testkit.ScriptedHttpTarget;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * Runs one {@link SinkScenario} over a pre-loaded topic: a fresh connector reads it from the
 * beginning into the target, timed from the first request to the request with the last record. Also
 * checks that the committed offsets reach the end.
 */
final class FerryThroughputRun {
  private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(60);

  private final ConnectTestCluster cluster;
  private final ScriptedHttpTarget target;
  private final Connectors connectors;
  private final Waiter waiter;
  private final PrintStream log;
  private final Duration timeout;

  FerryThroughputRun(
      ConnectTestCluster cluster,
      ScriptedHttpTarget target,
      Connectors connectors,
      Waiter waiter,
      PrintStream log,
      Duration timeout) {
    this.cluster = cluster;
    this.target = target;
    this.connectors = connectors;
    this.waiter = waiter;
    this.log = log;
    this.timeout = timeout;
  }

  /** Delivers all {@code n} records of {@code topic} with the scenario's settings. */
  Throughput run(SinkScenario scenario, String topic, long n) throws TimeoutException {
    target.clear();
    DeliveryClock clock = new DeliveryClock();
    target.respondWith(clock);
    String name = connectors.freshName(scenario.batches() ? "batched" : "single");
    try {
      connectors.start(name, scenario.connectorConfig(topic, target.uri("/ingest")));
      waiter.until(
          "the first request",
          timeout,
          Duration.ofMillis(1),
          () -> clock.firstNanos() != 0,
          () -> {
            connectors.throwIfFailed(name);
            return "none yet";
          });
      CpuSnapshot cpuStart = CpuSnapshot.take();
      waiter.until(
          n + " records at the target",
          timeout,
          Duration.ofMillis(2),
          () -> target.receivedRecords() >= n,
          () -> {
            connectors.throwIfFailed(name);
            return progress(clock);
          });
      CpuUsage cpu = CpuUsage.between(cpuStart, CpuSnapshot.take());
      long end = clock.lastNanos();
      Throughput result = new Throughput(n, end - clock.firstNanos(), cpu);
      String group = ConnectTestCluster.sinkGroupId(name);
      cluster.awaitCommittedTotal(group, topic, n, COMMIT_TIMEOUT);
      long commitLag = System.nanoTime() - end;
      long received = target.receivedRecords();
      int requests = target.receivedCount();
      log.printf(
          Locale.ROOT,
          "    %,d records in %,d requests (%.1f records/request, %.0f MB of bodies);"
              + " offsets of all %,d committed %.1f s after the last record%n",
          received,
          requests,
          (double) received / requests,
          target.receivedBytes() / 1e6,
          n,
          commitLag / 1e9);
      String troubles = FerryMetrics.troubles(name);
      if (!troubles.isEmpty()) {
        log.println("    NOTE: " + troubles);
      }
      if (received != n) {
        log.printf(Locale.ROOT, "    NOTE: the target got %,d records for %,d sent%n", received, n);
      }
      return result;
    } finally {
      target.respondWith(null);
      connectors.delete(name);
      target.clear();
    }
  }

  private String progress(DeliveryClock clock) {
    long records = target.receivedRecords();
    long first = clock.firstNanos();
    double seconds = first == 0 ? 0 : (System.nanoTime() - first) / 1e9;
    return String.format(
        Locale.ROOT,
        "%,d records in %,d requests so far (%,.0f records/s)",
        records,
        target.receivedCount(),
        seconds > 0 ? records / seconds : 0);
  }
}
