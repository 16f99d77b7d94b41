package dev.ferry.bench;

/**
 * Records moved in a measured time, and where the CPU went meanwhile.
 *
 * @param records the records counted
 * @param nanos the time they took
 * @param cpu the CPU time of the same window, or {@code null} when not measured
 */
record Throughput(long records, long nanos, CpuUsage cpu) {

  /** A throughput without CPU accounting. */
  Throughput(long records, long nanos) {
    this(records, nanos, null);
  }

  /** The time in seconds. */
  double seconds() {
    return nanos / 1e9;
  }

  /** Records per second; 0 when no time was measured. */
  double perSecond() {
    return nanos <= 0 ? 0 : records / seconds();
  }
}
