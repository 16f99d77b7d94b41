package dev.ferry.runtime;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
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
      names = "--gateway-port",
      paramLabel = "PORT",
      defaultValue = "8080",
      description = "Event gateway port (POST /v1/events) (default: ${DEFAULT-VALUE}).")
  int gatewayPort;

  @Option(
      names = "--gateway-config",
      paramLabel = "FILE",
      description =
          "Event gateway settings: a properties file of gateway.* keys (docs/event-gateway.md)."
              + " Without API keys (there or in FERRY_GATEWAY_API_KEYS) a development key is made"
              + " and printed.")
  Path gatewayConfig;

  @Option(names = "--no-gateway", description = "Do not run the event gateway.")
  boolean noGateway;

  @Option(
      names = "--group-id",
      paramLabel = "ID",
      defaultValue = "ferry",
      description = "Connect cluster group id (default: ${DEFAULT-VALUE}).")
  String groupId;

  @Override
  public Integer call() throws InterruptedException {
    return ShutdownSequence.runUntilStopped(this::start);
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
    GatewayRunner gateway =
        noGateway
            ? null
            : GatewayRunner.prepare(gatewayConfig, null, gatewayPort, data, System.getenv());
    ExistingCluster existing =
        kafkaConfig == null && bootstrapServers == null
            ? null
            : ExistingCluster.of(bootstrapServers, kafkaConfig, plugins);
    FerryPlugin.WorkerProfile profile = existing == null ? null : existing.profile();
    EmbeddedBroker broker = null;
    String kafka;
    short replicationFactor;
    if (existing == null) {
      shutdown.dataDirLock(DataDirLock.acquire(data));
      broker = new EmbeddedBroker(data, kafkaPort);
      shutdown.broker(broker);
      broker.start(KAFKA_TIMEOUT);
      kafka = broker.bootstrapServers();
      replicationFactor = 1;
    } else {
      kafka = existing.bootstrapServers();
      existing.await(
          EXTERNAL_KAFKA_TIMEOUT,
          "check the address and that the cluster is up (a secured cluster needs"
              + " --kafka-config), or drop --bootstrap-servers to run an embedded broker");
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
    if (gateway != null) {
      shutdown.gateway(gateway);
      gateway.start(
          existing == null ? Map.of("bootstrap.servers", kafka) : existing.clientProps(),
          "--gateway-port");
    }
    long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
    Banner.print(
        System.out,
        broker,
        kafka,
        profile == null ? null : profile.description(),
        worker,
        gateway,
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
}
