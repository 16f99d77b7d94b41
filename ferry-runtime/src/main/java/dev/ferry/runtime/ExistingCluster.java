package dev.ferry.runtime;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka cluster named on the command line ({@code --bootstrap-servers}, {@code --kafka-config}),
 * not run by Ferry: its {@code kafka.*} settings read, resolved and checked by the plugin's rules
 * for a connector profile, and a probe that says what to fix when it does not answer. Used by
 * {@code ferry up} (the worker, the gateway) and {@code ferry gateway}.
 */
final class ExistingCluster {
  private static final Logger log = LoggerFactory.getLogger(ExistingCluster.class);
  private static final String BOOTSTRAP_KEY = "kafka.bootstrap.servers";

  private final String bootstrapServers;
  private final Path kafkaConfig;
  private final Path plugins;
  private final FerryPlugin.WorkerProfile profile;
  private final Map<String, String> profileProps;

  private ExistingCluster(
      String bootstrapServers,
      Path kafkaConfig,
      Path plugins,
      FerryPlugin.WorkerProfile profile,
      Map<String, String> profileProps) {
    this.bootstrapServers = bootstrapServers;
    this.kafkaConfig = kafkaConfig;
    this.plugins = plugins;
    this.profile = profile;
    this.profileProps = profileProps;
  }

  /**
   * Reads and checks the settings.
   *
   * @param bootstrapServers {@code --bootstrap-servers}, or null (then the file must name them)
   * @param kafkaConfig {@code --kafka-config}, or null (plaintext, no authentication)
   * @param plugins the plugin path holding Ferry's plugin, which checks the profile
   * @throws StartupException naming the key or file at fault, never a secret
   */
  static ExistingCluster of(String bootstrapServers, Path kafkaConfig, Path plugins) {
    if (kafkaConfig == null) {
      if (bootstrapServers == null || bootstrapServers.isBlank()) {
        throw new StartupException(
            "no Kafka cluster named: pass --bootstrap-servers HOST:PORT, or --kafka-config FILE"
                + " with kafka.bootstrap.servers");
      }
      return new ExistingCluster(bootstrapServers.strip(), null, plugins, null, Map.of());
    }
    Path file = kafkaConfig.toAbsolutePath().normalize();
    Map<String, String> props = resolved(file, bootstrapServers);
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
    return new ExistingCluster(profile.bootstrapServers(), file, plugins, profile, props);
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  /** The checked {@code --kafka-config} profile, or null when there is none. */
  FerryPlugin.WorkerProfile profile() {
    return profile;
  }

  /** The Kafka client configs: the profile's (secrets included: never log them), or bootstrap. */
  Map<String, String> clientProps() {
    return profile == null ? Map.of("bootstrap.servers", bootstrapServers) : profile.clientProps();
  }

  /**
   * Waits until the cluster answers.
   *
   * @param hint what to check when it does not (without --kafka-config)
   * @throws StartupException saying what failed and what to check
   */
  void await(Duration timeout, String hint) throws InterruptedException {
    log.info("Checking Kafka at {} ...", profile == null ? bootstrapServers : profile);
    try {
      String clusterId = KafkaProbe.awaitCluster(bootstrapServers, clientProps(), timeout);
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
                + kafkaConfig
                + ": "
                + translated,
            e);
      }
      throw untranslated(e, timeout, hint);
    }
  }

  /** Without --kafka-config: the address, and the client's own message (no secret is set). */
  private StartupException untranslated(Exception failure, Duration timeout, String hint) {
    if (failure instanceof TimeoutException) {
      return new StartupException(
          "cannot reach Kafka at "
              + bootstrapServers
              + " (no answer within "
              + timeout.toSeconds()
              + " s): "
              + hint,
          failure);
    }
    return new StartupException(
        "cannot use Kafka at "
            + bootstrapServers
            + " ("
            + StartupException.rootMessage(failure)
            + "): "
            + hint,
        failure);
  }

  /**
   * The file's keys, {@code bootstrapServers} (when given) winning over its
   * kafka.bootstrap.servers, with ${env:...} and ${file:...} resolved. Secrets are in here: never
   * log the map.
   */
  private static Map<String, String> resolved(Path file, String bootstrapServers) {
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
}
