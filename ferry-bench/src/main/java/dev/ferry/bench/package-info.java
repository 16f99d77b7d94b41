/**
 * End-to-end benchmarks of Ferry: one broker, one Connect worker and one HTTP target in this JVM,
 * with the machine's own ceiling (a raw Kafka consumer) measured in the same run.
 *
 * <p>Entry point: {@link dev.ferry.bench.SinkBenchmark}, usually through {@code bin/ferry-bench}.
 */
package dev.ferry.bench;
