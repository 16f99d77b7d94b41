package dev.ferry.connect.sink.config;

import dev.ferry.connect.kafka.KafkaProfile;
import dev.ferry.connect.kafka.KafkaProfileConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigTransformer;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;
import org.apache.kafka.common.config.provider.FileConfigProvider;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * The cluster of the delta store ({@code delta.mode=skip_unchanged}) and the client settings to
 * reach it:
 *
 * <ol>
 *   <li>the connector's own {@code kafka.*} profile, when {@code delta.store.bootstrap.servers}
 *       names the same brokers as {@code kafka.bootstrap.servers};
 *   <li>the worker's, when it names the worker's cluster or is empty under {@code bin/ferry up}:
 *       the {@code kafka.*} file of {@code --kafka-config} (system property {@value
 *       #WORKER_KAFKA_CONFIG_PROPERTY}), if the worker was given one;
 *   <li>otherwise the address alone, in plaintext.
 * </ol>
 *
 * Its {@link #toString()} never shows a secret; {@link #clientProps()} holds them.
 */
public final class DeltaStoreCluster {
  /**
   * Set by {@code bin/ferry up --kafka-config FILE}: the absolute path of FILE, the {@code kafka.*}
   * settings of the worker's own cluster (its {@code kafka.bootstrap.servers} is the worker's).
   */
  public static final String WORKER_KAFKA_CONFIG_PROPERTY = "ferry.worker.kafka.config";

  private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):[^}]*}");

  /** Where the client settings come from. */
  public enum Source {
    CONNECTOR_PROFILE("the connector's kafka.* profile"),
    WORKER("the worker's Kafka settings (bin/ferry up --kafka-config)"),
    ADDRESS_ONLY("no security settings (plaintext)");

    private final String description;

    Source(String description) {
      this.description = description;
    }

    @Override
    public String toString() {
      return description;
    }
  }

  private final String bootstrapServers;
  private final Source source;
  private final KafkaProfile profile;
  private final Map<String, String> clientProps;

  private DeltaStoreCluster(String bootstrapServers, Source source, KafkaProfile profile) {
    this.bootstrapServers = bootstrapServers;
    this.source = source;
    this.profile = profile;
    Map<String, String> all = new LinkedHashMap<>(profile.clientProps());
    all.put("bootstrap.servers", bootstrapServers);
    this.clientProps = Collections.unmodifiableMap(all);
  }

  /**
   * Picks the store's client settings.
   *
   * @param storeBootstrap the store's cluster: delta.store.bootstrap.servers, or the worker's when
   *     that is empty ({@link CatalogConfig#storeBootstrap()})
   * @param connector the connector's own profile (not set when it reads the worker's cluster)
   * @param systemProperty the JVM's system properties, e.g. {@code System::getProperty}
   * @throws ConnectException when the worker's settings file cannot be read or is invalid
   */
  public static DeltaStoreCluster select(
      String storeBootstrap, KafkaProfile connector, UnaryOperator<String> systemProperty) {
    String bootstrap = storeBootstrap.strip();
    if (connector.isSet() && sameServers(bootstrap, connector.bootstrapServers())) {
      return new DeltaStoreCluster(bootstrap, Source.CONNECTOR_PROFILE, connector);
    }
    String worker = systemProperty.apply(CatalogConfig.WORKER_BOOTSTRAP_PROPERTY);
    String workerConfig = systemProperty.apply(WORKER_KAFKA_CONFIG_PROPERTY);
    if (worker != null
        && sameServers(bootstrap, worker)
        && workerConfig != null
        && !workerConfig.isBlank()) {
      return new DeltaStoreCluster(
          bootstrap, Source.WORKER, workerProfile(Path.of(workerConfig.strip()), bootstrap));
    }
    return new DeltaStoreCluster(
        bootstrap,
        Source.ADDRESS_ONLY,
        KafkaProfileConfig.from(
            Map.of(
                KafkaProfileConfig.BOOTSTRAP, bootstrap,
                KafkaProfileConfig.SECURITY_PROTOCOL, "PLAINTEXT",
                KafkaProfileConfig.ALLOW_PLAINTEXT, "true")));
  }

  /** The store cluster's brokers. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Where {@link #clientProps()} come from. */
  public Source source() {
    return source;
  }

  /** The settings as a profile, for translating the store's Kafka failures. */
  public KafkaProfile profile() {
    return profile;
  }

  /** Kafka client configs: bootstrap.servers and the security settings. Never log the map. */
  public Map<String, String> clientProps() {
    return clientProps;
  }

  /** E.g. {@code localhost:9092 with the connector's kafka.* profile}; never a secret. */
  @Override
  public String toString() {
    return bootstrapServers + " with " + source;
  }

  /** True when both lists name the same brokers, in any order and case. */
  static boolean sameServers(String a, String b) {
    Set<String> left = servers(a);
    return !left.isEmpty() && left.equals(servers(b));
  }

  private static Set<String> servers(String list) {
    return Arrays.stream(list == null ? new String[0] : list.split(","))
        .map(s -> s.strip().toLowerCase(Locale.ROOT))
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * The client settings of the worker's {@code kafka.*} file, with {@code bootstrap} as its
   * kafka.bootstrap.servers and its ${env:...} and ${file:...} references resolved.
   */
  static KafkaProfile workerProfile(Path file, String bootstrap) {
    String what = "the worker's Kafka settings " + file + " (bin/ferry up --kafka-config)";
    Map<String, String> raw = new LinkedHashMap<>();
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(in);
    } catch (IOException e) {
      throw new ConnectException(
          "Cannot read "
              + what
              + " for the delta store ("
              + e.getClass().getSimpleName()
              + "): restore the file, or set delta.store.bootstrap.servers to another cluster",
          e);
    }
    props.stringPropertyNames().forEach(k -> raw.put(k, props.getProperty(k)));
    raw.put(KafkaProfileConfig.BOOTSTRAP, bootstrap);
    try {
      return KafkaProfileConfig.forWorker(resolve(raw));
    } catch (ConfigException e) {
      throw new ConnectException(
          "Cannot use " + what + " for the delta store: " + e.getMessage(), e);
    }
  }

  /** Resolves ${env:NAME} and ${file:PATH:KEY}; a reference left unresolved is an error. */
  private static Map<String, String> resolve(Map<String, String> raw) {
    Map<String, ConfigProvider> providers = new LinkedHashMap<>();
    providers.put("env", new EnvVarConfigProvider());
    providers.put("file", new FileConfigProvider());
    providers.values().forEach(p -> p.configure(Map.of()));
    Map<String, String> resolved = new ConfigTransformer(providers).transform(raw).data();
    for (Map.Entry<String, String> e : resolved.entrySet()) {
      Matcher left = REFERENCE.matcher(e.getValue() == null ? "" : e.getValue());
      if (left.find()) {
        throw new ConfigException(
            e.getKey()
                + " refers to "
                + left.group()
                + ", which is not set in the worker's environment: export the variable, or check"
                + " the file and key");
      }
    }
    return resolved;
  }
}
