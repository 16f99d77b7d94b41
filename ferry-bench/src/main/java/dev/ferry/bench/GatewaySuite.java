package dev.ferry.bench;

import dev.ferry.gateway.Gateway;
import dev.ferry.gateway.GatewayConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;

/**
 * {@code ferry-bench gateway}: the event gateway under a real HTTP load generator, next to the raw
 * idempotent producer of the same machine, in one run.
 *
 * <ol>
 *   <li>In this JVM: a KRaft broker (Kafka's embedded cluster, the broker of {@link BenchRig}
 *       without the Connect worker), topics {@value #TOPIC} and {@value #RAW_TOPIC}.
 *   <li>The ceiling: {@link RawIdempotentProducer} sends {@code --events} records (the envelopes
 *       the gateway would write for the benchmark's events) with the gateway's producer settings: a
 *       warm-up run, then {@code --raw-runs} runs, the median counts.
 *   <li>The gateway ({@link Gateway#start}, sync mode: answered once Kafka acknowledged) on a free
 *       port; for each request size ({@code --batch}, 1 and 100 events) a wrk warm-up run, then
 *       {@code --rounds} rounds of a measured wrk run of {@code --seconds} per connection count,
 *       with one run of the raw producer between two rounds (so that its median spans the same time
 *       as the gateway's runs). After each wrk run, the bench waits until the gateway has nothing
 *       in flight and counts the topic's new records against the acknowledged events and the
 *       gateway's own count of accepted events.
 *   <li>The goal's verdict: the median run of each configuration against the raw median.
 * </ol>
 */
final class GatewaySuite {
  static final String TOPIC = "events";
  static final String RAW_TOPIC = "events-raw";

  /** The goal: with 100-event requests, at least this share of the raw producer's rate. */
  static final double GOAL = 0.5;

  private static final Duration SETTLE_POLL = Duration.ofMillis(200);
  private static final int SETTLE_STABLE_POLLS = 3;

  private final GatewayOptions options;
  private final PrintStream out;
  private final PhaseLog log;
  private final String apiKey;

  GatewaySuite(GatewayOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
    this.log = new PhaseLog(out, 1);
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    this.apiKey = "bench-" + HexFormat.of().formatHex(random);
  }

