package dev.ferry.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The end of a {@code ferry-bench gateway} run: the result, landing and CPU tables as aligned text,
 * then the same again as markdown (ready for {@code docs/benchmarks.md}).
 */
final class GatewayReport {
  private final GatewayOptions options;
  private final String started;
  private final String machine;
  private final String wrkVersion;
  private final double envelopeBytes;
  private final String producerSettings;
  private final GatewayResult.Raw raw;
  private final Measurements rawRuns;
  private final List<GatewayResult.Http> runs;
  private final TextTable results;
  private final TextTable medians;
  private final TextTable landing;
  private final TextTable cpu;

  GatewayReport(
      GatewayOptions options,
      String started,
      String machine,
      String wrkVersion,
      double envelopeBytes,
      String producerSettings,
      GatewayResult.Raw raw,
      Measurements rawRuns,
      List<GatewayResult.Http> runs) {
    this.options = options;
    this.started = started;
    this.machine = machine;
    this.wrkVersion = wrkVersion;
    this.envelopeBytes = envelopeBytes;
    this.producerSettings = producerSettings;
    this.raw = raw;
    this.rawRuns = rawRuns;
    this.runs = runs;
    this.results = results();
    this.medians = medians();
    this.landing = landing();
    this.cpu = cpu();
  }

  private static final String RAW_LABEL = "raw idempotent KafkaProducer (ceiling)";

  private TextTable results() {
    TextTable t =
        new TextTable(
            "mode",
            "requests",
            "requests/s",
            "events",
            "events/s",
            "ratio to raw",
            "p50 ms",
            "p99 ms",
            "non-2xx",
            "socket errors");
    t.add(
        RAW_LABEL,
        "-",
        "-",
        String.format(Locale.ROOT, "%,d", raw.records()),
        String.format(Locale.ROOT, "%,.0f", raw.perSecond()),
        "1.00",
        "-",
        "-",
        "-",
        "-");
    for (GatewayResult.Http r : runs) {
      t.add(
          r.label(),
          String.format(Locale.ROOT, "%,d", r.wrk().requests()),
          String.format(Locale.ROOT, "%,.0f", r.requestsPerSecond()),
          String.format(Locale.ROOT, "%,d", r.wrk().ok() * r.perRequest()),
          String.format(Locale.ROOT, "%,.0f", r.eventsPerSecond()),
          String.format(Locale.ROOT, "%.2f", r.eventsPerSecond() / raw.perSecond()),
          millis(r.wrk().p50Micros()),
          millis(r.wrk().p99Micros()),
          String.format(Locale.ROOT, "%,d", r.wrk().statusErrors()),
          String.format(Locale.ROOT, "%,d", r.wrk().socketErrors()));
    }
    return t;
  }

  /** The runs of each configuration (request size and connections), slowest first. */
  private Collection<List<GatewayResult.Http>> byConfiguration() {
    Map<String, List<GatewayResult.Http>> out = new LinkedHashMap<>();
    for (GatewayResult.Http r : runs) {
      out.computeIfAbsent(r.configuration(), k -> new ArrayList<>()).add(r);
    }
    out.values()
        .forEach(l -> l.sort(Comparator.comparingDouble(GatewayResult.Http::eventsPerSecond)));
    return out.values();
  }

  /** The median run of runs sorted by events/s (of an even count, the lower middle one). */
  private static GatewayResult.Http median(List<GatewayResult.Http> sorted) {
    return sorted.get((sorted.size() - 1) / 2);
  }

  private TextTable medians() {
    TextTable t =
        new TextTable(
            "configuration",
            "runs",
            "median events/s",
            "range events/s",
            "ratio to raw",
            "p99 ms of the median run",
            "gateway µs/event of the median run");
    for (List<GatewayResult.Http> sorted : byConfiguration()) {
      GatewayResult.Http median = median(sorted);
      t.add(
          median.configuration(),
          String.valueOf(sorted.size()),
          String.format(Locale.ROOT, "%,.0f", median.eventsPerSecond()),
          String.format(
              Locale.ROOT,
              "%,.0f-%,.0f",
              sorted.get(0).eventsPerSecond(),
              sorted.get(sorted.size() - 1).eventsPerSecond()),
          String.format(Locale.ROOT, "%.2f", median.eventsPerSecond() / raw.perSecond()),
          millis(median.wrk().p99Micros()),
          String.format(Locale.ROOT, "%.1f", median.gatewayMicrosPerEvent()));
    }
    return t;
  }

  private TextTable landing() {
    TextTable t =
        new TextTable(
            "mode",
            "acknowledged events (2xx x events)",
            "accepted by the gateway",
            "new records in topic",
            "answered after wrk stopped",
            "every acknowledged event landed");
    for (GatewayResult.Http r : runs) {
      GatewayResult.Landing l = r.landing();
      t.add(
          r.label(),
          String.format(Locale.ROOT, "%,d", l.acknowledged()),
          String.format(Locale.ROOT, "%,d", l.accepted()),
          String.format(Locale.ROOT, "%,d", l.inTopic()),
          String.format(Locale.ROOT, "%,d", l.notRead()),
          l.complete(r.connections(), r.perRequest()) ? "yes" : "NO");
    }
    return t;
  }

  private TextTable cpu() {
    List<String> header = new ArrayList<>();
    header.add("mode (core-seconds)");
    header.add("wall s");
    header.addAll(List.of(GatewayCpu.GROUPS));
    header.add("gateway µs/event");
    TextTable t = new TextTable(header.toArray(new String[0]));
    t.add(cpuRow(RAW_LABEL, raw.cpu(), 0));
    for (GatewayResult.Http r : runs) {
      t.add(cpuRow(r.label(), r.cpu(), r.wrk().ok() * r.perRequest()));
    }
    return t;
  }

