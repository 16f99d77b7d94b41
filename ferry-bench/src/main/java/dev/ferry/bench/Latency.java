package dev.ferry.bench;

import org.HdrHistogram.Histogram;

/**
 * Delivery latency percentiles in milliseconds.
 *
 * @param count the records measured
 * @param p50 the median
 * @param p99 the 99th percentile
 * @param max the largest
 */
record Latency(long count, double p50, double p99, double max) {

  /** The percentiles of a histogram of nanoseconds. */
  static Latency of(Histogram nanos) {
    return new Latency(
        nanos.getTotalCount(),
        nanos.getValueAtPercentile(50) / 1e6,
        nanos.getValueAtPercentile(99) / 1e6,
        nanos.getMaxValue() / 1e6);
  }
}
