package dev.ferry.bench;

import dev.ferry.testkit.ConnectTestCluster;
import dev.ferry.testkit.ScriptedHttpTarget;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * {@code ferry-bench sink}: in one JVM and one run, a broker, a Connect worker with Ferry and an
 * HTTP target; the producer and the raw consumer rates as the machine's ceiling; then Ferry's
 * batched and one-record-per-request throughput and latency next to it.
 *
 * <p>Throughput measurements run in rounds (the raw consumer, then each batched configuration; then
 * each single configuration), so that a noisy neighbour on the machine hits the ceiling and Ferry
 * alike; each mode's median run counts. A first round that is not counted warms the JIT up.
 */
final class SinkSuite {
  private static final String TOPIC = "bench";
  private static final String SINGLE_TOPIC = "bench-single";

  private final SinkOptions options;
  private final PrintStream out;
  private final List<ResultRow> rows = new ArrayList<>();
  private final Measurements ceiling = new Measurements();
  private final Map<SinkScenario, Measurements> batched = new LinkedHashMap<>();
  private final Map<SinkScenario, Measurements> single = new LinkedHashMap<>();

  SinkSuite(SinkOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
    batched.put(SinkScenario.batched(1, 4), new Measurements());
    single.put(SinkScenario.single(6, false), new Measurements());
    if (options.variants()) {
      batched.put(SinkScenario.batched(1, 6), new Measurements());
      batched.put(SinkScenario.batched(2, 4), new Measurements());
      single.put(SinkScenario.single(16, true), new Measurements());
    }
  }

  /** Runs every phase and prints the tables; throws when a phase fails or times out. */
  void run() throws TimeoutException {
    if (!Files.isDirectory(options.pluginPath())) {
      throw new IllegalStateException(
          "no plugin directory at "
              + options.pluginPath()
              + ": build it with ./mvnw -q -B -DskipTests install -pl ferry-bench -am,"
              + " or pass --plugin-path");
    }
    String started =
        ZonedDateTime.now(ZoneId.systemDefault()).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    double loadBefore = MachineInfo.loadAverage();
    printHeader(started, loadBefore);
    try (ConnectTestCluster cluster =
            ConnectTestCluster.builder()
                .pluginPath(options.pluginPath())
                .offsetFlushInterval(options.offsetFlush())
                .workerProp("connector.client.config.override.policy", "All")
                .start();
        ScriptedHttpTarget target = ScriptedHttpTarget.start().recordBodies(false)) {
      Waiter waiter = new Waiter(out);
      Connectors connectors = new Connectors(cluster, waiter);
      RecordValues values = new RecordValues(options.recordBytes());
      Preloader preloader = new Preloader(cluster.bootstrapServers(), values);
      FerryThroughputRun ferry =
          new FerryThroughputRun(cluster, target, connectors, waiter, out, options.timeout());

      phase("pre-load " + TOPIC);
      cluster.createTopic(TOPIC, options.partitions());
      Throughput loaded = preloader.load(TOPIC, options.partitions(), options.records());
      rows.add(
          ResultRow.once(
              "producer pre-load (raw KafkaProducer)", report("pre-load", loaded), false));
      batchedRounds(new RawConsumerCeiling(cluster.bootstrapServers()), ferry);
      int batchedRow = rows.size() - batched.size();

      phase("pre-load " + SINGLE_TOPIC);
      cluster.createTopic(SINGLE_TOPIC, options.partitions());
      report(
          "pre-load", preloader.load(SINGLE_TOPIC, options.partitions(), options.singleRecords()));
      singleRounds(ferry);
      int singleRow = rows.size() - single.size();

      if (!options.latency().isZero()) {
        FerryLatencyRun latency =
            new FerryLatencyRun(cluster, connectors, waiter, values, out, options.partitions());
        measureLatency(latency, batchedRow, batched, options.batchedRate());
        measureLatency(latency, singleRow, single, options.singleRate());
      }
    }
    String machine =
        MachineInfo.describe()
            + String.format(
                Locale.ROOT,
                "; load average %.2f before, %.2f after",
                loadBefore,
                MachineInfo.loadAverage());
    new SinkReport(options, started, machine, rows, ceiling.median()).print(out);
  }

