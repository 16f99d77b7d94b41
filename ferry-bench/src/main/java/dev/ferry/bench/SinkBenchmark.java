package dev.ferry.bench;

import java.util.Arrays;
import java.util.List;

/**
 * The benchmark's entry point: {@code SinkBenchmark sink [options]} runs {@link SinkSuite}; see
 * {@link SinkOptions#USAGE} or {@code bin/ferry-bench --help}.
 *
 * <p>Logging goes through slf4j-simple at {@code warn} unless {@code
 * -Dorg.slf4j.simpleLogger.defaultLogLevel} says otherwise.
 */
public final class SinkBenchmark {

  private SinkBenchmark() {}

  /** Runs the subcommand named by the first argument; exits with 2 on bad usage, 1 on failure. */
  public static void main(String[] args) {
    // Before anything logs: slf4j-simple reads these once.
    System.setProperty(
        "org.slf4j.simpleLogger.defaultLogLevel",
        System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    List<String> all = Arrays.asList(args);
    if (all.isEmpty() || all.contains("--help") || all.contains("-h")) {
      System.out.println(SinkOptions.USAGE);
      System.exit(all.isEmpty() ? 2 : 0);
    }
    if (!all.get(0).equals("sink")) {
      System.err.println("unknown subcommand " + all.get(0));
      System.err.println(SinkOptions.USAGE);
      System.exit(2);
    }
    SinkOptions options;
    try {
      options = SinkOptions.parse(all.subList(1, all.size()));
    } catch (IllegalArgumentException e) {
      System.err.println("ferry-bench: " + e.getMessage());
      System.err.println(SinkOptions.USAGE);
      System.exit(2);
      return;
    }
    try {
      new SinkSuite(options, System.out).run();
    } catch (Exception e) {
      System.out.flush();
      System.err.println("ferry-bench: failed: " + e);
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }
}
