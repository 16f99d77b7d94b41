package dev.ferry.bench;

import java.util.Locale;
import java.util.Map;

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

  static final String GC = CpuUsage.GC;
  static final String JIT = CpuUsage.JIT;

  /** Other JVM threads (VM thread, ...) and threads that ended within the window. */
  static final String JVM = CpuUsage.JVM;

  /** Every other process on the machine. */
  static final String OTHER_PROCESSES = CpuUsage.OTHER_PROCESSES;

  /** The groups in report order. */
  static final String[] GROUPS = {
    JETTY, PRODUCER, BROKER, RAW, WRK, OTHER_THREADS, GC, JIT, JVM, OTHER_PROCESSES
  };

  /**
   * The usage between two snapshots.
   *
   * @param wrkSeconds the CPU time wrk reported for the window (0 when it did not run)
   */
  static GatewayCpu between(CpuSnapshot before, CpuSnapshot after, double wrkSeconds) {
    return new GatewayCpu(
        (after.wallNanos() - before.wallNanos()) / 1e9,
        CpuUsage.attribute(before, after, GROUPS, GatewayCpu::groupOf, Map.of(WRK, wrkSeconds)));
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
    if (CpuUsage.BROKER_THREADS.matcher(thread).matches()) {
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