  private static String[] cpuRow(String mode, GatewayCpu cpu, long events) {
    List<String> cells = new ArrayList<>();
    cells.add(mode);
    cells.add(String.format(Locale.ROOT, "%.2f", cpu.wallSeconds()));
    for (String g : GatewayCpu.GROUPS) {
      cells.add(String.format(Locale.ROOT, "%.2f", cpu.of(g)));
    }
    cells.add(events > 0 ? String.format(Locale.ROOT, "%.1f", cpu.gateway() * 1e6 / events) : "-");
    return cells.toArray(new String[0]);
  }

  private static String millis(double micros) {
    double ms = micros / 1000;
    return String.format(Locale.ROOT, ms < 10 ? "%.1f" : "%.0f", ms);
  }

  /**
   * The goal's verdict: the configuration with more than one event per request whose median run is
   * the fastest, against the raw producer's median.
   */
  private String verdict() {
    GatewayResult.Http best = null;
    for (List<GatewayResult.Http> sorted : byConfiguration()) {
      GatewayResult.Http r = median(sorted);
      if (r.perRequest() > 1 && (best == null || r.eventsPerSecond() > best.eventsPerSecond())) {
        best = r;
      }
    }
    if (best == null || raw.perSecond() <= 0) {
      return "";
    }
    double ratio = best.eventsPerSecond() / raw.perSecond();
    return String.format(
        Locale.ROOT,
        "Goal (with %d-event requests at least %.1f of the raw producer): %.2f (%s, %s), %s.",
        best.perRequest(),
        GatewaySuite.GOAL,
        ratio,
        best.configuration(),
        options.rounds() > 1 ? "the median of " + options.rounds() + " rounds" : "one run",
        ratio >= GatewaySuite.GOAL ? "met" : "NOT met");
  }

  /** Prints the text tables, then the markdown section. */
  void print(PrintStream out) {
    out.println();
    out.println("machine: " + machine);
    out.println(results.text());
    out.println(notes());
    if (options.rounds() > 1) {
      out.println();
      out.println("Median of the rounds:");
      out.println(medians.text());
    }
    out.println(verdict());
    out.println();
    out.println("Every acknowledged event in the topic:");
    out.println(landing.text());
    out.println(landingNotes());
    out.println();
    out.println("CPU of the measured runs (core-seconds):");
    out.println(cpu.text());
    out.println();
    out.println("## ferry-bench gateway, " + started);
    out.println();
    out.println("Machine: " + machine + ".");
    out.println();
    out.print(results.markdown());
    out.println();
    out.println(notes());
    if (options.rounds() > 1) {
      out.println();
      out.println("Median of the rounds:");
      out.println();
      out.print(medians.markdown());
      out.println();
    }
    out.println(verdict());
    out.println();
    out.print(landing.markdown());
    out.println();
    out.println(landingNotes());
    out.println();
    out.println("CPU of the measured runs, in core-seconds:");
    out.println();
    out.print(cpu.markdown());
    out.flush();
  }

  private String notes() {
    String extra =
        options.gatewayProps().isEmpty()
            ? ""
            : " Gateway settings given with --gateway-prop: " + options.gatewayProps() + ".";
    return extra.isEmpty() ? baseNotes() : baseNotes() + extra;
  }

  private String baseNotes() {
    return String.format(
        Locale.ROOT,
        "%,d distinct events of %,d bytes (track events with context and product properties,"
            + " no message_id: the gateway generates one), %.0f-byte envelopes, %d partitions."
            + " Raw: one thread sends the envelopes the gateway would write (same key and"
            + " headers) with the gateway's producer settings (%s); the median (of an even count,"
            + " the upper middle one) of %s run(s) of"
            + " %,d records (before the gateway runs%s after, following a warm-up run), timed"
            + " from the first send to the last acknowledgement."
            + " Gateway: sync mode (answered after Kafka's acknowledgement), %s, -t%d, %d s per"
            + " run, %d round(s) of runs after a %d s warm-up per request size (the goal takes"
            + " each configuration's median run, of an even count the lower middle one); a single"
            + " event is sent as a JSON object, several as an"
            + " array. events/s: events in 2xx responses over wrk's run time; p50/p99: wrk's"
            + " latency from writing a request to reading its response, connections in a closed"
            + " loop at full load.",
        options.distinctEvents(),
        options.eventBytes(),
        envelopeBytes,
        options.partitions(),
        producerSettings,
        rawRuns.size() == 1
            ? "1"
            : String.format(
                Locale.ROOT,
                "%d (%,.0f-%,.0f records/s)",
                rawRuns.size(),
                rawRuns.minRate(),
                rawRuns.maxRate()),
        options.events(),
        options.rounds() > 1 ? ", between two rounds of runs of each request size and" : " and",
        wrkVersion,
        options.threads(),
        options.duration().toSeconds(),
        options.rounds(),
        options.warmUp().toSeconds());
  }

  private static String landingNotes() {
    return "After each run the bench waits until the gateway has no bytes in flight and the"
        + " topic stopped growing, then counts the topic's new records (end offsets less start"
        + " offsets). \"accepted by the gateway\" is its ferry_gateway_events_total{result="
        + "\"accepted\"}; records beyond the acknowledged events belong to requests that were in"
        + " flight when wrk stopped: the gateway produced and answered them, wrk no longer read"
        + " the answers (at most connections x events per request).";
  }
}
