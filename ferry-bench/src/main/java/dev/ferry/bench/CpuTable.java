package dev.ferry.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where the CPU went in each mode's median run, in core-seconds per group of threads, and Ferry's
 * own CPU time per record (task thread, lanes and HTTP client).
 */
final class CpuTable {
  private final TextTable table;

  CpuTable(List<ResultRow> rows) {
    List<String> header = new ArrayList<>();
    header.add("mode (core-seconds)");
    header.add("wall s");
    header.addAll(List.of(CpuUsage.GROUPS));
    header.add("ferry µs/record");
    table = new TextTable(header.toArray(new String[0]));
    for (ResultRow row : rows) {
      Throughput t = row.runs().median();
      CpuUsage cpu = t.cpu();
      if (cpu == null) {
        continue;
      }
      List<String> cells = new ArrayList<>();
      cells.add(row.mode());
      cells.add(String.format(Locale.ROOT, "%.2f", cpu.wallSeconds()));
      for (String g : CpuUsage.GROUPS) {
        cells.add(String.format(Locale.ROOT, "%.2f", cpu.of(g)));
      }
      cells.add(
          cpu.ferry() > 0
              ? String.format(Locale.ROOT, "%.1f", cpu.ferry() * 1e6 / t.records())
              : "-");
      table.add(cells.toArray(new String[0]));
    }
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
