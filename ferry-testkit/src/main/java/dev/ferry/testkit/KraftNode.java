package dev.ferry.testkit;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * A real single-node Kafka (KRaft, combined broker and controller, node id {@value #NODE_ID}) in
 * this JVM, on storage it formats in a fresh directory.
 */
final class KraftNode implements AutoCloseable {
  static final int NODE_ID = 1;

  private final KafkaRaftServer server;

  private KraftNode(KafkaRaftServer server) {
    this.server = server;
  }

  /**
   * Formats {@code dataDir} and starts the server. {@code props} must define the listeners,
   * including {@code controllerListener}, and the quorum voters; this adds the KRaft and
   * single-node settings (roles, node id, log directory, replication factors of 1), which {@code
   * props} may override.
   */
  static KraftNode start(Path dataDir, String controllerListener, Map<String, String> props) {
    KafkaConfig config = config(dataDir, controllerListener, props);
    format(dataDir, controllerListener, config);
    return launch(config);
  }

  /**
   * Starts the server again on storage that {@link #start} formatted, with the same {@code props}
   * (a restart: same node, same cluster id, same data).
   */
  static KraftNode restart(Path dataDir, String controllerListener, Map<String, String> props) {
    return launch(config(dataDir, controllerListener, props));
  }

  private static KafkaConfig config(
      Path dataDir, String controllerListener, Map<String, String> props) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("process.roles", "broker,controller");
    all.put("node.id", String.valueOf(NODE_ID));
    all.put("controller.listener.names", controllerListener);
    all.put("log.dirs", dataDir.toString());
    all.put("num.partitions", "1");
    all.put("default.replication.factor", "1");
    all.put("offsets.topic.replication.factor", "1");
    all.put("offsets.topic.num.partitions", "1");
    all.put("transaction.state.log.replication.factor", "1");
    all.put("transaction.state.log.min.isr", "1");
    all.put("transaction.state.log.num.partitions", "1");
    all.put("share.coordinator.state.topic.replication.factor", "1");
    all.put("share.coordinator.state.topic.min.isr", "1");
    all.put("group.initial.rebalance.delay.ms", "0");
    all.putAll(props);
    return new KafkaConfig(all, false);
  }

  private static KraftNode launch(KafkaConfig config) {
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    try {
      server.startup();
    } catch (RuntimeException e) {
      stop(server);
      throw e;
    }
    return new KraftNode(server);
  }

  private static void format(Path dataDir, String controllerListener, KafkaConfig config) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      new Formatter()
          .setPrintStream(print)
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setControllerListenerName(controllerListener)
          .setMetadataLogDirectory(config.metadataLogDir())
          .setDirectories(List.of(dataDir.toString()))
          .setHasDynamicQuorum(false)
          .run();
    } catch (Exception e) {
      throw new IllegalStateException(
          "could not format Kafka storage in "
              + dataDir
              + ": "
              + out.toString(StandardCharsets.UTF_8),
          e);
    }
  }

  private static void stop(KafkaRaftServer server) {
    server.shutdown();
    server.awaitShutdown();
  }

  /** Shuts the server down and waits for it; the storage stays. */
  @Override
  public void close() {
    stop(server);
  }
}
