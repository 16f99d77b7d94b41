package dev.ferry.bench;

import java.util.List;
import java.util.Locale;

/**
 * The main result: per mode the median run's records, time and rate, the rate as a ratio to the raw
 * consumer's, latency percentiles, and the spread of the runs.
 */
final class ResultTable {
  private final TextTable table =
      new TextTable(
          "mode",
          "records",
          "seconds",
          "records/s",
          "ratio to (a)",
          "p50 ms",
          "p99 ms",
          "runs (min-max records/s)");

  /**
   * @param rows the rows in order
   * @param ceiling the raw consumer's (median) throughput, the denominator of the ratios
   */
  ResultTable(List<ResultRow> rows, Throughput ceiling) {
    for (ResultRow row : rows) {
      Throughput t = row.runs().median();
      table.add(
          row.mode(),
          String.format(Locale.ROOT, "%,d", t.records()),
          String.format(Locale.ROOT, "%.2f", t.seconds()),
          String.format(Locale.ROOT, "%,.0f", t.perSecond()),
          row.comparable() && ceiling.perSecond() > 0
              ? String.format(Locale.ROOT, "%.2f", t.perSecond() / ceiling.perSecond())
              : "-",
          row.latency() == null ? "-" : millis(row.latency().p50()),
          row.latency() == null ? "-" : millis(row.latency().p99()),
          runs(row.runs()));
    }
  }

  /** The number of runs, and with more than one the lowest and highest rate. */
  static String runs(Measurements runs) {
    return runs.size() == 1
        ? "1"
        : String.format(
            Locale.ROOT, "%d (%,.0f-%,.0f)", runs.size(), runs.minRate(), runs.maxRate());
  }

  private static String millis(double ms) {
    return String.format(Locale.ROOT, ms < 10 ? "%.1f" : "%.0f", ms);
  }

  /** The aligned text table. */
  String text() {
    return table.text();
  }

  /** The markdown table. */
  String markdown() {
    return table.markdown();
  }
}
