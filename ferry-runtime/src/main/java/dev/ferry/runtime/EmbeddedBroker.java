package dev.ferry.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka (KRaft, combined broker and controller) running in this JVM: the same
 * {@link KafkaRaftServer} that {@code kafka-server-start.sh} runs.
 *
 * <p>Data lives in {@code <data-dir>/kafka}. The storage is formatted once, with Kafka's own {@link
 * Formatter}, when {@code meta.properties} is absent; the cluster id then stays in that file, so a
 * restart keeps topics and committed offsets. The controller uses a static voter set on a port
 * picked at each start (only the broker port is fixed).
 */
final class EmbeddedBroker {
  static final String HOST = "localhost";
  private static final int NODE_ID = 1;
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final String META_PROPERTIES = "meta.properties";
  private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);

  private final Path logDir;
  private final int port;

  /** Held while the server starts, so that a stop waits for a start in progress. */
  private final ReentrantLock lifecycle = new ReentrantLock();

  private volatile KafkaRaftServer server;
  private volatile boolean stopped;
  private String clusterId;

  /**
   * @param dataDir Ferry's data directory; Kafka keeps its logs in {@code dataDir/kafka}
   * @param port the PLAINTEXT listener port on localhost
   */
  EmbeddedBroker(Path dataDir, int port) {
    this.logDir = dataDir.toAbsolutePath().normalize().resolve("kafka");
    this.port = port;
  }

  /** The address clients use: {@code localhost:<port>}. */
  String bootstrapServers() {
    return HOST + ":" + port;
  }

  /** The cluster id kept in {@code meta.properties}; known once {@link #start} returned. */
  String clusterId() {
    return clusterId;
  }

  /**
   * Formats the storage if needed, starts the server and waits until it answers Admin requests.
   *
   * @throws StartupException if the port is taken, the storage is unusable or Kafka is not ready
   *     within {@code readyTimeout}
   */
  void start(Duration readyTimeout) throws InterruptedException {
    Ports.requireFree(
        HOST, port, "Kafka", "--kafka-port (or use that Kafka with --bootstrap-servers)");
    int controllerPort = Ports.freePort(HOST);
    KafkaConfig config = new KafkaConfig(config(controllerPort), false);
    formatOnce(config);
    log.info(
        "Starting Kafka (KRaft, node {}) on {} with data in {}",
        NODE_ID,
        bootstrapServers(),
        logDir);
    lifecycle.lock();
    try {
      if (stopped) {
        throw new StartupException("stopped while starting");
      }
      server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
    } catch (StartupException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new StartupException(
          "Kafka failed to start with data in "
              + logDir
              + ": "
              + StartupException.rootMessage(e)
              + " (see the log above)",
          e);
    } finally {
      lifecycle.unlock();
    }
    try {
      String answered = KafkaProbe.awaitCluster(bootstrapServers(), Map.of(), readyTimeout);
      log.debug("Kafka {} answers as cluster {}", bootstrapServers(), answered);
    } catch (TimeoutException e) {
      throw new StartupException(
          "Kafka at "
              + bootstrapServers()
              + " did not become ready within "
              + readyTimeout.toSeconds()
              + " s; see the log above",
          e);
    }
  }

  /** Whether a server was created and not yet stopped (it may still be starting). */
  boolean running() {
    return server != null;
  }

  /**
   * Shuts the server down (controlled shutdown) and waits for it. If it is still starting, waits
   * for that first (for a while); a later {@link #start} fails.
   *
   * @return whether a server was running
   */
  boolean stop() {
    boolean locked = Lifecycle.lockForStop(lifecycle);
    try {
      stopped = true;
      KafkaRaftServer running = server;
      if (running == null) {
        return false;
      }
      server = null;
      running.shutdown();
      running.awaitShutdown();
      return true;
    } finally {
      if (locked) {
        lifecycle.unlock();
      }
    }
  }

  private Map<String, String> config(int controllerPort) {
    String controller = HOST + ":" + controllerPort;
    Map<String, String> props = new LinkedHashMap<>();
    props.put("process.roles", "broker,controller");
    props.put("node.id", String.valueOf(NODE_ID));
    props.put("controller.quorum.voters", NODE_ID + "@" + controller);
    props.put(
        "listeners",
        "PLAINTEXT://" + bootstrapServers() + "," + CONTROLLER_LISTENER + "://" + controller);
    props.put("advertised.listeners", "PLAINTEXT://" + bootstrapServers());
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("controller.listener.names", CONTROLLER_LISTENER);
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("log.dirs", logDir.toString());
    props.put("num.partitions", "1");
    props.put("default.replication.factor", "1");
    props.put("offsets.topic.replication.factor", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    return props;
  }

  /** Formats {@link #logDir} unless it already holds {@code meta.properties}; reads the id. */
  private void formatOnce(KafkaConfig config) {
    Path meta = logDir.resolve(META_PROPERTIES);
    if (Files.exists(meta)) {
      clusterId = readClusterId(meta);
      log.info("Reusing Kafka storage in {} (cluster {})", logDir, clusterId);
      return;
    }
    String newId = Uuid.randomUuid().toString();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      Files.createDirectories(logDir);
      new Formatter()
          .setPrintStream(print)
          .setNodeId(NODE_ID)
          .setClusterId(newId)
          .setControllerListenerName(CONTROLLER_LISTENER)
          .setMetadataLogDirectory(config.metadataLogDir())
          .setDirectories(List.of(logDir.toString()))
          .setHasDynamicQuorum(false)
          .run();
    } catch (Exception e) {
      throw new StartupException(
          "Could not format Kafka storage in "
              + logDir
              + ": "
              + StartupException.rootMessage(e)
              + " (check permissions, or delete that directory to start afresh)",
          e);
    }
    log.debug("Formatter: {}", out.toString(StandardCharsets.UTF_8).trim());
    clusterId = readClusterId(meta);
    log.info("Formatted new Kafka storage in {} (cluster {})", logDir, clusterId);
  }

  private static String readClusterId(Path meta) {
    Properties props = new Properties();
    try (InputStream in = Files.newInputStream(meta)) {
      props.load(in);
    } catch (IOException e) {
      throw new StartupException("Cannot read " + meta + ": " + e.getMessage(), e);
    }
    String id = props.getProperty("cluster.id");
    if (id == null) {
      throw new StartupException(
          meta + " has no cluster.id: delete " + meta.getParent() + " to start afresh");
    }
    return id;
  }
}
