package dev.ferry.connect.sink.config;

import dev.ferry.connect.kafka.KafkaProfileConfig;
import dev.ferry.http.HttpSettings;
import dev.ferry.http.auth.Auth;
import dev.ferry.pipeline.deliver.ErrorStrategy;
import dev.ferry.pipeline.map.Mapper;
import dev.ferry.pipeline.map.Mappers;
import dev.ferry.pipeline.map.MappingException;
import dev.ferry.pipeline.map.MappingLanguage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The HTTP sink's configuration: one fragment per concern, parsed once into typed values. Seed
 * aliases are resolved first.
 */
public final class HttpSinkConfig extends AbstractConfig {
  public static final ConfigDef CONFIG_DEF = configDef();

  public final RequestConfig request;
  public final BatchConfig batch;
  public final DeliveryConfig delivery;
  public final ErrorConfig errors;
  public final MappingConfig mapping;
  public final CatalogConfig catalog;
  public final HttpSettings http;

  public HttpSinkConfig(Map<String, String> props) {
    super(CONFIG_DEF, SeedAliases.resolve(props));
    this.request = RequestConfig.from(this);
    this.batch = BatchConfig.from(this);
    this.delivery = DeliveryConfig.from(this);
    this.errors = ErrorConfig.from(this);
    this.mapping = MappingConfig.from(this);
    this.catalog =
        CatalogConfig.from(this, request.url(), props.getOrDefault("name", "ferry-http-sink"));
    this.http =
        new HttpSettings(request.connectTimeout(), request.requestTimeout(), TlsConfig.from(this));
  }

  /** Builds the target's auth; for OAuth2 this does not yet fetch a token. */
  public Auth auth() {
    return AuthConfig.build(this, http);
  }

  /**
   * Records the task holds at most. Unless set, room for a full batch in every lane and one more,
   * so large batches (the catalog's 10,000) fill up instead of waiting out their linger.
   */
  public int bufferRecords() {
    if (originals().containsKey(DeliveryConfig.BUFFER)) {
      return delivery.bufferRecords();
    }
    long needed = (long) batch.maxRecords() * (delivery.inFlight() + 1);
    return (int) Math.min(Integer.MAX_VALUE, Math.max(delivery.bufferRecords(), needed));
  }

  /**
   * True when tombstones are sent: as entity deletes with grouped bodies (unless
   * behavior.on.null.values=ignore is set), else as DELETE requests when behavior.on.null.values
   * says so.
   */
  public boolean sendsTombstones() {
    if (errors.nullValues() != ErrorConfig.NullValues.IGNORE) {
      return true;
    }
    return batch.format() == dev.ferry.pipeline.body.BodyFormat.GROUPED
        && !originals().containsKey(ErrorConfig.NULL_VALUES);
  }

  private static ConfigDef configDef() {
    ConfigDef def = new ConfigDef();
    RequestConfig.define(def);
    AuthConfig.define(def);
    TlsConfig.define(def);
    BatchConfig.define(def);
    DeliveryConfig.define(def);
    ErrorConfig.define(def);
    MappingConfig.define(def);
    CatalogConfig.define(def);
    KafkaProfileConfig.define(def);
    return def;
  }

