package dev.ferry.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Where the CPU time of a measured window went, in core-seconds: this JVM's threads grouped by role
 * (Ferry's parts, the HTTP target, the broker), the JVM's own threads (GC, JIT) and threads that
 * ended within the window, and other processes on the machine.
 *
 * @param wallSeconds the window's length
 * @param byGroup core-seconds per group, in {@link #GROUPS} order
 */
record CpuUsage(double wallSeconds, Map<String, Double> byGroup) {

  /** Task thread: Connect's poll and conversion, then Ferry's {@code put} and {@code preCommit}. */
  static final String TASK = "task thread";

  /** Ferry's delivery lanes: batching, request bodies, waiting for responses. */
  static final String LANES = "ferry lanes";

  /** The JDK HTTP client of Ferry: its executor threads and selector. */
  static final String HTTP = "ferry http client";

  /** The scripted HTTP target (Jetty), including its record counting. */
  static final String TARGET = "http target";

  /** The broker's threads. */
  static final String BROKER = "broker";

  /** The benchmark's main thread (the raw consumer runs on it) and its Kafka clients. */
  static final String DRIVER = "bench driver";

  /** Other Java threads of this JVM (worker herder, metrics, ...). */
  static final String OTHER_THREADS = "other threads";

  /** The garbage collector's threads (Linux only; elsewhere counted in {@link #JVM}). */
  static final String GC = "gc";

  /** The JIT compiler's threads (Linux only; elsewhere counted in {@link #JVM}). */
  static final String JIT = "jit";

  /** Other JVM threads (VM thread, ...) and threads that ended within the window. */
  static final String JVM = "jvm other";

  /** Every other process on the machine. */
  static final String OTHER_PROCESSES = "other processes";

  /** The groups in report order. */
  static final String[] GROUPS = {
    TASK, LANES, HTTP, TARGET, BROKER, DRIVER, OTHER_THREADS, GC, JIT, JVM, OTHER_PROCESSES
  };

  /** The broker's threads (also {@link GatewayCpu}'s). */
  static final Pattern BROKER_THREADS =
      Pattern.compile(
          "data-plane-.*|kafka-(?!producer|admin|coordinator-heartbeat).*|broker-.*|raft-.*"
              + "|quorum-.*|group-coordinator-.*|share-.*|transaction-.*|ExpirationReaper-.*"
              + "|controller-.*|executor-.*|LogDirFailureHandler|.*-reaper|persister-.*");

  private static final Pattern DRIVER_THREADS =
      Pattern.compile("main|kafka-producer-network-thread \\| producer-.*");

  /** The usage between two snapshots; threads alive at both ends are attributed by name. */
  static CpuUsage between(CpuSnapshot before, CpuSnapshot after) {
    return new CpuUsage(
        (after.wallNanos() - before.wallNanos()) / 1e9,
        attribute(before, after, GROUPS, CpuUsage::groupOf, Map.of()));
  }

  /**
   * Core-seconds between two snapshots by group, in {@code groups} order: each Java thread's time
   * to the group {@code groupOf} names for it; {@link #GC}, {@link #JIT}, the rest of the JVM
   * ({@link #JVM}) and the rest of the machine ({@link #OTHER_PROCESSES}) from the snapshots.
   *
   * @param outside core-seconds of the run's own processes outside this JVM (e.g. wrk), by group:
   *     reported as such rather than as other processes
   */
  static Map<String, Double> attribute(
      CpuSnapshot before,
      CpuSnapshot after,
      String[] groups,
      Function<String, String> groupOf,
      Map<String, Double> outside) {
    Map<String, Double> byGroup = new LinkedHashMap<>();
    for (String g : groups) {
      byGroup.put(g, 0.0);
    }
    double threadsTotal = 0;
    for (Map.Entry<Long, CpuSnapshot.ThreadCpu> e : after.threads().entrySet()) {
      CpuSnapshot.ThreadCpu end = e.getValue();
      CpuSnapshot.ThreadCpu start = before.threads().get(e.getKey());
      double seconds = (end.nanos() - (start == null ? 0 : start.nanos())) / 1e9;
      byGroup.merge(groupOf.apply(end.name()), seconds, Double::sum);
      threadsTotal += seconds;
    }
    double gc = (after.gcNanos() - before.gcNanos()) / 1e9;
    double jit = (after.jitNanos() - before.jitNanos()) / 1e9;
    byGroup.put(GC, gc);
    byGroup.put(JIT, jit);
    byGroup.putAll(outside);
    double outsideTotal = outside.values().stream().mapToDouble(Double::doubleValue).sum();
    if (before.processNanos() >= 0 && after.processNanos() >= 0) {
      double process = (after.processNanos() - before.processNanos()) / 1e9;
      byGroup.put(JVM, Math.max(0, process - threadsTotal - gc - jit));
      if (before.machineNanos() >= 0 && after.machineNanos() >= 0) {
        double machine = (after.machineNanos() - before.machineNanos()) / 1e9;
        byGroup.put(OTHER_PROCESSES, Math.max(0, machine - process - outsideTotal));
      }
    }
    return byGroup;
  }

  private static String groupOf(String thread) {
    if (thread.startsWith("task-thread-")) {
      return TASK;
    }
    if (thread.contains("-lane-")) {
      return LANES;
    }
    if (thread.startsWith("ferry-http-") || thread.matches("HttpClient-\\d+-SelectorManager")) {
      return HTTP;
    }
    if (thread.startsWith("scripted-http")) {
      return TARGET;
    }
    if (DRIVER_THREADS.matcher(thread).matches()) {
      return DRIVER;
    }
    if (BROKER_THREADS.matcher(thread).matches()) {
      return BROKER;
    }
    return OTHER_THREADS;
  }

  /** Core-seconds of a group. */
  double of(String group) {
    return byGroup.getOrDefault(group, 0.0);
  }

  /** Core-seconds of Ferry's own threads: task thread, lanes and HTTP client. */
  double ferry() {
    return of(TASK) + of(LANES) + of(HTTP);
  }

  /** One line: each group's core-seconds over the wall time. */
  String summary() {
    StringBuilder out =
        new StringBuilder(String.format(Locale.ROOT, "cpu core-seconds in %.2f s:", wallSeconds));
    for (String g : GROUPS) {
      double v = of(g);
      if (v >= 0.005) {
        out.append(String.format(Locale.ROOT, " %s %.2f,", g, v));
      }
    }
    out.setLength(out.length() - 1);
    return out.toString();
  }
}
