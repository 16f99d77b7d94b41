package dev.ferry.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The end of a {@code ferry-bench catalog} run: the mapping cost, the end-to-end result and the CPU
 * tables as aligned text, then the same again as markdown (ready for {@code docs/benchmarks.md}).
 */
final class CatalogReport {
  /** The goal: catalog throughput with JSONata at least this share of passthrough. */
  static final double GOAL = 0.3;

  private final CatalogOptions options;
  private final String started;
  private final String machine;
  private final double averageBytes;
  private final TextTable mapping;
  private final TextTable results;
  private final CpuTable cpu;
  private final String verdict;

  /**
   * @param started when the run started (ISO-8601)
   * @param machine the machine description, with load averages
   * @param averageBytes the average size of the topic's messages
   * @param costs the in-process costs, decoding only first
   * @param rows the end-to-end rows: (a) the ceiling, (b) the passthrough baseline, then catalog
   * @param ceiling the raw consumer's median throughput
   * @param passthrough the passthrough sink's median throughput
   */
  CatalogReport(
      CatalogOptions options,
      String started,
      String machine,
      double averageBytes,
      List<MappingCost.Result> costs,
      List<ResultRow> rows,
      Throughput ceiling,
      Throughput passthrough) {
    this.options = options;
    this.started = started;
    this.machine = machine;
    this.averageBytes = averageBytes;
    this.mapping = mappingTable(costs);
    this.results = resultTable(rows, ceiling, passthrough);
    this.cpu = new CpuTable(rows);
    this.verdict = verdict(rows, passthrough);
  }

  private static TextTable mappingTable(List<MappingCost.Result> costs) {
    TextTable t =
        new TextTable(
            "step (1 thread, in-process)",
            "records",
            "µs/record (CPU)",
            "µs/record (wall)",
            "records/s per core",
            "mapping only µs/record",
            "entities/record");
    double decode = costs.isEmpty() ? 0 : costs.get(0).cpuMicros();
    for (MappingCost.Result r : costs) {
      boolean maps = r.entities() > 0;
      t.add(
          r.step(),
          String.format(Locale.ROOT, "%,d", r.records()),
          String.format(Locale.ROOT, "%.1f", r.cpuMicros()),
          String.format(Locale.ROOT, "%.1f", r.wallMicros()),
          String.format(Locale.ROOT, "%,.0f", r.perCore()),
          maps ? String.format(Locale.ROOT, "%.1f", r.cpuMicros() - decode) : "-",
          maps ? String.format(Locale.ROOT, "%.2f", (double) r.entities() / r.records()) : "-");
    }
    return t;
  }

  private static TextTable resultTable(
      List<ResultRow> rows, Throughput ceiling, Throughput passthrough) {
    TextTable t =
        new TextTable(
            "mode",
            "records",
            "seconds",
            "records/s",
            "ratio to (a)",
            "ratio to (b)",
            "entities sent",
            "entities/s",
            "collapsed",
            "runs (min-max records/s)");
    for (ResultRow row : rows) {
      Throughput m = row.runs().median();
      Throughput.Entities e = m.entities();
      t.add(
          row.mode(),
          String.format(Locale.ROOT, "%,d", m.records()),
          String.format(Locale.ROOT, "%.2f", m.seconds()),
          String.format(Locale.ROOT, "%,.0f", m.perSecond()),
          ratio(m, ceiling),
          ratio(m, passthrough),
          e == null ? "-" : String.format(Locale.ROOT, "%,d", e.sent()),
          e == null ? "-" : String.format(Locale.ROOT, "%,.0f", m.entitiesPerSecond()),
          e == null ? "-" : String.format(Locale.ROOT, "%,d", e.collapsed()),
          ResultTable.runs(row.runs()));
    }
    return t;
  }

  private static String ratio(Throughput t, Throughput base) {
    return base.perSecond() > 0
        ? String.format(Locale.ROOT, "%.2f", t.perSecond() / base.perSecond())
        : "-";
  }

  /** Whether the first JSONata row reaches the goal. */
  private static String verdict(List<ResultRow> rows, Throughput passthrough) {
    for (ResultRow row : rows) {
      if (row.mode().startsWith("(c) ") && passthrough.perSecond() > 0) {
        double r = row.runs().median().perSecond() / passthrough.perSecond();
        return String.format(
            Locale.ROOT,
            "Goal (JSONata catalog at least %.1f of passthrough): %.2f, %s.",
            GOAL,
            r,
            r >= GOAL ? "met" : "NOT met");
      }
    }
    return "";
  }

  /** Prints the text tables, then the markdown section. */
  void print(PrintStream out) {
    out.println();
    out.println("machine: " + machine);
    out.println();
    out.println("Mapping cost per record:");
    out.println(mapping.text());
    out.println(results.text());
    out.println(notes());
    out.println(verdict);
    out.println();
    out.println("CPU of the median runs (core-seconds):");
    out.println(cpu.text());
    out.println();
    out.println("## ferry-bench catalog, " + started);
    out.println();
    out.println("Machine: " + machine + ".");
    out.println();
    out.print(mapping.markdown());
    out.println();
    out.print(results.markdown());
    out.println();
    out.println(notes());
    out.println(verdict);
    out.println();
    out.println("CPU of the median runs, in core-seconds:");
    out.println();
    out.print(cpu.markdown());
    out.flush();
  }

  private String notes() {
    return String.format(
        Locale.ROOT,
        "records/s: the median of %d run(s) after a warm-up run over a third of the topic, timed from the first request (the"
            + " first poll with records, for (a)) to the request with the last record (for the"
            + " catalog runs: the last request before Ferry reported every record delivered);"
            + " %,d product messages of %.0f bytes on average, key = sku, each sku %d times, %d"
            + " partitions. (b): json_array, batch.max.records=%d, batch.linger.ms=%d. (c), (d):"
            + " body.format=grouped, delta.mode=%s, batch.linger.ms=%d (grouped default 60000),"
            + " batch.max.records=10000 and batch.max.bytes=1 MiB (defaults), mapping"
            + " examples/catalog/mapping.jsonata or mapping.js. All: ByteArrayConverter,"
            + " max.poll.records=%d. entities sent: upserts and deletes at the target; collapsed:"
            + " changes replaced by a later one in the same batch.",
        options.repeat(),
        options.records(),
        averageBytes,
        CatalogProducts.UPDATES_PER_SKU,
        options.partitions(),
        SinkScenario.BATCH_MAX_RECORDS,
        SinkScenario.BATCH_LINGER_MS,
        CatalogScenario.DELTA_MODE,
        CatalogScenario.LINGER_MS,
        ConsumerTuning.MAX_POLL_RECORDS);
  }
}
