package dev.ferry.runtime;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kafka Connect worker in distributed mode, started in this JVM through Connect's own {@link
 * ConnectDistributed}, loading Ferry's plugin from {@code plugin.path}.
 *
 * <p>Connect normally registers its own JVM shutdown hook; this class keeps it from doing so, so
 * that Ferry's single hook can stop the worker before the broker it talks to.
 */
final class ConnectWorker {
  static final String HOST = "localhost";
  private static final String CONNECT_HOOK = "connect-shutdown-hook";
  private static final Logger log = LoggerFactory.getLogger(ConnectWorker.class);

  /** Prefixes of the worker's settings for the clients it makes for tasks and its own state. */
  static final List<String> CLIENT_PREFIXES = List.of("producer.", "consumer.", "admin.");

  private final String bootstrapServers;
  private final Map<String, String> clientProps;
  private final String groupId;
  private final int restPort;
  private final Path pluginPath;
  private final short replicationFactor;

  /** Held while Connect starts, so that a stop waits for a start in progress. */
  private final ReentrantLock lifecycle = new ReentrantLock();

  private volatile Connect<?> connect;
  private volatile boolean stopped;

  /**
   * @param bootstrapServers the Kafka cluster holding the worker's internal topics
   * @param clientProps the Kafka client settings for that cluster (security protocol, SASL, TLS;
   *     secrets included), or empty
   * @param groupId the Connect cluster's group id
   * @param restPort the REST API port on localhost
   * @param pluginPath the directory holding unpacked plugin archives
   * @param replicationFactor for the internal topics: 1 on the embedded broker, -1 (the broker's
   *     default) on an existing cluster
   */
  ConnectWorker(
      String bootstrapServers,
      Map<String, String> clientProps,
      String groupId,
      int restPort,
      Path pluginPath,
      short replicationFactor) {
    this.bootstrapServers = bootstrapServers;
    this.clientProps = Map.copyOf(clientProps);
    this.groupId = groupId;
    this.restPort = restPort;
    this.pluginPath = pluginPath.toAbsolutePath().normalize();
    this.replicationFactor = replicationFactor;
  }

  /** The REST API base URL, e.g. {@code http://localhost:8083}. */
  String restUrl() {
    return "http://" + HOST + ":" + restPort;
  }

  /** The worker configuration handed to Connect. Secrets are in here: never log it. */
  Map<String, String> config() {
    String rf = String.valueOf(replicationFactor);
    Map<String, String> props = new LinkedHashMap<>();
    // The worker's own clients (group membership, internal topics) take the settings plain; the
    // producers, consumers and admins it makes for connectors and tasks take them prefixed.
    clientProps.forEach(
        (key, value) -> {
          props.put(key, value);
          if (!key.equals("bootstrap.servers")) {
            CLIENT_PREFIXES.forEach(prefix -> props.put(prefix + key, value));
          }
        });
    props.put("bootstrap.servers", bootstrapServers);
    props.put("group.id", groupId);
    props.put("config.storage.topic", "ferry-configs");
    props.put("offset.storage.topic", "ferry-offsets");
    props.put("status.storage.topic", "ferry-status");
    props.put("config.storage.replication.factor", rf);
    props.put("offset.storage.replication.factor", rf);
    props.put("status.storage.replication.factor", rf);
    props.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
    props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    props.put("key.converter.schemas.enable", "false");
    props.put("value.converter.schemas.enable", "false");
    props.put("listeners", restUrl());
    props.put("plugin.path", pluginPath.toString());
    props.put("plugin.discovery", "service_load");
    props.put("offset.flush.interval.ms", "10000");
    // Ferry's REST extension turns a connector's kafka.* profile into Connect client overrides.
    props.put("rest.extension.classes", "dev.ferry.connect.rest.FerryRestExtension");
    // Secrets stay out of connector configs: ${env:NAME} and ${file:/path:key} are resolved by
    // the worker when it hands a config to a task, never stored or shown resolved.
    props.put("config.providers", "env,file");
    props.put(
        "config.providers.env.class",
        "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
    props.put(
        "config.providers.file.class",
        "org.apache.kafka.common.config.provider.FileConfigProvider");
    return props;
  }

  /**
   * Starts the worker and waits until its REST API reports it healthy.
   *
   * @throws StartupException if the REST port is taken, Connect fails to start or is not ready
   *     within {@code readyTimeout}
   */
  void start(Duration readyTimeout) throws InterruptedException {
    Ports.requireFree(HOST, restPort, "Connect REST", "--rest-port");
    log.info("Starting Kafka Connect (group {}) against {}", groupId, bootstrapServers);
    // Ferry's shutdown hook stops the worker (then the broker): drop Connect's own hook.
    Exit.setShutdownHookAdder(
        (name, hook) -> {
          if (!CONNECT_HOOK.equals(name)) {
            Runtime.getRuntime().addShutdownHook(new Thread(hook, name));
          }
        });
    // Connect calls Exit.exit(3) when start() fails: turn that into an exception while starting.
    Exit.setExitProcedure(
        (code, message) -> {
          throw new StartupException(
              "Kafka Connect failed to start (exit " + code + "); see the log above");
        });
    lifecycle.lock();
    try {
      if (stopped) {
        throw new StartupException("stopped while starting");
      }
      connect = new ConnectDistributed().startConnect(config());
    } catch (StartupException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new StartupException(
          "Kafka Connect failed to start against "
              + bootstrapServers
              + ": "
              + StartupException.rootMessage(e),
          e);
    } finally {
      Exit.resetExitProcedure();
      lifecycle.unlock();
    }
    awaitHealthy(readyTimeout);
  }

  /** Whether the worker was started and not yet stopped. */
  boolean running() {
    return connect != null;
  }

  /**
   * Stops the REST server and the herder, and waits for them. If Connect is still starting, waits
   * for that first (for a while); a later {@link #start} fails.
   *
   * @return whether a worker was running
   */
  boolean stop() {
    boolean locked = Lifecycle.lockForStop(lifecycle);
    try {
      stopped = true;
      Connect<?> running = connect;
      if (running == null) {
        return false;
      }
      connect = null;
      running.stop();
      running.awaitStop();
      return true;
    } finally {
      if (locked) {
        lifecycle.unlock();
      }
    }
  }

  /** Polls {@code GET /health} until it answers 200 or the deadline passes. */
  private void awaitHealthy(Duration timeout) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest health =
        HttpRequest.newBuilder(URI.create(restUrl() + "/health"))
            .timeout(Duration.ofSeconds(5))
            .GET()
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
        last = response.statusCode() + " " + response.body();
      } catch (IOException e) {
        last = StartupException.rootMessage(e);
      }
      Thread.sleep(250);
    }
    throw new StartupException(
        "Kafka Connect at "
            + restUrl()
            + " was not healthy within "
            + timeout.toSeconds()
            + " s (last answer: "
            + last
            + ")");
  }
}