  /** Runs every phase and prints the tables; throws when a phase fails or times out. */
  void run() throws Exception {
    String wrkVersion = WrkRun.version(options.wrk());
    String started = PhaseLog.now();
    double loadBefore = MachineInfo.loadAverage();
    GatewayEvents events = GatewayEvents.generate(options.distinctEvents(), options.eventBytes());
    Path dir = Files.createTempDirectory("ferry-bench-gateway-");
    Measurements rawRuns = new Measurements();
    List<GatewayResult.Raw> raws = new ArrayList<>();
    List<GatewayResult.Http> runs = new ArrayList<>();
    double envelopeBytes;
    String producerSettings;
    TopicSize admin = null;
    EmbeddedKafkaCluster kafka = new EmbeddedKafkaCluster(1, new Properties());
    kafka.start();
    try {
      String bootstrap = kafka.bootstrapServers();
      kafka.createTopic(TOPIC, options.partitions());
      kafka.createTopic(RAW_TOPIC, options.partitions());
      Map<String, String> settings = new LinkedHashMap<>();
      settings.put(GatewayConfig.DELIVERY, "sync");
      settings.putAll(options.gatewayProps());
      settings.put(GatewayConfig.API_KEYS, apiKey);
      settings.put(GatewayConfig.HOST, "127.0.0.1");
      settings.put(GatewayConfig.PORT, "0");
      settings.put(GatewayConfig.TOPIC, TOPIC);
      GatewayConfig config = GatewayConfig.from(settings, Map.of());
      TopicSize topic = new TopicSize(bootstrap);
      admin = topic;
      RawIdempotentProducer raw = new RawIdempotentProducer(bootstrap, config, events);
      envelopeBytes = raw.averageValueBytes();
      producerSettings = raw.describeSettings() + " (from EventProducer.settings())";
      printHeader(started, loadBefore, wrkVersion, envelopeBytes, producerSettings);

      log.phase(
          String.format(
              Locale.ROOT,
              "raw idempotent producer: %,d records (warm-up, not counted)",
              options.events()));
      report("raw warm-up", raw.measure(RAW_TOPIC, options.events()));
      topic.truncate(RAW_TOPIC, options.partitions());
      rawRounds(raw, topic, "before the gateway", raws, rawRuns);

      try (Gateway gateway =
          Gateway.start(
              config, Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, (Object) bootstrap))) {
        URI endpoint = gateway.uri().resolve("/v1/events");
        out.println();
        out.println("gateway listening on " + gateway.uri() + " (sync mode, topic " + TOPIC + ")");
        for (int perRequest : options.batches()) {
          Path bodies = dir.resolve("bodies-" + perRequest + ".ndjson");
          int count = events.writeBodies(bodies, perRequest);
          WrkRun wrk = new WrkRun(options.wrk(), bodies, apiKey, endpoint, out);
          String size = perRequest + (perRequest == 1 ? " event" : " events") + "/request";
          if (!options.warmUp().isZero()) {
            log.phase(
                String.format(
                    Locale.ROOT,
                    "gateway, %s: wrk warm-up, %d s (not counted); %,d distinct bodies",
                    size,
                    options.warmUp().toSeconds(),
                    count));
            // In two runs: the end of the first (wrk closing its connections, then the bench's
            // scrape of /metrics) takes paths the JIT had not seen and undoes much of its work on
            // Jetty's parser and connection; the second run lets it compile them again, as it
            // would have long before in a gateway whose clients come and go.
            Duration first = options.warmUp().dividedBy(4);
            for (Duration part : List.of(first, options.warmUp().minus(first))) {
              WrkRun.Result w = wrk.run(options.threads(), options.connections().get(0), part);
              out.printf(
                  Locale.ROOT,
                  "    warm-up: %,.0f requests/s, %,.0f events/s, %d non-2xx%n",
                  w.requests() / w.seconds(),
                  w.ok() * (double) perRequest / w.seconds(),
                  w.statusErrors());
              settle(gateway.uri(), topic);
            }
          }
          for (int round = 1; round <= options.rounds(); round++) {
            if (round > 1) {
              rawRun(raw, topic, "between rounds", raws, rawRuns);
            }
            for (int connections : options.connections()) {
              log.phase(
                  String.format(
                      Locale.ROOT,
                      "gateway, %s, wrk -t%d -c%d, %d s%s",
                      size,
                      Math.min(options.threads(), connections),
                      connections,
                      options.duration().toSeconds(),
                      options.rounds() > 1 ? ", round " + round + "/" + options.rounds() : ""));
              int counted = options.rounds() > 1 ? round : 0;
              runs.add(measure(gateway.uri(), topic, wrk, perRequest, connections, counted));
            }
          }
        }
      }
      rawRounds(raw, topic, "after the gateway", raws, rawRuns);
    } finally {
      if (admin != null) {
        admin.close();
      }
      kafka.stop();
      deleteQuietly(dir);
    }
    // The median; of an even count the upper middle one, so that the ratios are not flattered.
    List<GatewayResult.Raw> sorted = new ArrayList<>(raws);
    sorted.sort(Comparator.comparingDouble(GatewayResult.Raw::perSecond));
    GatewayResult.Raw rawRow = sorted.get(sorted.size() / 2);
    new GatewayReport(
            options,
            started,
            PhaseLog.machineWithLoad(loadBefore),
            wrkVersion,
            envelopeBytes,
            producerSettings,
            rawRow,
            rawRuns,
            runs)
        .print(out);
  }

  /** {@code --raw-runs} counted runs of the raw producer. */
  private void rawRounds(
      RawIdempotentProducer raw,
      TopicSize topic,
      String when,
      List<GatewayResult.Raw> raws,
      Measurements rawRuns) {
    for (int r = 1; r <= options.rawRuns(); r++) {
      rawRun(
          raw,
          topic,
          String.format(Locale.ROOT, "%s (run %d/%d)", when, r, options.rawRuns()),
          raws,
          rawRuns);
    }
  }

  /** One counted run of the raw producer; the topic is emptied after it. */
  private void rawRun(
      RawIdempotentProducer raw,
      TopicSize topic,
      String when,
      List<GatewayResult.Raw> raws,
      Measurements rawRuns) {
    log.phase(
        String.format(
            Locale.ROOT, "raw idempotent producer: %,d records, %s", options.events(), when));
    GatewayResult.Raw result = report("raw", raw.measure(RAW_TOPIC, options.events()));
    topic.truncate(RAW_TOPIC, options.partitions());
    raws.add(result);
    rawRuns.add(new Throughput(result.records(), result.nanos()));
  }

  private GatewayResult.Http measure(
      URI base, TopicSize topic, WrkRun wrk, int perRequest, int connections, int round)
      throws IOException, TimeoutException {
    long topicBefore = settle(base, topic);
    GatewayScrape before = GatewayScrape.of(base);
    CpuSnapshot cpuBefore = CpuSnapshot.take();
    WrkRun.Result r = wrk.run(options.threads(), connections, options.duration());
    CpuSnapshot cpuAfter = CpuSnapshot.take();
    GatewayCpu cpu = GatewayCpu.between(cpuBefore, cpuAfter, r.cpuSeconds());
    long topicAfter = settle(base, topic);
    GatewayScrape counted = GatewayScrape.of(base).since(before);
    long acknowledged = r.ok() * perRequest;
    long inTopic = topicAfter - topicBefore;
    GatewayResult.Landing landing =
        new GatewayResult.Landing(
            acknowledged,
            counted.accepted(),
            counted.other(),
            inTopic,
            (counted.answered2xx() - r.ok()) * perRequest,
            counted.answered2xx());
    GatewayResult.Http run =
        new GatewayResult.Http(perRequest, connections, options.threads(), r, cpu, landing, round);
    out.printf(
        Locale.ROOT,
        "    %,d requests in %.2f s = %,.0f requests/s, %,.0f events/s; p50 %.1f ms, p99 %.1f ms,"
            + " p99.9 %.1f ms, max %.1f ms; non-2xx %d, socket errors %d (load average %.2f)%n",
        r.requests(),
        r.seconds(),
        run.requestsPerSecond(),
        run.eventsPerSecond(),
        r.p50Micros() / 1000,
        r.p99Micros() / 1000,
        r.p999Micros() / 1000,
        r.maxMicros() / 1000,
        r.statusErrors(),
        r.socketErrors(),
        MachineInfo.loadAverage());
    out.println("      " + cpu.summary());
    out.printf(
        Locale.ROOT,
        "      landed: %,d events acknowledged (%,d responses x %d), %,d accepted by the gateway,"
            + " %,d new records in %s: %s%n",
        acknowledged,
        r.ok(),
        perRequest,
        counted.accepted(),
        inTopic,
        TOPIC,
        landing.complete(connections, perRequest)
            ? "every acknowledged event landed"
                + (inTopic > acknowledged
                    ? String.format(
                        Locale.ROOT,
                        " (+%,d of %,d requests answered after wrk stopped reading)",
                        inTopic - acknowledged,
                        counted.answered2xx() - r.ok())
                    : "")
            : "MISMATCH");
    if (counted.other() > 0) {
      out.printf(Locale.ROOT, "      %,d events rejected, failed or dropped%n", counted.other());
    }
    out.flush();
    return run;
  }

  /**
   * Waits until the gateway has no bytes in flight and the topic stopped growing; returns the
   * topic's records.
   */
  private long settle(URI base, TopicSize topic) throws IOException, TimeoutException {
    long deadline = System.nanoTime() + options.timeout().toNanos();
    long last = -1;
    int stable = 0;
    while (true) {
      long now = topic.records(TOPIC, options.partitions());
      boolean idle = GatewayScrape.of(base).inFlightBytes() == 0;
      stable = idle && now == last ? stable + 1 : 0;
      if (stable >= SETTLE_STABLE_POLLS) {
        return now;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("the gateway did not settle within " + options.timeout());
      }
      last = now;
      LockSupport.parkNanos(SETTLE_POLL.toNanos());
    }
  }

  private GatewayResult.Raw report(String what, GatewayResult.Raw r) {
    out.printf(
        Locale.ROOT,
        "    %s: %,d records in %.2f s = %,.0f records/s (load average %.2f)%n",
        what,
        r.records(),
        r.seconds(),
        r.perSecond(),
        MachineInfo.loadAverage());
    out.println("      " + r.cpu().summary());
    out.flush();
    return r;
  }

  private void printHeader(
      String started, double load, String wrkVersion, double envelopeBytes, String settings) {
    out.println("ferry-bench gateway, " + started);
    out.println("machine: " + MachineInfo.describe());
    out.printf(
        Locale.ROOT,
        "events: %,d distinct of %,d bytes (envelopes of %.0f bytes on average), %d partitions;"
            + " raw producer: %,d records, a warm-up run, then %d run(s) before and as many after"
            + " the gateway%s; wrk: %s, -t%d, connections"
            + " %s, %d s per run, %d round(s) after a %d s warm-up per request size; load average"
            + " %.2f%n",
        options.distinctEvents(),
        options.eventBytes(),
        envelopeBytes,
        options.partitions(),
        options.events(),
        options.rawRuns(),
        options.rounds() > 1 ? ", and one between two rounds of each request size" : "",
        wrkVersion,
        options.threads(),
        options.connections(),
        options.duration().toSeconds(),
        options.rounds(),
        options.warmUp().toSeconds(),
        load);
    out.println("producer settings (raw and gateway): " + settings);
    if (!options.gatewayProps().isEmpty()) {
      out.println("gateway settings: " + options.gatewayProps());
    }
    if (load > 1.5) {
      out.printf(
          Locale.ROOT,
          "note: the load average (%.2f) is above 1.5: other work on this machine makes the numbers"
              + " noisy%n",
          load);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(GatewaySuite::deleteFile);
    } catch (IOException e) {
      // a temporary directory; the OS cleans it up eventually
    }
  }

  private static void deleteFile(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // ignored, as above
    }
  }
}
