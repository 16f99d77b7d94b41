package dev.ferry.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where the CPU time of a measured window of {@code ferry-bench gateway} went, in core-seconds: the
 * gateway's Jetty threads (HTTP, body reading, JSON parsing, envelopes, handing records to the
 * producer, answers), the gateway's producer I/O thread (also where Kafka's acknowledgements
 * complete the requests' futures), the broker, the raw producer (the bench's main thread and its
 * producer's I/O thread), wrk, the JVM's GC and JIT, and other processes.
 *
 * @param wallSeconds the window's length
 * @param byGroup core-seconds per group, in {@link #GROUPS} order
 */
record GatewayCpu(double wallSeconds, Map<String, Double> byGroup) {

  /** The gateway's Jetty pool ({@code ferry-gateway-*}): request handling end to end. */
  static final String JETTY = "gateway jetty";

  /** The gateway's producer I/O thread; acknowledgements complete the requests there. */
  static final String PRODUCER = "gateway producer i/o";

  /** The broker's threads. */
  static final String BROKER = "broker";

  /** The raw producer: the bench's main thread and the producer's I/O thread. */
  static final String RAW = "raw producer";

  /** The load generator, from its own CPU clock. */
  static final String WRK = "wrk";

  /** Other Java threads of this JVM (the gateway's Kafka probe, metrics, ...). */
  static final String OTHER_THREADS = "other threads";

  static final String GC = "gc";
  static final String JIT = "jit";

  /** Other JVM threads (VM thread, ...) and threads that ended within the window. */
  static final String JVM = "jvm other";

  /** Every other process on the machine. */
  static final String OTHER_PROCESSES = "other processes";

  /** The groups in report order. */
  static final String[] GROUPS = {
    JETTY, PRODUCER, BROKER, RAW, WRK, OTHER_THREADS, GC, JIT, JVM, OTHER_PROCESSES
  };

  /** As in {@link CpuUsage}. */
  private static final Pattern BROKER_THREADS =
      Pattern.compile(
          "data-plane-.*|kafka-(?!producer|admin|coordinator-heartbeat).*|broker-.*|raft-.*"
              + "|quorum-.*|group-coordinator-.*|share-.*|transaction-.*|ExpirationReaper-.*"
              + "|controller-.*|executor-.*|LogDirFailureHandler|.*-reaper|persister-.*");

  /**
   * The usage between two snapshots.
   *
   * @param wrkSeconds the CPU time wrk reported for the window (0 when it did not run)
   */
  static GatewayCpu between(CpuSnapshot before, CpuSnapshot after, double wrkSeconds) {
    Map<String, Double> groups = new LinkedHashMap<>();
    for (String g : GROUPS) {
      groups.put(g, 0.0);
    }
    double threadsTotal = 0;
    for (Map.Entry<Long, CpuSnapshot.ThreadCpu> e : after.threads().entrySet()) {
      CpuSnapshot.ThreadCpu end = e.getValue();
      CpuSnapshot.ThreadCpu start = before.threads().get(e.getKey());
      double seconds = (end.nanos() - (start == null ? 0 : start.nanos())) / 1e9;
      groups.merge(groupOf(end.name()), seconds, Double::sum);
      threadsTotal += seconds;
    }
    double gc = (after.gcNanos() - before.gcNanos()) / 1e9;
    double jit = (after.jitNanos() - before.jitNanos()) / 1e9;
    groups.put(GC, gc);
    groups.put(JIT, jit);
    groups.put(WRK, wrkSeconds);
    if (before.processNanos() >= 0 && after.processNanos() >= 0) {
      double process = (after.processNanos() - before.processNanos()) / 1e9;
      groups.put(JVM, Math.max(0, process - threadsTotal - gc - jit));
      if (before.machineNanos() >= 0 && after.machineNanos() >= 0) {
        double machine = (after.machineNanos() - before.machineNanos()) / 1e9;
        groups.put(OTHER_PROCESSES, Math.max(0, machine - process - wrkSeconds));
      }
    }
    return new GatewayCpu((after.wallNanos() - before.wallNanos()) / 1e9, groups);
  }

  static String groupOf(String thread) {
    if (thread.startsWith("ferry-gateway-")) {
      return JETTY;
    }
    if (thread.equals("kafka-producer-network-thread | ferry-gateway")) {
      return PRODUCER;
    }
    if (thread.equals("main")
        || thread.equals("kafka-producer-network-thread | " + RawIdempotentProducer.CLIENT_ID)) {
      return RAW;
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

  /** Core-seconds of the gateway's own threads (Jetty and its producer). */
  double gateway() {
    return of(JETTY) + of(PRODUCER);
  }

  /** Core-seconds of everything counted. */
  double total() {
    double sum = 0;
    for (double v : byGroup.values()) {
      sum += v;
    }
    return sum;
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
