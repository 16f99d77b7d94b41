package dev.ferry.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The end of a {@code ferry-bench sink} run: the result and CPU tables as aligned text, then the
 * same again as markdown (ready for {@code docs/benchmarks.md}).
 */
final class SinkReport {
  private final SinkOptions options;
  private final String started;
  private final String machine;
  private final ResultTable results;
  private final CpuTable cpu;

  /**
   * @param started when the run started (ISO-8601)
   * @param machine the machine description, with load averages
   * @param rows the result rows in order
   * @param ceiling the raw consumer's median throughput
   */
  SinkReport(
      SinkOptions options,
      String started,
      String machine,
      List<ResultRow> rows,
      Throughput ceiling) {
    this.options = options;
    this.started = started;
    this.machine = machine;
    this.results = new ResultTable(rows, ceiling);
    this.cpu = new CpuTable(rows);
  }

  /** Prints the text tables, then the markdown section. */
  void print(PrintStream out) {
    out.println();
    out.println("machine: " + machine);
    out.println(results.text());
    out.println(notes());
    out.println();
    out.println("CPU of the median runs (core-seconds):");
    out.println(cpu.text());
    out.println();
    out.println("## ferry-bench sink, " + started);
    out.println();
    out.println("Machine: " + machine + ".");
    out.println();
    out.print(results.markdown());
    out.println();
    out.println(notes());
    out.println();
    out.println("CPU of the median runs, in core-seconds:");
    out.println();
    out.print(cpu.markdown());
    out.flush();
  }

  private String notes() {
    return String.format(
        Locale.ROOT,
        "records/s: the median of %d run(s) after a warm-up run, timed from the first request (the"
            + " first poll with records, for (a)) to the last record; %,d-byte JSON values, %d"
            + " partitions. Batches: json_array, batch.max.records=%d, batch.linger.ms=%d."
            + " Consumers: max.poll.records=%d, max.partition.fetch.bytes=%d. Latency: from the"
            + " send stamp to the target's receipt, %d s at %,d records/s (batched) and %,d"
            + " records/s (single), after a warm-up.",
        options.repeat(),
        options.recordBytes(),
        options.partitions(),
        SinkScenario.BATCH_MAX_RECORDS,
        SinkScenario.BATCH_LINGER_MS,
        ConsumerTuning.MAX_POLL_RECORDS,
        ConsumerTuning.MAX_PARTITION_FETCH_BYTES,
        options.latency().toSeconds(),
        options.batchedRate(),
        options.singleRate());
  }
}
