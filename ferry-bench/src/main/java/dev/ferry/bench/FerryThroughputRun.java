package dev.ferry.bench;

import dev.ferry.testkit.ConnectTestCluster;
import dev.ferry.testkit.ScriptedHttpTarget;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * Runs one {@link FerryScenario} over a pre-loaded topic: a fresh connector reads it from the
 * beginning into the target, timed from the first request to the request with the last record. Also
 * checks that the committed offsets reach the end.
 *
 * <p>When records arrive as themselves, the target's count of JSON records shows when the last one
 * arrived. When they become catalog entities (grouped and collapsed), the run ends once the
 * connector's committed offsets reach the end of the topic, which Ferry commits only after the
 * target answered the request with the last record; the time is still taken at the target (the
 * arrival of the last request), and the target counts the entities. (Not Ferry's JMX counts: with
 * several tasks in one worker, the tasks share their sensors and each reports the sum.)
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
  Throughput run(FerryScenario scenario, String topic, long n) throws TimeoutException {
    target.clear();
    DeliveryClock clock = new DeliveryClock();
    boolean atTarget = scenario.countedAtTarget();
    EntityCount entities = new EntityCount();
    target.respondWith(
        atTarget
            ? clock
            : request -> {
              entities.add(request);
              return clock.apply(request);
            });
    String name = connectors.freshName(scenario.namePrefix());
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
      String group = ConnectTestCluster.sinkGroupId(name);
      waiter.until(
          n + (atTarget ? " records at the target" : " offsets committed"),
          timeout,
          Duration.ofMillis(atTarget ? 2 : 20),
          () -> (atTarget ? target.receivedRecords() : cluster.committedTotal(group, topic)) >= n,
          () -> {
            connectors.throwIfFailed(name);
            return atTarget
                ? progress(clock, target.receivedRecords(), "records")
                : progress(clock, cluster.committedTotal(group, topic), "offsets committed");
          });
      CpuUsage cpu = CpuUsage.between(cpuStart, CpuSnapshot.take());
      long end = clock.lastNanos();
      Throughput.Entities sent =
          atTarget ? null : new Throughput.Entities(entities.upserts(), entities.deletes());
      Throughput result = new Throughput(n, end - clock.firstNanos(), cpu, sent);
      cluster.awaitCommittedTotal(group, topic, n, COMMIT_TIMEOUT);
      long commitLag = System.nanoTime() - end;
      long received = target.receivedRecords();
      int requests = target.receivedCount();
      if (atTarget) {
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
      } else {
        log.printf(
            Locale.ROOT,
            "    %,d records became %,d upserted and %,d deleted entities in %,d requests (%,d of"
                + " them deletes; %.0f MB of bodies); offsets of all %,d committed %.1f s after"
                + " the last request%n",
            n,
            sent.upserts(),
            sent.deletes(),
            requests,
            entities.deleteRequests(),
            target.receivedBytes() / 1e6,
            n,
            commitLag / 1e9);
      }
      String troubles = FerryMetrics.troubles(name);
      if (!troubles.isEmpty()) {
        log.println("    NOTE: " + troubles);
      }
      if (atTarget && received != n) {
        log.printf(Locale.ROOT, "    NOTE: the target got %,d records for %,d sent%n", received, n);
      }
      return result;
    } finally {
      target.respondWith(null);
      connectors.delete(name);
      target.clear();
    }
  }

  private String progress(DeliveryClock clock, long records, String what) {
    long first = clock.firstNanos();
    double seconds = first == 0 ? 0 : (System.nanoTime() - first) / 1e9;
    return String.format(
        Locale.ROOT,
        "%,d %s, %,d requests so far (%,.0f records/s)",
        records,
        what,
        target.receivedCount(),
        seconds > 0 ? records / seconds : 0);
  }
}
