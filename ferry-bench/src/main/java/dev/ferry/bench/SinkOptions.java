package dev.ferry.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The options of {@code ferry-bench sink}.
 *
 * @param records records pre-loaded for the raw consumer and the batched runs
 * @param recordBytes the size of each JSON value in bytes
 * @param partitions partitions of every benchmark topic
 * @param singleRecords records pre-loaded for the one-record-per-request runs
 * @param latency how long records are produced at a steady rate in each latency phase
 * @param batchedRate records per second produced in the batched latency phase
 * @param singleRate records per second produced in the one-record-per-request latency phase
 * @param repeat how many times each throughput measurement runs (the median counts)
 * @param variants whether to run the extra configurations (more in flight, two tasks, key order)
 * @param offsetFlush the worker's {@code offset.flush.interval.ms}
 * @param pluginPath the worker's plugin path (holds Ferry's unpacked plugin archive)
 * @param timeout the longest any one phase may take
 */
record SinkOptions(
    long records,
    int recordBytes,
    int partitions,
    long singleRecords,
    Duration latency,
    int batchedRate,
    int singleRate,
    int repeat,
    boolean variants,
    Duration offsetFlush,
    Path pluginPath,
    Duration timeout) {

  /** The plugin directory relative to the repository root, where {@code ferry-bench} puts it. */
  static final Path DEFAULT_PLUGIN_PATH = Path.of("ferry-bench", "target", "plugins");

  static final String USAGE =
      String.join(
          System.lineSeparator(),
          "usage: ferry-bench sink [options]",
          "  --records N           records for the raw consumer and batched runs (1000000)",
          "  --record-bytes B      size of each JSON value in bytes (1024)",
          "  --partitions P        partitions of each topic (6)",
          "  --single-records N    records for the one-record-per-request runs (100000)",
          "  --latency-seconds S   steady-rate production per latency phase, 0 skips (10)",
          "  --batched-rate R      records/s in the batched latency phase (20000)",
          "  --single-rate R       records/s in the single latency phase (5000)",
          "  --repeat R            runs of each throughput measurement, the median counts (3)",
          "  --no-variants         only the base configurations (skip 6 in flight, 2 tasks,"
              + " key order)",
          "  --offset-flush-ms MS  the worker's offset.flush.interval.ms (1000)",
          "  --plugin-path DIR     the worker's plugin.path (ferry-bench/target/plugins)",
          "  --timeout-sec S       the longest one phase may take (900)");

  /** Parses the options after the subcommand; the last of a repeated option wins. */
  static SinkOptions parse(List<String> args) {
    long records = 1_000_000;
    int recordBytes = 1024;
    int partitions = 6;
    long singleRecords = 100_000;
    long latencySeconds = 10;
    int batchedRate = 20_000;
    int singleRate = 5_000;
    int repeat = 3;
    boolean variants = true;
    long offsetFlushMs = 1000;
    Path pluginPath = null;
    long timeoutSeconds = 900;
    for (int i = 0; i < args.size(); i++) {
      String name = args.get(i);
      if (name.equals("--no-variants")) {
        variants = false;
        continue;
      }
      if (i + 1 >= args.size()) {
        throw new IllegalArgumentException("missing value after " + name);
      }
      String value = args.get(++i);
      switch (name) {
        case "--records" -> records = positiveLong(name, value);
        case "--record-bytes" -> recordBytes = positiveInt(name, value);
        case "--partitions" -> partitions = positiveInt(name, value);
        case "--single-records" -> singleRecords = positiveLong(name, value);
        case "--latency-seconds" -> latencySeconds = Long.parseLong(value);
        case "--batched-rate" -> batchedRate = positiveInt(name, value);
        case "--single-rate" -> singleRate = positiveInt(name, value);
        case "--repeat" -> repeat = positiveInt(name, value);
        case "--offset-flush-ms" -> offsetFlushMs = positiveLong(name, value);
        case "--plugin-path" -> pluginPath = Path.of(value);
        case "--timeout-sec" -> timeoutSeconds = positiveLong(name, value);
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    if (latencySeconds < 0) {
      throw new IllegalArgumentException("--latency-seconds must not be negative");
    }
    return new SinkOptions(
        records,
        recordBytes,
        partitions,
        singleRecords,
        Duration.ofSeconds(latencySeconds),
        batchedRate,
        singleRate,
        repeat,
        variants,
        Duration.ofMillis(offsetFlushMs),
        pluginPath == null ? defaultPluginPath() : pluginPath.toAbsolutePath(),
        Duration.ofSeconds(timeoutSeconds));
  }

  /**
   * {@code ferry-bench/target/plugins} under the working directory (the repository root), or {@code
   * target/plugins} when run from inside {@code ferry-bench}.
   */
  static Path defaultPluginPath() {
    Path fromRoot = DEFAULT_PLUGIN_PATH.toAbsolutePath();
    if (Files.isDirectory(fromRoot)) {
      return fromRoot;
    }
    Path fromModule = Path.of("target", "plugins").toAbsolutePath();
    return Files.isDirectory(fromModule) ? fromModule : fromRoot;
  }

  static long positiveLong(String name, String value) {
    long v = Long.parseLong(value);
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
    return v;
  }

  static int positiveInt(String name, String value) {
    return Math.toIntExact(positiveLong(name, value));
  }
}
