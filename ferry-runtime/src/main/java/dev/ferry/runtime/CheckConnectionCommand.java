package dev.ferry.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ferry check-connection}: tests a pipeline's Kafka connection profile (the {@code kafka.*}
 * keys of a connector config) before the pipeline runs, and prints each step with what to fix.
 */
@Command(
    name = "check-connection",
    mixinStandardHelpOptions = true,
    description = {
      "Test a connector config's Kafka connection (kafka.* keys): log in, reach the cluster, see"
          + " its topics and consumer group. Exits 0 when every step passes, 1 otherwise.",
      "Secrets may come as $${env:NAME} or $${file:PATH:KEY}. Without kafka.bootstrap.servers,"
          + " checks --bootstrap-servers over PLAINTEXT (the broker of ferry up)."
    })
final class CheckConnectionCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "A connector config as JSON: {\"name\": ..., \"config\": {...}} or the bare config map.")
  Path config;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "A config key, e.g. --set kafka.sasl.username=KEY; repeatable, wins over FILE.")
  Map<String, String> sets = new LinkedHashMap<>();

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT",
      defaultValue = "localhost:9092",
      description =
          "The worker's cluster, checked when kafka.bootstrap.servers is not set"
              + " (default: ${DEFAULT-VALUE}, the one of ferry up).")
  String bootstrapServers;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "15",
      description = "How long each step may take (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(
      names = "--plugin-path",
      paramLabel = "DIR",
      defaultValue = "ferry-runtime/target/plugins",
      description = "Directory of unpacked Connect plugins holding Ferry's (bin/ferry builds it).")
  Path pluginPath;

  @Option(names = "--verbose", description = "Show the Kafka clients' own log lines.")
  boolean verbose;

  @Override
  public Integer call() {
    if (!verbose) {
      quietKafkaLogs();
    }
    Map<String, String> props;
    try {
      props = ConfigReferences.resolve(read());
    } catch (ConfigException e) {
      System.err.println(
          "ferry check-connection: cannot resolve a config reference: " + e.getMessage());
      return 1;
    } catch (IOException | IllegalArgumentException e) {
      System.err.println("ferry check-connection: " + e.getMessage());
      return 1;
    }
    ConfigReferences.allowTokenEndpoint(props.getOrDefault("kafka.oauth.token.endpoint", ""));
    Duration timeout = Duration.ofSeconds(Math.max(1, timeoutSeconds));
    try {
      FerryPlugin.CheckResult result = FerryPlugin.checkConnection(pluginPath, props, timeout);
      System.out.print(result.report());
      System.out.println(result.ok() ? "All checks passed." : "Some checks failed.");
      return result.ok() ? 0 : 1;
    } catch (IllegalStateException e) {
      System.err.println("ferry check-connection: " + e.getMessage());
      return 1;
    }
  }

  /** The config file's map (bare or under "config"), then each --set. */
  private Map<String, String> read() throws IOException {
    Map<String, String> props = new LinkedHashMap<>();
    if (config != null) {
      JsonNode root;
      try {
        root = JSON.readTree(config.toFile());
      } catch (IOException e) {
        throw new IOException("cannot read " + config + ": " + e.getMessage(), e);
      }
      JsonNode map = root.path("config").isObject() ? root.get("config") : root;
      if (!map.isObject()) {
        throw new IllegalArgumentException(config + " holds no JSON object of config keys");
      }
      map.fields().forEachRemaining(f -> props.put(f.getKey(), f.getValue().asText()));
      if (root.path("name").isTextual()) {
        props.putIfAbsent("name", root.get("name").asText());
      }
    }
    props.putAll(sets);
    if (props.getOrDefault("kafka.bootstrap.servers", "").isBlank()
        && props.keySet().stream().noneMatch(k -> k.startsWith("kafka."))) {
      props.put("kafka.bootstrap.servers", bootstrapServers);
      props.put("kafka.security.protocol", "PLAINTEXT");
      props.put("kafka.allow.plaintext", "true");
    }
    return props;
  }

  /**
   * The translated steps say what the Kafka clients' warnings would, without their stack traces.
   * Log4j 2 (which bin/ferry logs through) is a runtime dependency only, hence reflection; with
   * another backend the clients keep logging.
   */
  private static void quietKafkaLogs() {
    try {
      Class<?> level = Class.forName("org.apache.logging.log4j.Level");
      Class.forName("org.apache.logging.log4j.core.config.Configurator")
          .getMethod("setAllLevels", String.class, level)
          .invoke(null, "org.apache.kafka", level.getField("OFF").get(null));
    } catch (ReflectiveOperationException | LinkageError e) {
      // not Log4j 2: leave the logs as they are
    }
  }
}
