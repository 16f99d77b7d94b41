package dev.ferry.gateway;

import dev.ferry.gateway.http.Cors;
import dev.ferry.gateway.http.GatewayHandler;
import dev.ferry.gateway.ingest.EventService;
import dev.ferry.gateway.live.LiveFeed;
import dev.ferry.gateway.produce.Dedupe;
import dev.ferry.gateway.produce.EventProducer;
import dev.ferry.gateway.produce.KafkaStatus;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running event gateway: one shared producer, the Kafka probe, the live feed and the HTTP server.
 * Start it with {@link #start}, stop it with {@link #close} (the HTTP server stops accepting first,
 * then answers in flight finish, then the producer flushes and closes).
 */
public final class Gateway implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);
  private static final Duration PROBE_EVERY = Duration.ofSeconds(2);

  private final GatewayConfig config;
  private final EventProducer producer;
  private final KafkaStatus kafka;
  private final GatewayMetrics metrics;
  private final LiveFeed live;
  private final Server server;
  private final ServerConnector connector;

  private Gateway(GatewayConfig config, Map<String, Object> kafkaClientProps) {
    this.config = config;
    Map<String, Object> producerProps = new HashMap<>(kafkaClientProps);
    producerProps.putAll(config.producerOverrides());
    this.kafka = new KafkaStatus(kafkaClientProps, PROBE_EVERY);
    try {
      this.producer =
          new EventProducer(producerProps, config.maxInFlightBytes(), kafka::topicExists);
    } catch (RuntimeException e) {
      // A producer setting was refused: do not leave the probe's admin client running.
      kafka.close();
      throw e;
    }
    this.metrics = new GatewayMetrics(producer, kafka);
    this.live = new LiveFeed(config.liveBuffer());
    GatewayThreads threads = new GatewayThreads(200, 4);
    threads.setName("ferry-gateway");
    EventService service =
        new EventService(
            config,
            producer,
            new Dedupe(config.dedupeWindow(), config.dedupeMaxEntries()),
            (results, nanos) -> {
              metrics.events(results, nanos);
              live.publish(results, nanos);
            },
            threads.keepingOwnJobs());
    this.server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    HttpConnectionFactory http1 = new HttpConnectionFactory(http);
    // Batches of events are tens to hundreds of KB: read them from the socket in 64 KB steps
    // rather than Jetty's default 8 KB (an eighth of the reads and wake-ups).
    http1.setInputBufferSize(64 * 1024);
    // The handler runs on the selector threads (it never waits, see GatewayHandler): one selector
    // per core, so that every core can read requests.
    int selectors = Math.max(2, Runtime.getRuntime().availableProcessors());
    this.connector = new ServerConnector(server, 1, selectors, http1);
    connector.setHost(config.host());
    connector.setPort(config.port());
    server.addConnector(connector);
    server.setStopTimeout(10_000);
    server.setHandler(
        Cors.wrap(
            config,
            new GatewayHandler(config, service, kafka, live, metrics::scrape, metrics::request)));
  }

  /**
   * Starts a gateway writing to the cluster of {@code kafkaClientProps} (bootstrap servers and
   * security settings, as Kafka client configs). Waits for one answer from Kafka (or its absence)
   * so that {@code /ready} is right from the start.
   *
   * @throws Exception when the port is taken or a setting is refused by the Kafka client
   */
  public static Gateway start(GatewayConfig config, Map<String, Object> kafkaClientProps)
      throws Exception {
    Gateway gateway = new Gateway(config, kafkaClientProps);
    try {
      gateway.kafka.start();
      gateway.server.start();
    } catch (Exception e) {
      gateway.close();
      throw e;
    }
    log.info(
        "Event gateway listening on {} (topic {}, {} mode)",
        gateway.uri(),
        config.topic(),
        config.async() ? "async" : "sync");
    return gateway;
  }

  /** The base URI, e.g. {@code http://localhost:8080}. */
  public URI uri() {
    String host = config.host().equals("0.0.0.0") ? "localhost" : config.host();
    return URI.create("http://" + host + ":" + port());
  }

  /** The bound port (the chosen one when the config said 0). */
  public int port() {
    return connector.getLocalPort();
  }

  public GatewayConfig config() {
    return config;
  }

  /** Whether Kafka answered the last probe. */
  public boolean kafkaReady() {
    return kafka.state().ready();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      log.warn("Stopping the gateway's HTTP server failed", e);
    }
    producer.close();
    kafka.close();
    metrics.close();
  }
}
