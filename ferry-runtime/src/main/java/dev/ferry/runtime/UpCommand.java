package dev.ferry.runtime;

import java.io.IOException;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ferry up}: runs an embedded Kafka broker (unless {@code --bootstrap-servers} names an
 * existing cluster) and a Kafka Connect worker with Ferry's plugin, until Ctrl-C or SIGTERM. An
 * existing cluster's security settings come from {@code --kafka-config}, a file of a connector
 * profile's {@code kafka.*} keys, checked by the same rules.
 */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = "Run Kafka (embedded, or an existing cluster) and a Kafka Connect worker.")
final class UpCommand implements Callable<Integer> {
  private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration EXTERNAL_KAFKA_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(90);
  private static final Logger log = LoggerFactory.getLogger(UpCommand.class);

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT",
      description = "Use this existing Kafka cluster; no broker is started.")
  String bootstrapServers;

  @Option(
      names = "--kafka-config",
      paramLabel = "FILE",
      description =
          "The existing cluster's connection settings: a properties file of a connector profile's"
              + " kafka.* keys (kafka.security.protocol, kafka.sasl.*, kafka.oauth.*, kafka.ssl.*,"
              + " kafka.allow.plaintext; kafka.bootstrap.servers unless --bootstrap-servers is"
              + " given). Values may be $${env:NAME} or $${file:PATH:KEY}.")
  Path kafkaConfig;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = ".ferry",
      description = "Where the embedded broker keeps its data (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--kafka-port",
      paramLabel = "PORT",
      defaultValue = "9092",
      description = "Embedded broker port on localhost (default: ${DEFAULT-VALUE}).")
  int kafkaPort;

  @Option(
      names = "--rest-port",
      paramLabel = "PORT",
      defaultValue = "8083",
      description = "Connect REST API port on localhost (default: ${DEFAULT-VALUE}).")
  int restPort;

  @Option(
      names = "--plugin-path",
      paramLabel = "DIR",
      defaultValue = "ferry-runtime/target/plugins",
      description = "Directory of unpacked Connect plugins (bin/ferry passes the built one).")
  Path pluginPath;

  @Option(
      names = "--group-id",
      paramLabel = "ID",
      defaultValue = "ferry",
      description = "Connect cluster group id (default: ${DEFAULT-VALUE}).")
  String groupId;

  @Override
  public Integer call() throws InterruptedException {
    ShutdownSequence shutdown = new ShutdownSequence();
    shutdown.install();
    try {
      start(shutdown);
    } catch (StartupException e) {
      log.debug("Start-up failed", e);
      System.err.println("ferry: " + e.getMessage());
      return 1;
    }
    shutdown.awaitStopped();
    return 0;
  }

  private void start(ShutdownSequence shutdown) throws InterruptedException {
    Path data = dataDir.toAbsolutePath().normalize();
    Path plugins = pluginPath.toAbsolutePath().normalize();
    if (!Files.isDirectory(plugins)) {
      throw new StartupException(
          "plugin path "
              + plugins
              + " does not exist: build it (bin/ferry does) or pass"
              + " --plugin-path");
    }
    FerryPlugin.WorkerProfile profile = null;
    Map<String, String> profileProps = Map.of();
    if (kafkaConfig != null) {
      profileProps = resolvedKafkaConfig();
      profile = workerProfile(plugins, profileProps);
    }
    EmbeddedBroker broker = null;
    String kafka;
    short replicationFactor;
    if (profile == null && bootstrapServers == null) {
      shutdown.dataDirLock(DataDirLock.acquire(data));
      broker = new EmbeddedBroker(data, kafkaPort);
      shutdown.broker(broker);
      broker.start(KAFKA_TIMEOUT);
      kafka = broker.bootstrapServers();
      replicationFactor = 1;
    } else {
      kafka = profile != null ? profile.bootstrapServers() : bootstrapServers;
      awaitExternal(kafka, profile, profileProps, plugins);
      replicationFactor = -1;
    }
    // Ferry's connectors keep their own state (the delta store) on the worker's cluster unless
    // told otherwise; this is how they learn its address, and the file of its settings.
    System.setProperty(WORKER_BOOTSTRAP_PROPERTY, kafka);
    if (profile != null) {
      System.setProperty(
          WORKER_KAFKA_CONFIG_PROPERTY, kafkaConfig.toAbsolutePath().normalize().toString());
    }
    ConnectWorker worker =
        new ConnectWorker(
            kafka,
            profile == null ? Map.of() : profile.clientProps(),
            groupId,
            restPort,
            plugins,
            replicationFactor);
    shutdown.worker(worker);
    worker.start(CONNECT_TIMEOUT);
    long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
    Banner.print(
        System.out,
        broker,
        kafka,
        profile == null ? null : profile.description(),
        worker,
        data,
        plugins,
        uptime);
  }

  /** Read by the HTTP sink's configuration (ferry-connect's CatalogConfig), not imported. */
  static final String WORKER_BOOTSTRAP_PROPERTY = "ferry.worker.bootstrap.servers";

  /**
   * Read by the HTTP sink's delta store (ferry-connect's DeltaStoreCluster), not imported: the
   * absolute path of {@code --kafka-config}, whose settings reach the worker's cluster.
   */
  static final String WORKER_KAFKA_CONFIG_PROPERTY = "ferry.worker.kafka.config";

  private static final String BOOTSTRAP_KEY = "kafka.bootstrap.servers";

  /**
   * The {@code --kafka-config} file's keys, {@code --bootstrap-servers} winning over its
   * kafka.bootstrap.servers, with ${env:...} and ${file:...} resolved. Secrets are in here: never
   * log the map.
   */
  private Map<String, String> resolvedKafkaConfig() {
    Path file = kafkaConfig.toAbsolutePath().normalize();
    Properties read = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      read.load(in);
    } catch (NoSuchFileException e) {
      throw new StartupException(
          "--kafka-config "
              + file
              + " does not exist: give the properties file of the cluster's kafka.* settings",
          e);
    } catch (IOException | IllegalArgumentException e) {
      throw new StartupException(
          "cannot read --kafka-config "
              + file
              + " ("
              + e.getClass().getSimpleName()
              + "): give a properties file of kafka.* keys",
          e);
    }
    Map<String, String> raw = new LinkedHashMap<>();
    read.stringPropertyNames().stream().sorted().forEach(k -> raw.put(k, read.getProperty(k)));
    if (bootstrapServers != null) {
      raw.put(BOOTSTRAP_KEY, bootstrapServers.strip());
    }
    if (raw.getOrDefault(BOOTSTRAP_KEY, "").isBlank()) {
      throw new StartupException(
          "--kafka-config "
              + file
              + " is for an existing cluster, but names none: pass --bootstrap-servers HOST:PORT"
              + " or set kafka.bootstrap.servers in the file (the embedded broker needs no"
              + " settings)");
    }
    try {
      return ConfigReferences.resolve(raw);
    } catch (ConfigException | IllegalArgumentException e) {
      // Kafka's messages name the file or variable, Ferry's the key; neither shows a value.
      throw new StartupException(
          "cannot resolve a reference in --kafka-config " + file + ": " + e.getMessage(), e);
    }
  }

  /** The profile of the resolved settings, checked by the plugin by a connector's rules. */
  private FerryPlugin.WorkerProfile workerProfile(Path plugins, Map<String, String> props) {
    Path file = kafkaConfig.toAbsolutePath().normalize();
    FerryPlugin.WorkerProfile profile;
    try {
      profile = FerryPlugin.workerProfile(plugins, props);
    } catch (IllegalArgumentException e) {
      throw new StartupException("--kafka-config " + file + ": " + e.getMessage(), e);
    } catch (IllegalStateException e) {
      throw new StartupException(e.getMessage(), e);
    }
    // Kafka 4 calls only the token endpoints the JVM allows; this one is meant.
    profile.tokenEndpoint().ifPresent(ConfigReferences::allowTokenEndpoint);
    return profile;
  }

  private void awaitExternal(
      String bootstrapServers,
      FerryPlugin.WorkerProfile profile,
      Map<String, String> profileProps,
      Path plugins)
      throws InterruptedException {
    log.info("Checking Kafka at {} ...", profile == null ? bootstrapServers : profile);
    String hint =
        ": check the address and that the cluster is up (a secured cluster needs"
            + " --kafka-config), or drop --bootstrap-servers to run an embedded broker";
    Map<String, String> clientProps = profile == null ? Map.of() : profile.clientProps();
    try {
      String clusterId =
          KafkaProbe.awaitCluster(bootstrapServers, clientProps, EXTERNAL_KAFKA_TIMEOUT);
      log.info("Kafka at {} answers (cluster {})", bootstrapServers, clusterId);
    } catch (TimeoutException | KafkaException e) {
      if (profile != null) {
        // The plugin names the key to check; a raw client message might hold a secret.
        String translated =
            FerryPlugin.translate(plugins, e, profileProps)
                .orElse(
                    "it failed with "
                        + e.getClass().getSimpleName()
                        + ": try the settings with bin/ferry check-connection");
        throw new StartupException(
            "cannot use Kafka at "
                + bootstrapServers
                + " with the settings of --kafka-config "
                + kafkaConfig.toAbsolutePath().normalize()
                + ": "
                + translated,
            e);
      }
      throw untranslated(bootstrapServers, e, hint);
    }
  }

  /** Without --kafka-config: the address, and the client's own message (no secret is set). */
  private static StartupException untranslated(
      String bootstrapServers, Exception failure, String hint) {
    if (failure instanceof TimeoutException) {
      return new StartupException(
          "cannot reach Kafka at "
              + bootstrapServers
              + " (no answer within "
              + EXTERNAL_KAFKA_TIMEOUT.toSeconds()
              + " s)"
              + hint,
          failure);
    }
    return new StartupException(
        "cannot use Kafka at "
            + bootstrapServers
            + " ("
            + StartupException.rootMessage(failure)
            + ")"
            + hint,
        failure);
  }
}
