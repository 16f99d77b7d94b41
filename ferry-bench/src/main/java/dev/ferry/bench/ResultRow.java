package dev.ferry.bench;

/**
 * One line of the result table.
 *
 * @param mode what was measured
 * @param runs the throughput of each run; the median stands for the mode
 * @param comparable whether the rate is compared with the raw consumer (false for the producer)
 * @param latency delivery latency, or {@code null} when not measured for this mode
 */
record ResultRow(String mode, Measurements runs, boolean comparable, Latency latency) {

  /** A row of runs without latency. */
  static ResultRow of(String mode, Measurements runs, boolean comparable) {
    return new ResultRow(mode, runs, comparable, null);
  }

  /** A row of one run without latency. */
  static ResultRow once(String mode, Throughput run, boolean comparable) {
    Measurements runs = new Measurements();
    runs.add(run);
    return of(mode, runs, comparable);
  }

  /** This row with a latency measured separately. */
  ResultRow withLatency(Latency measured) {
    return new ResultRow(mode, runs, comparable, measured);
  }
}
