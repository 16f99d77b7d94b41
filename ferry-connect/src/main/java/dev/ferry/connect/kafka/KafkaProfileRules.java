package dev.ferry.connect.kafka;

import static dev.ferry.connect.kafka.KafkaProfileConfig.ALLOW_PLAINTEXT;
import static dev.ferry.connect.kafka.KafkaProfileConfig.BOOTSTRAP;
import static dev.ferry.connect.kafka.KafkaProfileConfig.CA_PEM;
import static dev.ferry.connect.kafka.KafkaProfileConfig.KEYSTORE;
import static dev.ferry.connect.kafka.KafkaProfileConfig.KEYSTORE_PASSWORD;
import static dev.ferry.connect.kafka.KafkaProfileConfig.KEYSTORE_TYPE;
import static dev.ferry.connect.kafka.KafkaProfileConfig.OAUTH_CLIENT_ID;
import static dev.ferry.connect.kafka.KafkaProfileConfig.OAUTH_CLIENT_SECRET;
import static dev.ferry.connect.kafka.KafkaProfileConfig.OAUTH_CLUSTER_ID;
import static dev.ferry.connect.kafka.KafkaProfileConfig.OAUTH_POOL_ID;
import static dev.ferry.connect.kafka.KafkaProfileConfig.OAUTH_SCOPE;
import static dev.ferry.connect.kafka.KafkaProfileConfig.OAUTH_TOKEN_ENDPOINT;
import static dev.ferry.connect.kafka.KafkaProfileConfig.SASL_MECHANISM;
import static dev.ferry.connect.kafka.KafkaProfileConfig.SASL_PASSWORD;
import static dev.ferry.connect.kafka.KafkaProfileConfig.SASL_USERNAME;
import static dev.ferry.connect.kafka.KafkaProfileConfig.SECURITY_PROTOCOL;
import static dev.ferry.connect.kafka.KafkaProfileConfig.TRUSTSTORE;
import static dev.ferry.connect.kafka.KafkaProfileConfig.TRUSTSTORE_PASSWORD;
import static dev.ferry.connect.kafka.KafkaProfileConfig.TRUSTSTORE_TYPE;

import dev.ferry.connect.kafka.KafkaProfile.Mechanism;
import dev.ferry.connect.kafka.KafkaProfile.Protocol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The profile's cross-field rules. Values a key's own validator rejects are left to it; each rule
 * here reports on the key to change and says how.
 */
final class KafkaProfileRules {
  private static final List<String> SASL_KEYS =
      List.of(
          SASL_MECHANISM,
          SASL_USERNAME,
          SASL_PASSWORD,
          OAUTH_CLIENT_ID,
          OAUTH_CLIENT_SECRET,
          OAUTH_TOKEN_ENDPOINT,
          OAUTH_SCOPE,
          OAUTH_CLUSTER_ID,
          OAUTH_POOL_ID);
  private static final List<String> PASSWORD_KEYS = List.of(SASL_USERNAME, SASL_PASSWORD);
  private static final List<String> OAUTH_KEYS =
      List.of(
          OAUTH_CLIENT_ID,
          OAUTH_CLIENT_SECRET,
          OAUTH_TOKEN_ENDPOINT,
          OAUTH_SCOPE,
          OAUTH_CLUSTER_ID,
          OAUTH_POOL_ID);
  private static final List<String> TLS_KEYS =
      List.of(
          TRUSTSTORE,
          TRUSTSTORE_PASSWORD,
          TRUSTSTORE_TYPE,
          KEYSTORE,
          KEYSTORE_PASSWORD,
          KEYSTORE_TYPE,
          CA_PEM);

  private final Map<String, String> props;
  private final Map<String, List<String>> errors = new LinkedHashMap<>();

  private KafkaProfileRules(Map<String, String> props) {
    this.props = props;
  }

  static Map<String, List<String>> errors(Map<String, String> props) {
    KafkaProfileRules rules = new KafkaProfileRules(props);
    rules.check();
    return rules.errors;
  }

