package dev.ferry.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ferry gateway}: the event gateway alone against an existing cluster, until Ctrl-C or
 * SIGTERM. It keeps no state: run as many as the load needs, behind a load balancer.
 */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    description = {
      "Run the event gateway alone (POST /v1/events → Kafka) against an existing cluster.",
      "API keys come from FERRY_GATEWAY_API_KEYS or gateway.api.keys (required, or"
          + " gateway.auth=none for local development). See docs/event-gateway.md."
    })
final class GatewayCommand implements Callable<Integer> {
  private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(15);

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT",
      description = "The Kafka cluster (or kafka.bootstrap.servers in --kafka-config).")
  String bootstrapServers;

  @Option(
      names = "--kafka-config",
      paramLabel = "FILE",
      description =
          "The cluster's connection settings: a properties file of kafka.* keys, as for"
              + " bin/ferry up (docs/secure-clusters.md).")
  Path kafkaConfig;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Gateway settings: a properties file of gateway.* keys.")
  Path config;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      description =
          "Interface to listen on (default: gateway.host, else localhost; 0.0.0.0 for" + " all).")
  String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "Port to listen on (default: gateway.port, else 8080).")
  Integer port;

  @Option(
      names = "--plugin-path",
      paramLabel = "DIR",
      defaultValue = "ferry-runtime/target/plugins",
      description = "Directory of unpacked Connect plugins; Ferry's checks --kafka-config.")
  Path pluginPath;

  @Override
  public Integer call() throws InterruptedException {
    return ShutdownSequence.runUntilStopped(this::start);
  }

  private void start(ShutdownSequence shutdown) throws InterruptedException {
    GatewayRunner gateway = GatewayRunner.prepare(config, host, port, null, System.getenv());
    ExistingCluster cluster =
        ExistingCluster.of(bootstrapServers, kafkaConfig, pluginPath.toAbsolutePath().normalize());
    cluster.await(
        KAFKA_TIMEOUT,
        "check the address and that the cluster is up (a secured cluster needs --kafka-config)");
    shutdown.gateway(gateway);
    gateway.start(cluster.clientProps(), "--port");
    System.out.println();
    System.out.println("  ferry gateway is up");
    System.out.println("    Kafka         " + cluster.bootstrapServers());
    if (cluster.profile() != null) {
      System.out.println("    Kafka client  " + cluster.profile().description());
    }
    System.out.println("    Event gateway " + gateway.uri() + "/v1/events");
    System.out.println("  Ctrl-C to stop.");
    System.out.println();
    System.out.flush();
  }
}
