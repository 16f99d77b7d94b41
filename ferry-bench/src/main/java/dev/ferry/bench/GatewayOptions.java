package dev.ferry.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options of {@code ferry-bench gateway}.
 *
 * @param events records per run of the raw idempotent producer (the ceiling)
 * @param eventBytes the size of each event as sent, in bytes of JSON
 * @param partitions partitions of the topics
 * @param duration how long each measured wrk run lasts
 * @param warmUp how long the wrk warm-up before each request size lasts (a quarter, then the rest)
 * @param connections the wrk connection counts, each measured in turn
 * @param threads wrk's threads (at most the connection count)
 * @param batches the events per request, each measured in turn
 * @param distinctEvents distinct events generated (cycled by wrk and by the raw producer)
 * @param rawRuns counted runs of the raw producer before the gateway runs, and as many after, after
 *     a warm-up run (the median of these and the runs between rounds counts)
 * @param rounds measured runs of each request size and connection count, in rounds with a raw
 *     producer run between two rounds; the goal takes the median of a configuration's runs
 * @param gatewayProps extra {@code gateway.*} settings (e.g. {@code gateway.producer.linger.ms=1},
 *     which the raw producer gets too)
 * @param wrk the wrk executable ({@code FERRY_BENCH_WRK}, else {@code wrk} on the PATH)
 * @param timeout the longest one phase may take
 */
record GatewayOptions(
    long events,
    int eventBytes,
    int partitions,
    Duration duration,
    Duration warmUp,
    List<Integer> connections,
    int threads,
    List<Integer> batches,
    int distinctEvents,
    int rawRuns,
    int rounds,
    Map<String, String> gatewayProps,
    String wrk,
    Duration timeout) {

  /** The smallest event the generator can make (its fields without padding). */
  static final int MIN_EVENT_BYTES = 700;

  static final String USAGE =
      String.join(
          System.lineSeparator(),
          "usage: ferry-bench gateway [options]",
          "  --events N              records per raw idempotent producer run (1000000)",
          "  --event-bytes B         size of each event as sent, bytes of JSON (1024)",
          "  --partitions P          partitions of the topics (6)",
          "  --seconds S             length of each measured wrk run (20)",
          "  --warm-up-seconds S     wrk warm-up before each request size, in two runs (30)",
          "  --connections C[,C..]   wrk connections; each count is measured (16,64)",
          "  --threads T             wrk threads (2)",
          "  --batch K[,K..]         events per request; each size is measured (1,100)",
          "  --distinct-events N     distinct events generated and cycled (10000)",
          "  --raw-runs R            raw producer runs before and again after the gateway runs,"
              + " after a warm-up run; the median of all counts (3)",
          "  --rounds N              measured runs of each request size and connection count, in"
              + " rounds with a raw producer run between two; the goal takes the median (3)",
          "  --gateway-prop K=V      a gateway.* setting, repeatable; gateway.producer.* ones also"
              + " apply to the raw producer (none)",
          "  --timeout-sec S         the longest one phase may take (300)",
          "wrk: FERRY_BENCH_WRK, else wrk on the PATH (bin/ferry-bench installs Debian's wrk).");

  /** Parses the options after the subcommand; the last of a repeated option wins. */
  static GatewayOptions parse(List<String> args) {
    long events = 1_000_000;
    int eventBytes = 1024;
    int partitions = 6;
    long seconds = 20;
    long warmUpSeconds = 30;
    List<Integer> connections = List.of(16, 64);
    int threads = 2;
    List<Integer> batches = List.of(1, 100);
    int distinct = 10_000;
    int rawRuns = 3;
    int rounds = 3;
    long timeoutSeconds = 300;
    Map<String, String> gatewayProps = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String name = args.get(i);
      if (i + 1 >= args.size()) {
        throw new IllegalArgumentException("missing value after " + name);
      }
      String value = args.get(++i);
      switch (name) {
        case "--events" -> events = SinkOptions.positiveLong(name, value);
        case "--event-bytes" -> eventBytes = SinkOptions.positiveInt(name, value);
        case "--partitions" -> partitions = SinkOptions.positiveInt(name, value);
        case "--seconds" -> seconds = SinkOptions.positiveLong(name, value);
        case "--warm-up-seconds" -> warmUpSeconds = Long.parseLong(value);
        case "--connections" -> connections = positiveList(name, value);
        case "--threads" -> threads = SinkOptions.positiveInt(name, value);
        case "--batch" -> batches = positiveList(name, value);
        case "--distinct-events" -> distinct = SinkOptions.positiveInt(name, value);
        case "--raw-runs" -> rawRuns = SinkOptions.positiveInt(name, value);
        case "--rounds" -> rounds = SinkOptions.positiveInt(name, value);
        case "--timeout-sec" -> timeoutSeconds = SinkOptions.positiveLong(name, value);
        case "--gateway-prop" -> {
          int eq = value.indexOf('=');
          if (eq <= 0 || !value.startsWith("gateway.")) {
            throw new IllegalArgumentException(
                "--gateway-prop takes gateway.KEY=VALUE, e.g. gateway.producer.linger.ms=1");
          }
          gatewayProps.put(value.substring(0, eq).strip(), value.substring(eq + 1).strip());
        }
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    if (eventBytes < MIN_EVENT_BYTES) {
      throw new IllegalArgumentException(
          "--event-bytes must be at least " + MIN_EVENT_BYTES + " (the event's fields)");
    }
    if (warmUpSeconds < 0) {
      throw new IllegalArgumentException("--warm-up-seconds must not be negative");
    }
    for (int k : batches) {
      if (k > distinct) {
        throw new IllegalArgumentException(
            "--batch " + k + " is larger than --distinct-events " + distinct);
      }
    }
    String wrk = System.getenv("FERRY_BENCH_WRK");
    return new GatewayOptions(
        events,
        eventBytes,
        partitions,
        Duration.ofSeconds(seconds),
        Duration.ofSeconds(warmUpSeconds),
        connections,
        threads,
        batches,
        distinct,
        rawRuns,
        rounds,
        Collections.unmodifiableMap(gatewayProps),
        wrk == null || wrk.isBlank() ? "wrk" : wrk,
        Duration.ofSeconds(timeoutSeconds));
  }

  private static List<Integer> positiveList(String name, String value) {
    List<Integer> out = new ArrayList<>();
    for (String item : value.split(",")) {
      if (!item.isBlank()) {
        out.add(SinkOptions.positiveInt(name, item.strip()));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(name + " needs at least one number");
    }
    return List.copyOf(out);
  }
}
