package dev.ferry.bench;

/**
 * A monotonic clock shared by the producer that stamps records and the target that reads the
 * stamps: nanoseconds since this class was loaded, so always non-negative.
 */
final class BenchClock {
  private static final long ORIGIN = System.nanoTime();

  private BenchClock() {}

  /** Nanoseconds since the origin. */
  static long nanos() {
    return System.nanoTime() - ORIGIN;
  }
}
