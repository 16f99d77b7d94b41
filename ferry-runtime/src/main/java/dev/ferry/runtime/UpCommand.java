package dev.ferry.runtime;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ferry up}: runs an embedded Kafka broker (unless {@code --bootstrap-servers} names an
 * existing cluster) and a Kafka Connect worker with Ferry's plugin, until Ctrl-C or SIGTERM.
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
    EmbeddedBroker broker = null;
    String kafka;
    short replicationFactor;
    if (bootstrapServers == null) {
      shutdown.dataDirLock(DataDirLock.acquire(data));
      broker = new EmbeddedBroker(data, kafkaPort);
      shutdown.broker(broker);
      broker.start(KAFKA_TIMEOUT);
      kafka = broker.bootstrapServers();
      replicationFactor = 1;
    } else {
      kafka = bootstrapServers;
      awaitExternal(kafka);
      replicationFactor = -1;
    }
    // Ferry's connectors keep their own state (the delta store) on the worker's cluster unless
    // told otherwise; this is how they learn its address.
    System.setProperty(WORKER_BOOTSTRAP_PROPERTY, kafka);
    ConnectWorker worker = new ConnectWorker(kafka, groupId, restPort, plugins, replicationFactor);
    shutdown.worker(worker);
    worker.start(CONNECT_TIMEOUT);
    long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
    Banner.print(System.out, broker, kafka, worker, data, plugins, uptime);
  }

  /** Read by the HTTP sink's configuration (ferry-connect's CatalogConfig), not imported. */
  static final String WORKER_BOOTSTRAP_PROPERTY = "ferry.worker.bootstrap.servers";

  private static void awaitExternal(String bootstrapServers) throws InterruptedException {
    log.info("Checking Kafka at {} ...", bootstrapServers);
    String hint =
        ": check the address and that the cluster is up, or drop --bootstrap-servers to run an"
            + " embedded broker";
    try {
      String clusterId = KafkaProbe.awaitCluster(bootstrapServers, EXTERNAL_KAFKA_TIMEOUT);
      log.info("Kafka at {} answers (cluster {})", bootstrapServers, clusterId);
    } catch (TimeoutException e) {
      throw new StartupException(
          "cannot reach Kafka at "
              + bootstrapServers
              + " (no answer within "
              + EXTERNAL_KAFKA_TIMEOUT.toSeconds()
              + " s)"
              + hint,
          e);
    } catch (KafkaException e) {
      throw new StartupException(
          "cannot use Kafka at "
              + bootstrapServers
              + " ("
              + StartupException.rootMessage(e)
              + ")"
              + hint,
          e);
    }
  }
}
