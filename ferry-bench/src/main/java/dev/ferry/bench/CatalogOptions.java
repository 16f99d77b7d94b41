package dev.ferry.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The options of {@code ferry-bench catalog}.
 *
 * @param records product messages pre-loaded for the end-to-end runs
 * @param partitions partitions of the topic
 * @param mappingRecords distinct products decoded and mapped in-process
 * @param mappingTime how long each in-process step warms up, and then how long it is timed
 * @param repeat how many times each end-to-end measurement runs (the median counts)
 * @param variants whether to run the extra configurations (two tasks)
 * @param endToEnd false to measure only the in-process mapping cost
 * @param examples the directory with {@code products.ndjson}, {@code mapping.jsonata} and {@code
 *     mapping.js}
 * @param offsetFlush the worker's {@code offset.flush.interval.ms}
 * @param pluginPath the worker's plugin path (holds Ferry's unpacked plugin archive)
 * @param timeout the longest any one phase may take
 */
record CatalogOptions(
    long records,
    int partitions,
    int mappingRecords,
    Duration mappingTime,
    int repeat,
    boolean variants,
    boolean endToEnd,
    Path examples,
    Duration offsetFlush,
    Path pluginPath,
    Duration timeout) {

  static final String USAGE =
      String.join(
          System.lineSeparator(),
          "usage: ferry-bench catalog [options]",
          "  --records N           product messages for the end-to-end runs (300000)",
          "  --partitions P        partitions of the topic (6)",
          "  --mapping-records N   distinct products decoded and mapped in-process (10000)",
          "  --mapping-seconds S   warm-up, then timed window, per in-process step (5)",
          "  --repeat R            runs of each end-to-end measurement, the median counts (2)",
          "  --no-variants         only 1 task (skip the 2-task catalog runs)",
          "  --mapping-only        only the in-process mapping cost, no broker",
          "  --examples DIR        products.ndjson and the mappings (examples/catalog)",
          "  --offset-flush-ms MS  the worker's offset.flush.interval.ms (1000)",
          "  --plugin-path DIR     the worker's plugin.path (ferry-bench/target/plugins)",
          "  --timeout-sec S       the longest one phase may take (900)");

  /** Parses the options after the subcommand; the last of a repeated option wins. */
  static CatalogOptions parse(List<String> args) {
    long records = 300_000;
    int partitions = 6;
    int mappingRecords = 10_000;
    long mappingSeconds = 5;
    int repeat = 2;
    boolean variants = true;
    boolean endToEnd = true;
    Path examples = Path.of("examples", "catalog");
    long offsetFlushMs = 1000;
    Path pluginPath = null;
    long timeoutSeconds = 900;
    for (int i = 0; i < args.size(); i++) {
      String name = args.get(i);
      if (name.equals("--no-variants")) {
        variants = false;
        continue;
      }
      if (name.equals("--mapping-only")) {
        endToEnd = false;
        continue;
      }
      if (i + 1 >= args.size()) {
        throw new IllegalArgumentException("missing value after " + name);
      }
      String value = args.get(++i);
      switch (name) {
        case "--records" -> records = SinkOptions.positiveLong(name, value);
        case "--partitions" -> partitions = SinkOptions.positiveInt(name, value);
        case "--mapping-records" -> mappingRecords = SinkOptions.positiveInt(name, value);
        case "--mapping-seconds" -> mappingSeconds = SinkOptions.positiveLong(name, value);
        case "--repeat" -> repeat = SinkOptions.positiveInt(name, value);
        case "--examples" -> examples = Path.of(value);
        case "--offset-flush-ms" -> offsetFlushMs = SinkOptions.positiveLong(name, value);
        case "--plugin-path" -> pluginPath = Path.of(value);
        case "--timeout-sec" -> timeoutSeconds = SinkOptions.positiveLong(name, value);
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    return new CatalogOptions(
        records,
        partitions,
        mappingRecords,
        Duration.ofSeconds(mappingSeconds),
        repeat,
        variants,
        endToEnd,
        examples.toAbsolutePath(),
        Duration.ofMillis(offsetFlushMs),
        pluginPath == null ? SinkOptions.defaultPluginPath() : pluginPath.toAbsolutePath(),
        Duration.ofSeconds(timeoutSeconds));
  }
}
