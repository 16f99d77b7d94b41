package dev.ferry.bench;

import java.util.Arrays;
import java.util.List;

/**
 * The benchmark's entry point: {@code SinkBenchmark sink [options]} runs {@link SinkSuite}, {@code
 * SinkBenchmark catalog [options]} runs {@link CatalogSuite}, {@code SinkBenchmark gateway
 * [options]} runs {@link GatewaySuite}; see {@link SinkOptions#USAGE}, {@link
 * CatalogOptions#USAGE}, {@link GatewayOptions#USAGE} or {@code bin/ferry-bench --help}.
 *
 * <p>Logging goes through slf4j-simple at {@code warn} unless {@code
 * -Dorg.slf4j.simpleLogger.defaultLogLevel} says otherwise.
 */
public final class SinkBenchmark {

  private static final String USAGE =
      String.join(
          System.lineSeparator() + System.lineSeparator(),
          SinkOptions.USAGE,
          CatalogOptions.USAGE,
          GatewayOptions.USAGE);

  private SinkBenchmark() {}

  /** A subcommand, once its options are parsed. */
  @FunctionalInterface
  private interface Suite {
    void run() throws Exception;
  }

  /** Runs the subcommand named by the first argument; exits with 2 on bad usage, 1 on failure. */
  public static void main(String[] args) {
    // Before anything logs: slf4j-simple reads these once.
    System.setProperty(
        "org.slf4j.simpleLogger.defaultLogLevel",
        System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    List<String> all = Arrays.asList(args);
    if (all.isEmpty() || all.contains("--help") || all.contains("-h")) {
      System.out.println(USAGE);
      System.exit(all.isEmpty() ? 2 : 0);
    }
    List<String> rest = all.subList(1, all.size());
    Suite suite;
    try {
      switch (all.get(0)) {
        case "sink" -> {
          SinkOptions options = SinkOptions.parse(rest);
          suite = () -> new SinkSuite(options, System.out).run();
        }
        case "catalog" -> {
          CatalogOptions options = CatalogOptions.parse(rest);
          suite = () -> new CatalogSuite(options, System.out).run();
        }
        case "gateway" -> {
          GatewayOptions options = GatewayOptions.parse(rest);
          suite = () -> new GatewaySuite(options, System.out).run();
        }
        default -> throw new IllegalArgumentException("unknown subcommand " + all.get(0));
      }
    } catch (IllegalArgumentException e) {
      System.err.println("ferry-bench: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    try {
      suite.run();
    } catch (Exception e) {
      System.out.flush();
      System.err.println("ferry-bench: failed: " + e);
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }
}