  private void printHeader(String started, double load) {
    out.println("ferry-bench sink, " + started);
    out.println("machine: " + MachineInfo.describe());
    out.printf(
        Locale.ROOT,
        "records %,d of %d bytes over %d partitions; single-request runs %,d records;"
            + " %d run(s) each after a warm-up; load average %.2f%n",
        options.records(),
        options.recordBytes(),
        options.partitions(),
        options.singleRecords(),
        options.repeat(),
        load);
    out.println(
        "plugin path: "
            + options.pluginPath()
            + "; offset.flush.interval.ms "
            + options.offsetFlush().toMillis());
  }

  /** Rounds of the raw consumer and each batched configuration over the big topic. */
  private void batchedRounds(RawConsumerCeiling raw, FerryThroughputRun ferry)
      throws TimeoutException {
    for (int round = 0; round <= options.repeat(); round++) {
      phase("(a) raw KafkaConsumer" + runName(round));
      Throughput a = raw.measure(TOPIC, options.partitions(), options.records(), options.timeout());
      count(round, ceiling, "(a)", a);
      for (Map.Entry<SinkScenario, Measurements> e : batched.entrySet()) {
        phase("(b) " + e.getKey().label() + runName(round));
        count(round, e.getValue(), "(b)", ferry.run(e.getKey(), TOPIC, options.records()));
      }
    }
    rows.add(ResultRow.of("(a) raw KafkaConsumer (ceiling)", ceiling, true));
    batched.forEach((s, m) -> rows.add(ResultRow.of("(b) " + s.label(), m, true)));
  }

  /** Rounds of each one-record-per-request configuration over the smaller topic. */
  private void singleRounds(FerryThroughputRun ferry) throws TimeoutException {
    for (int round = 0; round <= options.repeat(); round++) {
      for (Map.Entry<SinkScenario, Measurements> e : single.entrySet()) {
        phase("(c) " + e.getKey().label() + runName(round));
        Throughput c = ferry.run(e.getKey(), SINGLE_TOPIC, options.singleRecords());
        count(round, e.getValue(), "(c)", c);
      }
    }
    single.forEach((s, m) -> rows.add(ResultRow.of("(c) " + s.label(), m, true)));
  }

  /** Measures the latency of the first scenario of a group and adds it to its row. */
  private void measureLatency(
      FerryLatencyRun latency, int row, Map<SinkScenario, Measurements> group, int rate)
      throws TimeoutException {
    SinkScenario s = group.keySet().iterator().next();
    phase("latency of " + s.label() + " at " + rate + " records/s");
    rows.set(row, rows.get(row).withLatency(latency.run(s, rate, options.latency())));
  }

  /** Reports a run; adds it to the measurements unless it is the warm-up (round 0). */
  private void count(int round, Measurements runs, String what, Throughput t) {
    if (round == 0) {
      report(what + " warm-up", t);
    } else {
      runs.add(report(what, t));
    }
  }

  private String runName(int round) {
    return round == 0 ? " (warm-up, not counted)" : " (run " + round + "/" + options.repeat() + ")";
  }

  private void phase(String name) {
    out.println();
    out.println("== " + name);
  }

  private Throughput report(String what, Throughput t) {
    out.printf(
        Locale.ROOT,
        "    %s: %,d records in %.2f s = %,.0f records/s (load average %.2f)%n",
        what,
        t.records(),
        t.seconds(),
        t.perSecond(),
        MachineInfo.loadAverage());
    if (t.cpu() != null) {
      out.println("      " + t.cpu().summary());
    }
    out.flush();
    return t;
  }
}
