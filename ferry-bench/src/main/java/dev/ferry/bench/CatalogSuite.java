package dev.ferry.bench;

import dev.ferry.pipeline.decode.DecodeException;
import dev.ferry.pipeline.map.Mapper;
import dev.ferry.pipeline.map.Mappers;
import dev.ferry.pipeline.map.MappingException;
import dev.ferry.pipeline.map.MappingLanguage;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * {@code ferry-bench catalog}: what decoding and mapping product messages cost Ferry.
 *
 * <ol>
 *   <li>In-process, before anything else starts: decoding, and decoding plus mapping with the
 *       example JSONata and JavaScript mappings, per record on one thread.
 *   <li>End to end, in one JVM with a broker, a Connect worker and an HTTP target (see {@link
 *       BenchRig}), over one pre-loaded topic of product messages: the raw consumer (the ceiling),
 *       Ferry passing the values through as JSON arrays (the baseline), and Ferry's catalog sink
 *       with each mapping, in rounds like {@link SinkSuite}.
 * </ol>
 */
final class CatalogSuite {
  private static final String TOPIC = "catalog";
  private static final String WARM_UP_TOPIC = "catalog-warm-up";
  private static final String PASSTHROUGH_PREFIX = "(b) ";

  /**
   * Runs of (a) and (b) per counted round: they take a second or two, so a few more give a steadier
   * median at little cost (the first after a round's catalog runs is often slow while the JIT
   * settles).
   */
  static final int BASELINE_RUNS = 3;

  private final CatalogOptions options;
  private final PrintStream out;
  private final PhaseLog log;
  private final Measurements ceiling = new Measurements();
  private final Measurements passthrough = new Measurements();
  private final SinkScenario baseline = SinkScenario.batched(1, 4);
  private final Map<CatalogScenario, Measurements> catalog = new LinkedHashMap<>();
  private final Map<CatalogScenario, String> tags = new LinkedHashMap<>();
  private final List<MappingCost.Result> costs = new ArrayList<>();

  CatalogSuite(CatalogOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
    this.log = new PhaseLog(out, options.repeat());
    for (MappingLanguage language : MappingLanguage.values()) {
      String tag = language == MappingLanguage.JSONATA ? "(c) " : "(d) ";
      add(tag, new CatalogScenario(language, mappingFile(language), 1, 4));
      if (options.variants()) {
        add(tag, new CatalogScenario(language, mappingFile(language), 2, 4));
      }
    }
  }

  private void add(String tag, CatalogScenario scenario) {
    catalog.put(scenario, new Measurements());
    tags.put(scenario, tag);
  }

  private Path mappingFile(MappingLanguage language) {
    return options
        .examples()
        .resolve(language == MappingLanguage.JSONATA ? "mapping.jsonata" : "mapping.js");
  }

  /** Runs every phase and prints the tables; throws when a phase fails or times out. */
  void run() throws TimeoutException, DecodeException, MappingException {
    if (options.endToEnd()) {
      BenchRig.checkPluginPath(options.pluginPath());
    }
    for (MappingLanguage language : MappingLanguage.values()) {
      if (!Files.isReadable(mappingFile(language))) {
        throw new IllegalStateException(
            "no mapping at " + mappingFile(language) + ": pass --examples DIR");
      }
    }
    String started = PhaseLog.now();
    double loadBefore = MachineInfo.loadAverage();
    CatalogProducts products = CatalogProducts.load(options.examples());
    printHeader(started, loadBefore, products);

    measureMappingCost(products);
    if (!options.endToEnd()) {
      new CatalogReport(options, started, PhaseLog.machineWithLoad(loadBefore), costs).print(out);
      return;
    }

    CatalogProducts topic = CatalogProducts.load(options.examples());
    try (BenchRig rig =
        BenchRig.start(options.pluginPath(), options.offsetFlush(), options.timeout(), out)) {
      Preloader preloader = new Preloader(rig.cluster.bootstrapServers(), topic);
      log.phase(
          String.format(
              Locale.ROOT,
              "pre-load %s: %,d product messages, key = sku, each sku %d times",
              TOPIC,
              options.records(),
              CatalogProducts.UPDATES_PER_SKU));
      rig.cluster.createTopic(TOPIC, options.partitions());
      log.report("pre-load", preloader.load(TOPIC, options.partitions(), options.records()));
      out.printf(
          Locale.ROOT,
          "    average message %.0f bytes; the example mappings make %,d entities of them%n",
          topic.averageBytes(),
          topic.entities());
      log.phase(
          String.format(
              Locale.ROOT, "pre-load %s: the first %,d of them", WARM_UP_TOPIC, warmUpRecords()));
      rig.cluster.createTopic(WARM_UP_TOPIC, options.partitions());
      log.report(
          "pre-load",
          new Preloader(rig.cluster.bootstrapServers(), CatalogProducts.load(options.examples()))
              .load(WARM_UP_TOPIC, options.partitions(), warmUpRecords()));
      rounds(new RawConsumerCeiling(rig.cluster.bootstrapServers()), rig.ferry, topic.entities());
    }
    List<ResultRow> rows = new ArrayList<>();
    rows.add(ResultRow.of("(a) raw KafkaConsumer (ceiling)", ceiling, true));
    rows.add(ResultRow.of(PASSTHROUGH_PREFIX + passthroughLabel(), passthrough, true));
    catalog.forEach((s, m) -> rows.add(ResultRow.of(tags.get(s) + s.label(), m, true)));
    new CatalogReport(
            options,
            started,
            PhaseLog.machineWithLoad(loadBefore),
            costs,
            new CatalogReport.EndToEnd(
                topic.averageBytes(),
                topic.entities(),
                rows,
                ceiling.median(),
                passthrough.median()))
        .print(out);
  }

