package dev.ferry.bench;

import java.io.PrintStream;
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
  private final PhaseLog log;
  private final List<ResultRow> rows = new ArrayList<>();
  private final Measurements ceiling = new Measurements();
  private final Map<SinkScenario, Measurements> batched = new LinkedHashMap<>();
  private final Map<SinkScenario, Measurements> single = new LinkedHashMap<>();

  SinkSuite(SinkOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
    this.log = new PhaseLog(out, options.repeat());
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
    BenchRig.checkPluginPath(options.pluginPath());
    String started = PhaseLog.now();
    double loadBefore = MachineInfo.loadAverage();
    printHeader(started, loadBefore);
    try (BenchRig rig =
        BenchRig.start(options.pluginPath(), options.offsetFlush(), options.timeout(), out)) {
      RecordValues values = new RecordValues(options.recordBytes());
      Preloader preloader = new Preloader(rig.cluster.bootstrapServers(), values);

      log.phase("pre-load " + TOPIC);
      rig.cluster.createTopic(TOPIC, options.partitions());
      Throughput loaded = preloader.load(TOPIC, options.partitions(), options.records());
      rows.add(
          ResultRow.once(
              "producer pre-load (raw KafkaProducer)", log.report("pre-load", loaded), false));
      batchedRounds(new RawConsumerCeiling(rig.cluster.bootstrapServers()), rig.ferry);
      int batchedRow = rows.size() - batched.size();

      log.phase("pre-load " + SINGLE_TOPIC);
      rig.cluster.createTopic(SINGLE_TOPIC, options.partitions());
      log.report(
          "pre-load", preloader.load(SINGLE_TOPIC, options.partitions(), options.singleRecords()));
      singleRounds(rig.ferry);
      int singleRow = rows.size() - single.size();

      if (!options.latency().isZero()) {
        FerryLatencyRun latency =
            new FerryLatencyRun(
                rig.cluster, rig.connectors, rig.waiter, values, out, options.partitions());
        measureLatency(latency, batchedRow, batched, options.batchedRate());
        measureLatency(latency, singleRow, single, options.singleRate());
      }
    }
    new SinkReport(options, started, PhaseLog.machineWithLoad(loadBefore), rows, ceiling.median())
        .print(out);
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
      log.phase("(a) raw KafkaConsumer" + log.runName(round));
      Throughput a = raw.measure(TOPIC, options.partitions(), options.records(), options.timeout());
      log.count(round, ceiling, "(a)", a);
      for (Map.Entry<SinkScenario, Measurements> e : batched.entrySet()) {
        log.phase("(b) " + e.getKey().label() + log.runName(round));
        log.count(round, e.getValue(), "(b)", ferry.run(e.getKey(), TOPIC, options.records()));
      }
    }
    rows.add(ResultRow.of("(a) raw KafkaConsumer (ceiling)", ceiling, true));
    batched.forEach((s, m) -> rows.add(ResultRow.of("(b) " + s.label(), m, true)));
  }

  /** Rounds of each one-record-per-request configuration over the smaller topic. */
  private void singleRounds(FerryThroughputRun ferry) throws TimeoutException {
    for (int round = 0; round <= options.repeat(); round++) {
      for (Map.Entry<SinkScenario, Measurements> e : single.entrySet()) {
        log.phase("(c) " + e.getKey().label() + log.runName(round));
        Throughput c = ferry.run(e.getKey(), SINGLE_TOPIC, options.singleRecords());
        log.count(round, e.getValue(), "(c)", c);
      }
    }
    single.forEach((s, m) -> rows.add(ResultRow.of("(c) " + s.label(), m, true)));
  }

  /** Measures the latency of the first scenario of a group and adds it to its row. */
  private void measureLatency(
      FerryLatencyRun latency, int row, Map<SinkScenario, Measurements> group, int rate)
      throws TimeoutException {
    SinkScenario s = group.keySet().iterator().next();
    log.phase("latency of " + s.label() + " at " + rate + " records/s");
    rows.set(row, rows.get(row).withLatency(latency.run(s, rate, options.latency())));
  }
}
