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
  private final TextTable mapping;
  private final EndToEnd endToEnd;
  private final TextTable results;
  private final CpuTable cpu;
  private final String verdict;

  /**
   * The end-to-end part of a run.
   *
   * @param averageBytes the average size of the topic's messages
   * @param mapped the entities the mappings make of the topic's messages
   * @param rows the rows: (a) the ceiling, (b) the passthrough baseline, then the catalog runs
   * @param ceiling the raw consumer's median throughput
   * @param passthrough the passthrough sink's median throughput
   */
  record EndToEnd(
      double averageBytes,
      long mapped,
      List<ResultRow> rows,
      Throughput ceiling,
      Throughput passthrough) {}

  /** A report of the in-process mapping cost only. */
  CatalogReport(
      CatalogOptions options, String started, String machine, List<MappingCost.Result> costs) {
    this(options, started, machine, costs, null);
  }

  /**
   * @param started when the run started (ISO-8601)
   * @param machine the machine description, with load averages
   * @param costs the in-process costs, decoding only first
   * @param endToEnd the end-to-end results, or null when not measured
   */
  CatalogReport(
      CatalogOptions options,
      String started,
      String machine,
      List<MappingCost.Result> costs,
      EndToEnd endToEnd) {
    this.options = options;
    this.started = started;
    this.machine = machine;
    this.mapping = mappingTable(costs);
    this.endToEnd = endToEnd;
    if (endToEnd == null) {
      this.results = null;
      this.cpu = null;
      this.verdict = "";
    } else {
      this.results = resultTable(endToEnd);
      this.cpu = new CpuTable(endToEnd.rows());
      this.verdict = verdict(endToEnd.rows(), endToEnd.passthrough());
    }
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

  private static TextTable resultTable(EndToEnd e2e) {
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
    for (ResultRow row : e2e.rows()) {
      Throughput m = row.runs().median();
      Throughput.Entities e = m.entities();
      t.add(
          row.mode(),
          String.format(Locale.ROOT, "%,d", m.records()),
          String.format(Locale.ROOT, "%.2f", m.seconds()),
          String.format(Locale.ROOT, "%,.0f", m.perSecond()),
          ratio(m, e2e.ceiling()),
          ratio(m, e2e.passthrough()),
          e == null ? "-" : String.format(Locale.ROOT, "%,d", e.sent()),
          e == null ? "-" : String.format(Locale.ROOT, "%,.0f", m.entitiesPerSecond()),
          e == null
              ? "-"
              : String.format(
                  Locale.ROOT,
                  "%,d (%.0f %%)",
                  e2e.mapped() - e.sent(),
                  100.0 * (e2e.mapped() - e.sent()) / e2e.mapped()),
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
    if (endToEnd != null) {
      out.println(results.text());
      out.println(notes());
      out.println(verdict);
      out.println();
      out.println("CPU of the median runs (core-seconds):");
      out.println(cpu.text());
    }
    out.println();
    out.println("## ferry-bench catalog, " + started);
    out.println();
    out.println("Machine: " + machine + ".");
    out.println();
    out.print(mapping.markdown());
    if (endToEnd != null) {
      out.println();
      out.print(results.markdown());
      out.println();
      out.println(notes());
      out.println(verdict);
      out.println();
      out.println("CPU of the median runs, in core-seconds:");
      out.println();
      out.print(cpu.markdown());
    }
    out.flush();
  }

  private String notes() {
    return String.format(
        Locale.ROOT,
        "records/s: the median (of an even count, the lower middle one) of %d run(s) of each"
            + " catalog mode and %d of (a) and (b), after a warm-up round over a third of the"
            + " topic; timed from the first request (for (a): the first poll with records) to the"
            + " request with the last record (for (c), (d): the last request, once all offsets"
            + " were committed). %,d product messages of %.0f bytes on average, key = sku, each"
            + " sku %d times, %d partitions. (b): json_array, batch.max.records=%d,"
            + " batch.linger.ms=%d. (c), (d): body.format=grouped, delta.mode=%s,"
            + " batch.linger.ms=%d (grouped default 60000), batch.max.records=10000 and"
            + " batch.max.bytes=1 MiB (defaults), mapping examples/catalog/mapping.jsonata or"
            + " mapping.js. All: ByteArrayConverter, max.poll.records=%d. entities sent: upserts"
            + " and deletes counted at the target; collapsed: the entities the mapping made"
            + " (%,d) less those sent.",
        options.repeat(),
        options.repeat() * CatalogSuite.BASELINE_RUNS,
        options.records(),
        endToEnd.averageBytes(),
        CatalogProducts.UPDATES_PER_SKU,
        options.partitions(),
        SinkScenario.BATCH_MAX_RECORDS,
        SinkScenario.BATCH_LINGER_MS,
        CatalogScenario.DELTA_MODE,
        CatalogScenario.LINGER_MS,
        ConsumerTuning.MAX_POLL_RECORDS,
        endToEnd.mapped());
  }
}