  private void check() {
    if (!isSet(BOOTSTRAP)) {
      for (String key : KafkaProfileConfig.DEF.names()) {
        if (isSet(key)) {
          add(
              key,
              key
                  + " is set but kafka.bootstrap.servers is not, so the pipeline uses the"
                  + " worker's own cluster and ignores the kafka.* connection settings: set"
                  + " kafka.bootstrap.servers to the cluster they are for, or remove "
                  + key);
        }
      }
      return;
    }
    Protocol protocol;
    try {
      protocol =
          Protocol.parse(
              value(SECURITY_PROTOCOL).isEmpty() ? "SASL_SSL" : value(SECURITY_PROTOCOL));
    } catch (IllegalArgumentException e) {
      return; // reported on kafka.security.protocol by its validator
    }
    boolean allowPlaintext = value(ALLOW_PLAINTEXT).equalsIgnoreCase("true");
    if (!protocol.tls() && !allowPlaintext) {
      add(
          SECURITY_PROTOCOL,
          "kafka.security.protocol="
              + protocol
              + (protocol.sasl() ? " sends credentials and data" : " sends data")
              + " unencrypted: use SASL_SSL or SSL, or set kafka.allow.plaintext=true for local"
              + " development");
    }
    if (protocol.sasl()) {
      sasl(protocol, allowPlaintext);
    } else {
      notUsed(
          SASL_KEYS,
          "with kafka.security.protocol=" + protocol + ", which has no SASL login",
          "use SASL_SSL");
    }
    if (protocol.tls()) {
      tls();
    } else {
      notUsed(
          TLS_KEYS,
          "with kafka.security.protocol=" + protocol + ", which has no TLS",
          "use SSL or SASL_SSL");
    }
  }

  private void sasl(Protocol protocol, boolean allowPlaintext) {
    Optional<Mechanism> mechanism;
    try {
      mechanism =
          KafkaProfileConfig.mechanismOf(
              value(SASL_MECHANISM), value(OAUTH_CLIENT_ID), value(SASL_USERNAME));
    } catch (IllegalArgumentException e) {
      return; // reported on kafka.sasl.mechanism by its validator
    }
    if (mechanism.isEmpty()) {
      add(
          SASL_MECHANISM,
          "kafka.security.protocol="
              + protocol
              + " logs in, but no credentials are set: set kafka.oauth.client.id,"
              + " kafka.oauth.client.secret and kafka.oauth.token.endpoint (OAuth), or"
              + " kafka.sasl.username and kafka.sasl.password (an API key, SCRAM), or use"
              + " kafka.security.protocol=SSL for TLS without a SASL login");
      return;
    }
    Mechanism m = mechanism.get();
    String because = "kafka.sasl.mechanism is " + m.kafkaName();
    if (m == Mechanism.OAUTHBEARER) {
      require(OAUTH_CLIENT_ID, because);
      require(OAUTH_CLIENT_SECRET, because);
      require(OAUTH_TOKEN_ENDPOINT, because);
      notUsed(
          PASSWORD_KEYS,
          "with kafka.sasl.mechanism=OAUTHBEARER",
          "set kafka.sasl.mechanism to PLAIN or SCRAM-SHA-*");
      if (value(OAUTH_TOKEN_ENDPOINT).toLowerCase(Locale.ROOT).startsWith("http://")
          && !allowPlaintext) {
        add(
            OAUTH_TOKEN_ENDPOINT,
            "kafka.oauth.token.endpoint is http://, so the client secret would travel"
                + " unencrypted: use its https:// URL, or set kafka.allow.plaintext=true for local"
                + " development");
      }
    } else {
      require(SASL_USERNAME, because);
      require(SASL_PASSWORD, because);
      notUsed(
          OAUTH_KEYS,
          "with kafka.sasl.mechanism=" + m.kafkaName(),
          "set kafka.sasl.mechanism=OAUTHBEARER");
    }
  }

  private void tls() {
    if (isSet(CA_PEM) && isSet(TRUSTSTORE)) {
      String both =
          "kafka.ssl.ca.pem and kafka.ssl.truststore.location are both set: keep one"
              + " (kafka.ssl.ca.pem for a PEM file of CA certificates)";
      add(CA_PEM, both);
      add(TRUSTSTORE, both);
    }
    boolean pemTrust = isSet(CA_PEM) || value(TRUSTSTORE_TYPE).equalsIgnoreCase("PEM");
    if (pemTrust && isSet(TRUSTSTORE_PASSWORD)) {
      add(
          TRUSTSTORE_PASSWORD,
          "a PEM file of CA certificates has no password, and Kafka refuses one: remove"
              + " kafka.ssl.truststore.password");
    }
    if (isSet(KEYSTORE) && !value(KEYSTORE_TYPE).equalsIgnoreCase("PEM")) {
      require(KEYSTORE_PASSWORD, "kafka.ssl.keystore.location is set (a PKCS12 or JKS key store)");
    }
  }

  private void require(String key, String because) {
    if (!isSet(key)) {
      add(
          key,
          key
              + " is required when "
              + because
              + ": set it (secrets can come from a config provider, e.g. ${env:NAME})");
    }
  }

  private void notUsed(List<String> keys, String context, String alternative) {
    for (String key : keys) {
      if (isSet(key)) {
        add(key, key + " is not used " + context + ": remove it, or " + alternative);
      }
    }
  }

  private boolean isSet(String key) {
    return !value(key).isEmpty();
  }

  private String value(String key) {
    String v = props.get(key);
    return v == null ? "" : v.strip();
  }

  private void add(String key, String message) {
    errors.computeIfAbsent(key, k -> new ArrayList<>()).add(message);
  }
}