  private String passthroughLabel() {
    return baseline.label() + ", no mapping (passthrough)";
  }

  private void printHeader(String started, double load, CatalogProducts products) {
    out.println("ferry-bench catalog, " + started);
    out.println("machine: " + MachineInfo.describe());
    out.printf(
        Locale.ROOT,
        "mapping cost: %,d distinct products, %d s warm-up + %d s timed per step, 1 thread;"
            + " end to end: %,d messages over %d partitions, %d run(s) each after a warm-up"
            + " over the first %,d; load average %.2f%n",
        options.mappingRecords(),
        options.mappingTime().toSeconds(),
        options.mappingTime().toSeconds(),
        options.records(),
        options.partitions(),
        options.repeat(),
        warmUpRecords(),
        load);
    out.printf(
        Locale.ROOT,
        "products from %d example lines in %s; plugin path %s; offset.flush.interval.ms %d%n",
        products.templates(),
        options.examples(),
        options.pluginPath(),
        options.offsetFlush().toMillis());
    out.printf(
        Locale.ROOT,
        "catalog runs: body.format=grouped, delta.mode=%s, batch.linger.ms=%d (lowered from the"
            + " grouped default of 60000 so a run's tail does not wait a minute)%n",
        CatalogScenario.DELTA_MODE,
        CatalogScenario.LINGER_MS);
  }

  /** Step 1: decode, then decode and map, in this thread, without Kafka. */
  private void measureMappingCost(CatalogProducts products)
      throws DecodeException, MappingException {
    log.phase(
        String.format(
            Locale.ROOT,
            "mapping cost in-process: %,d distinct products, 1 thread",
            options.mappingRecords()));
    List<byte[]> messages = products.distinct(options.mappingRecords());
    List<String> keys = new ArrayList<>(messages.size());
    long bytes = 0;
    for (int s = 0; s < messages.size(); s++) {
      keys.add(CatalogProducts.sku(s));
      bytes += messages.get(s).length;
    }
    out.printf(Locale.ROOT, "    average message %.0f bytes%n", (double) bytes / messages.size());
    MappingCost cost = new MappingCost(messages, keys, options.mappingTime(), out);
    costs.add(cost.decodeOnly());
    for (MappingLanguage language : MappingLanguage.values()) {
      CatalogScenario s = new CatalogScenario(language, mappingFile(language), 1, 1);
      try (Mapper mapper =
          Mappers.create(language, "file:" + mappingFile(language), Duration.ofSeconds(5))) {
        costs.add(cost.decodeAndMap("decode + map, " + s.languageName(), mapper));
      }
    }
  }

  /**
   * Step 2: rounds of the raw consumer, the passthrough sink and each catalog configuration; the
   * warm-up round reads the smaller warm-up topic.
   *
   * @param mapped the entities the mappings make of the whole topic
   */
  private void rounds(RawConsumerCeiling raw, FerryThroughputRun ferry, long mapped)
      throws TimeoutException {
    for (int round = 0; round <= options.repeat(); round++) {
      String topic = round == 0 ? WARM_UP_TOPIC : TOPIC;
      long n = round == 0 ? warmUpRecords() : options.records();
      int baselineRuns = round == 0 ? 1 : BASELINE_RUNS;
      for (int k = 0; k < baselineRuns; k++) {
        log.phase("(a) raw KafkaConsumer" + log.runName(round, k, baselineRuns));
        log.count(
            round, ceiling, "(a)", raw.measure(topic, options.partitions(), n, options.timeout()));
      }
      for (int k = 0; k < baselineRuns; k++) {
        log.phase(PASSTHROUGH_PREFIX + passthroughLabel() + log.runName(round, k, baselineRuns));
        log.count(round, passthrough, "(b)", ferry.run(baseline, topic, n));
      }
      for (Map.Entry<CatalogScenario, Measurements> e : catalog.entrySet()) {
        String tag = tags.get(e.getKey());
        log.phase(tag + e.getKey().label() + log.runName(round));
        Throughput t = ferry.run(e.getKey(), topic, n);
        if (round > 0) {
          long sent = t.entities().sent();
          out.printf(
              Locale.ROOT,
              "    collapsed: %,d of %,d entities (%.0f %%)%n",
              mapped - sent,
              mapped,
              100.0 * (mapped - sent) / mapped);
        }
        log.count(round, e.getValue(), tag.strip(), t);
      }
    }
  }

  /** The warm-up round reads a topic of the first third of the messages: quicker, as good. */
  private long warmUpRecords() {
    return Math.max(1, options.records() / 3);
  }
}
