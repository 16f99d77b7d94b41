package dev.ferry.testkit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.utils.Utils;

/**
 * A real single-node KRaft broker (PLAINTEXT, on localhost) that can be stopped and started again
 * on the same ports and the same data, for tests of clients that must survive Kafka going away.
 *
 * <pre>{@code
 * try (RestartableKafka kafka = RestartableKafka.start(Map.of("auto.create.topics.enable", "false"))) {
 *   kafka.createTopic("events", 1, Map.of());
 *   String bootstrap = kafka.bootstrap();
 *   kafka.stop();    // clients now see an unreachable broker
 *   kafka.restart(); // same port, same topics and records
 * }
 * }</pre>
 */
public final class RestartableKafka implements AutoCloseable {
  private static final String HOST = "localhost";
  private static final String CONTROLLER = "CONTROLLER";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Path dir;
  private final Path dataDir;
  private final Map<String, String> props;
  private final String bootstrap;
  private KraftNode node;

  private RestartableKafka(Path dir, Map<String, String> props, String bootstrap) {
    this.dir = dir;
    this.dataDir = dir.resolve("kafka");
    this.props = props;
    this.bootstrap = bootstrap;
  }

  /**
   * Formats fresh storage and starts a broker on two free ports (clients and controller), waiting
   * until it answers.
   *
   * @param brokerProps broker properties added to (and overriding) the single-node defaults, e.g.
   *     {@code auto.create.topics.enable=false}
   */
  public static RestartableKafka start(Map<String, String> brokerProps) {
    int[] ports = freePorts(2);
    String bootstrap = HOST + ":" + ports[0];
    String controller = HOST + ":" + ports[1];
    Map<String, String> props = new LinkedHashMap<>();
    props.put("controller.quorum.voters", KraftNode.NODE_ID + "@" + controller);
    props.put("listeners", "PLAINTEXT://" + bootstrap + "," + CONTROLLER + "://" + controller);
    props.put("advertised.listeners", "PLAINTEXT://" + bootstrap);
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.putAll(brokerProps);
    Path dir;
    try {
      dir = Files.createTempDirectory("ferry-restartable-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a temporary directory", e);
    }
    RestartableKafka kafka = new RestartableKafka(dir, props, bootstrap);
    try {
      synchronized (kafka) {
        kafka.node = KraftNode.start(kafka.dataDir, CONTROLLER, props);
      }
      kafka.awaitBroker();
    } catch (RuntimeException e) {
      try {
        kafka.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    return kafka;
  }

  /** {@code localhost:<port>}, the same across restarts. */
  public String bootstrap() {
    return bootstrap;
  }

  /** True between a start and a stop. */
  public synchronized boolean running() {
    return node != null;
  }

  /** Shuts the broker down and waits for it; ports and data stay for {@link #restart()}. */
  public synchronized void stop() {
    if (node != null) {
      KraftNode stopping = node;
      node = null;
      stopping.close();
    }
  }

  /**
   * Starts the broker again on its ports and data and waits until it answers; does nothing while it
   * runs.
   */
  public void restart() {
    synchronized (this) {
      if (node != null) {
        return;
      }
      node = KraftNode.restart(dataDir, CONTROLLER, props);
    }
    awaitBroker();
  }

  /**
   * Creates a topic (replication factor 1) with topic configs such as {@code max.message.bytes},
   * and waits until each partition has a leader.
   */
  public void createTopic(String name, int partitions, Map<String, String> configs) {
    try (Admin admin = admin()) {
      NewTopic topic = new NewTopic(name, partitions, (short) 1).configs(configs);
      admin.createTopics(List.of(topic)).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      await("topic " + name + " has leaders")
          .atMost(TIMEOUT)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(50))
          .ignoreExceptions()
          .until(
              () ->
                  admin
                      .describeTopics(List.of(name))
                      .allTopicNames()
                      .get()
                      .get(name)
                      .partitions()
                      .stream()
                      .allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + name, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not create topic " + name + ": " + e.getCause(), e);
    }
  }

  /** A new admin client for this broker; the caller closes it. */
  public Admin admin() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return Admin.create(p);
  }

  /** Stops the broker and deletes its data. */
  @Override
  public void close() {
    try {
      stop();
    } finally {
      try {
        Utils.delete(dir.toFile());
      } catch (IOException e) {
        throw new UncheckedIOException("could not delete " + dir, e);
      }
    }
  }

  private void awaitBroker() {
    try (Admin admin = admin()) {
      await("the broker at " + bootstrap + " answers")
          .atMost(TIMEOUT)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(50))
          .ignoreExceptions()
          .until(() -> !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty());
    }
  }

  /** Distinct free ports (held together while picking, so they differ). */
  private static int[] freePorts(int n) {
    ServerSocket[] held = new ServerSocket[n];
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        held[i] = new ServerSocket();
        held[i].setReuseAddress(true);
        held[i].bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
        ports[i] = held[i].getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + HOST, e);
    } finally {
      for (ServerSocket socket : held) {
        if (socket != null) {
          try {
            socket.close();
          } catch (IOException ignored) {
            // only a probe
          }
        }
      }
    }
  }
}
