package dev.ferry.connect.sink.config;

import dev.ferry.http.HttpSettings;
import dev.ferry.http.auth.Auth;
import dev.ferry.pipeline.deliver.ErrorStrategy;
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
  public final HttpSettings http;

  public HttpSinkConfig(Map<String, String> props) {
    super(CONFIG_DEF, SeedAliases.resolve(props));
    this.request = RequestConfig.from(this);
    this.batch = BatchConfig.from(this);
    this.delivery = DeliveryConfig.from(this);
    this.errors = ErrorConfig.from(this);
    this.http =
        new HttpSettings(request.connectTimeout(), request.requestTimeout(), TlsConfig.from(this));
  }

  /** Builds the target's auth; for OAuth2 this does not yet fetch a token. */
  public Auth auth() {
    return AuthConfig.build(this, http);
  }

  private static ConfigDef configDef() {
    ConfigDef def = new ConfigDef();
    RequestConfig.define(def);
    AuthConfig.define(def);
    TlsConfig.define(def);
    BatchConfig.define(def);
    DeliveryConfig.define(def);
    ErrorConfig.define(def);
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
    return errors;
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