  /**
   * Rules that span several keys, as messages per key. Keys of Connect's own (the dead-letter
   * topic, the error tolerance) are reported on {@code error.strategy}.
   */
  public static Map<String, List<String>> crossFieldErrors(Map<String, String> raw) {
    Map<String, String> props = SeedAliases.resolve(raw);
    Map<String, List<String>> errors = new HashMap<>(SeedAliases.conflicts(raw));
    String auth =
        props.getOrDefault(AuthConfig.TYPE, "none").strip().toLowerCase(java.util.Locale.ROOT);
    switch (auth) {
      case "header":
        require(props, errors, AuthConfig.HEADER_VALUE, "http.auth.type=header");
        break;
      case "basic":
        require(props, errors, AuthConfig.BASIC_USER, "http.auth.type=basic");
        require(props, errors, AuthConfig.BASIC_PASSWORD, "http.auth.type=basic");
        break;
      case "oauth2":
        require(props, errors, AuthConfig.TOKEN_URL, "http.auth.type=oauth2");
        require(props, errors, AuthConfig.CLIENT_ID, "http.auth.type=oauth2");
        require(props, errors, AuthConfig.CLIENT_SECRET, "http.auth.type=oauth2");
        break;
      default:
        break;
    }
    if (!props.getOrDefault(TlsConfig.KEYSTORE, "").isBlank()
        && !"PEM".equalsIgnoreCase(props.getOrDefault(TlsConfig.KEYSTORE_TYPE, "PKCS12"))) {
      require(props, errors, TlsConfig.KEYSTORE_PASSWORD, TlsConfig.KEYSTORE + " is set");
    }
    String strategy = props.getOrDefault(ErrorConfig.STRATEGY, "").strip();
    if (strategy.equalsIgnoreCase(ErrorStrategy.DEAD_LETTER.name())) {
      if (props.getOrDefault("errors.deadletterqueue.topic.name", "").isBlank()) {
        add(
            errors,
            ErrorConfig.STRATEGY,
            "error.strategy=DEAD_LETTER needs a dead-letter topic: set"
                + " errors.deadletterqueue.topic.name (and errors.tolerance=all)");
      }
      if (!"all".equalsIgnoreCase(props.getOrDefault("errors.tolerance", "none").strip())) {
        add(
            errors,
            ErrorConfig.STRATEGY,
            "error.strategy=DEAD_LETTER needs errors.tolerance=all, or Connect refuses to write"
                + " to the dead-letter topic");
      }
    }
    mappingErrors(props, errors);
    KafkaProfileConfig.crossFieldErrors(props)
        .forEach((k, m) -> errors.computeIfAbsent(k, x -> new ArrayList<>()).addAll(m));
    bufferErrors(props, errors);
    String delta = props.getOrDefault(CatalogConfig.DELTA_MODE, "none").strip();
    if (delta.equalsIgnoreCase("skip_unchanged")
        && props.getOrDefault(CatalogConfig.STORE_BOOTSTRAP, "").isBlank()
        && System.getProperty(CatalogConfig.WORKER_BOOTSTRAP_PROPERTY, "").isBlank()) {
      add(
          errors,
          CatalogConfig.STORE_BOOTSTRAP,
          "delta.mode=skip_unchanged keeps the hashes of delivered entities in a compacted topic:"
              + " set delta.store.bootstrap.servers to the cluster that should hold it (the"
              + " worker's own cluster is fine)");
    }
    return errors;
  }

  /** An explicit buffer smaller than a batch: batches never fill and always wait out the linger. */
  private static void bufferErrors(Map<String, String> props, Map<String, List<String>> errors) {
    String buffer = props.get(DeliveryConfig.BUFFER);
    if (buffer == null) {
      return;
    }
    boolean grouped =
        props.getOrDefault(BatchConfig.FORMAT, "").strip().equalsIgnoreCase("grouped");
    String batchKey = props.get(BatchConfig.MAX_RECORDS);
    try {
      int batch =
          batchKey != null
              ? Integer.parseInt(batchKey.strip())
              : grouped ? BatchConfig.GROUPED_MAX_RECORDS : 500;
      if (Integer.parseInt(buffer.strip()) < batch) {
        add(
            errors,
            DeliveryConfig.BUFFER,
            "buffer.max.records ("
                + buffer.strip()
                + ") is below batch.max.records ("
                + batch
                + "): batches could never fill and would always wait batch.linger.ms; raise it,"
                + " or leave it unset to size it from the batch");
      }
    } catch (NumberFormatException e) {
      // reported on the key itself by its validator
    }
  }

  /** Compiles the mapping, so a syntax error is reported on mapping.source with its position. */
  private static void mappingErrors(Map<String, String> props, Map<String, List<String>> errors) {
    String source = props.getOrDefault(MappingConfig.SOURCE, "").strip();
    if (source.isEmpty()) {
      return;
    }
    MappingLanguage language;
    try {
      language = MappingLanguage.parse(props.getOrDefault(MappingConfig.LANGUAGE, "jsonata"));
    } catch (IllegalArgumentException e) {
      return; // reported on mapping.language by its validator
    }
    try (Mapper mapper = Mappers.create(language, source, Duration.ofSeconds(5))) {
      // compiled: nothing to report
    } catch (MappingException e) {
      add(errors, MappingConfig.SOURCE, e.getMessage());
    }
  }

  private static void require(
      Map<String, String> props, Map<String, List<String>> errors, String key, String because) {
    if (props.getOrDefault(key, "").isBlank()) {
      add(
          errors,
          key,
          key
              + " is required when "
              + because
              + ": set it (secrets can come from"
              + " a config provider, e.g. ${env:NAME})");
    }
  }

  private static void add(Map<String, List<String>> errors, String key, String message) {
    errors.computeIfAbsent(key, k -> new ArrayList<>()).add(message);
  }
}
