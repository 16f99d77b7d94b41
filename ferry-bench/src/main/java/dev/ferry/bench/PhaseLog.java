package dev.ferry.bench;

import java.io.PrintStream;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The progress log of a benchmark run: phase headings, one line per measured run with its CPU
 * summary, and the bookkeeping of warm-up and counted rounds.
 */
final class PhaseLog {
  private final PrintStream out;
  private final int repeat;

  /**
   * @param repeat the counted rounds after the warm-up round 0
   */
  PhaseLog(PrintStream out, int repeat) {
    this.out = out;
    this.repeat = repeat;
  }

  /** Now, ISO-8601 with the offset: when a run started. */
  static String now() {
    return ZonedDateTime.now(ZoneId.systemDefault()).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }

  /** The machine, with the load average before the run and now. */
  static String machineWithLoad(double loadBefore) {
    return MachineInfo.describe()
        + String.format(
            Locale.ROOT,
            "; load average %.2f before, %.2f after",
            loadBefore,
            MachineInfo.loadAverage());
  }

  /** A heading. */
  void phase(String name) {
    out.println();
    out.println("== " + name);
  }

  /** {@code " (warm-up, not counted)"} for round 0, else {@code " (run i/n)"}. */
  String runName(int round) {
    return round == 0 ? " (warm-up, not counted)" : " (run " + round + "/" + repeat + ")";
  }

  /**
   * {@link #runName(int)}, naming also the {@code k}th (from 0) of {@code of} runs in the round.
   */
  String runName(int round, int k, int of) {
    if (of <= 1) {
      return runName(round);
    }
    String name = runName(round);
    return name.substring(0, name.length() - 1) + ", " + (k + 1) + " of " + of + ")";
  }

  /** Reports a run; adds it to the measurements unless it is the warm-up (round 0). */
  void count(int round, Measurements runs, String what, Throughput t) {
    if (round == 0) {
      report(what + " warm-up", t);
    } else {
      runs.add(report(what, t));
    }
  }

  /** Prints one run's line (and its CPU summary) and returns it. */
  Throughput report(String what, Throughput t) {
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
