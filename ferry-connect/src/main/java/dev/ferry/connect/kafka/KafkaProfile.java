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

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.types.Password;

/**
 * Where and how a pipeline connects to Kafka, when that is not the worker's own cluster: parsed
 * once from the {@code kafka.*} keys, translated to Kafka client configs on demand. Its {@code
 * toString()} and {@link #describe()} never show a secret.
 */
public final class KafkaProfile {
  static final String OAUTH_CALLBACK_HANDLER =
      "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler";

  /** How the client talks to the brokers: {@code security.protocol}. */
  public enum Protocol {
    PLAINTEXT(false, false),
    SSL(true, false),
    SASL_PLAINTEXT(false, true),
    SASL_SSL(true, true);

    private final boolean tls;
    private final boolean sasl;

    Protocol(boolean tls, boolean sasl) {
      this.tls = tls;
      this.sasl = sasl;
    }

    /** True when the connection is encrypted. */
    public boolean tls() {
      return tls;
    }

    /** True when the client authenticates with SASL (user/password or a token). */
    public boolean sasl() {
      return sasl;
    }

    static Protocol parse(String value) {
      return valueOf(value.strip().toUpperCase(Locale.ROOT));
    }
  }

  /** How a SASL client authenticates: {@code sasl.mechanism}. */
  public enum Mechanism {
    OAUTHBEARER("OAUTHBEARER"),
    PLAIN("PLAIN"),
    SCRAM_SHA_256("SCRAM-SHA-256"),
    SCRAM_SHA_512("SCRAM-SHA-512");

    private final String kafkaName;

    Mechanism(String kafkaName) {
      this.kafkaName = kafkaName;
    }

    /** The name Kafka uses, e.g. {@code SCRAM-SHA-256}. */
    public String kafkaName() {
      return kafkaName;
    }

    static Mechanism parse(String value) {
      String name = value.strip().toUpperCase(Locale.ROOT);
      for (Mechanism m : values()) {
        if (m.kafkaName.equals(name) || m.name().equals(name)) {
          return m;
        }
      }
      throw new IllegalArgumentException("unknown SASL mechanism " + name);
    }
  }

  /** A key or trust store file; PEM needs no store password. */
  record Store(String location, String type, Password password) {
    boolean isSet() {
      return !location.isEmpty();
    }

    boolean pem() {
      return "PEM".equals(type);
    }
  }

  private final String bootstrapServers;
  private final Protocol protocol;
  private final Optional<Mechanism> mechanism;
  private final String username;
  private final Password password;
  private final String clientId;
  private final Password clientSecret;
  private final String tokenEndpoint;
  private final String scope;
  private final String clusterId;
  private final String identityPoolId;
  private final Store truststore;
  private final Store keystore;
  private final String caPem;
  private final boolean allowPlaintext;

  KafkaProfile(AbstractConfig c) {
    this.bootstrapServers = text(c.getString(BOOTSTRAP));
    this.protocol = Protocol.parse(c.getString(SECURITY_PROTOCOL));
    this.username = text(c.getString(SASL_USERNAME));
    this.password = c.getPassword(SASL_PASSWORD);
    this.clientId = text(c.getString(OAUTH_CLIENT_ID));
    this.clientSecret = c.getPassword(OAUTH_CLIENT_SECRET);
    this.tokenEndpoint = text(c.getString(OAUTH_TOKEN_ENDPOINT));
    this.scope = text(c.getString(OAUTH_SCOPE));
    this.clusterId = text(c.getString(OAUTH_CLUSTER_ID));
    this.identityPoolId = text(c.getString(OAUTH_POOL_ID));
    this.truststore =
        new Store(
            text(c.getString(TRUSTSTORE)),
            upper(c.getString(TRUSTSTORE_TYPE)),
            c.getPassword(TRUSTSTORE_PASSWORD));
    this.keystore =
        new Store(
            text(c.getString(KEYSTORE)),
            upper(c.getString(KEYSTORE_TYPE)),
            c.getPassword(KEYSTORE_PASSWORD));
    this.caPem = text(c.getString(CA_PEM));
    this.allowPlaintext = c.getBoolean(ALLOW_PLAINTEXT);
    this.mechanism =
        protocol.sasl()
            ? KafkaProfileConfig.mechanismOf(c.getString(SASL_MECHANISM), clientId, username)
            : Optional.empty();
  }

  /** True when kafka.bootstrap.servers names a cluster; otherwise the worker's own is used. */
  public boolean isSet() {
    return !bootstrapServers.isEmpty();
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public Protocol protocol() {
    return protocol;
  }

  /** The SASL mechanism, given or inferred; empty when the protocol uses no SASL. */
  public Optional<Mechanism> mechanism() {
    return mechanism;
  }

  /** The OAuth token endpoint, empty unless the mechanism is OAUTHBEARER. */
  public Optional<String> tokenEndpoint() {
    return mechanism.filter(m -> m == Mechanism.OAUTHBEARER).map(m -> tokenEndpoint);
  }

  /** True when kafka.allow.plaintext=true: plaintext and SASL without TLS are accepted. */
  public boolean allowsPlaintext() {
    return allowPlaintext;
  }

  /**
   * The Kafka client configs of this profile (empty when it is not set): bootstrap, security
   * protocol, SASL with its JAAS config, TLS stores. Secrets are in here: never log the map.
   */
  public Map<String, String> clientProps() {
    Map<String, String> props = new LinkedHashMap<>();
    if (!isSet()) {
      return Collections.unmodifiableMap(props);
    }
    props.put("bootstrap.servers", bootstrapServers);
    props.put("security.protocol", protocol.name());
    mechanism.ifPresent(m -> sasl(m, props));
    if (protocol.tls()) {
      tls(props);
    }
    return Collections.unmodifiableMap(props);
  }

  /** {@link #clientProps()} with each key prefixed, e.g. {@code consumer.override.}. */
  public Map<String, String> withPrefix(String prefix) {
    Map<String, String> prefixed = new LinkedHashMap<>();
    clientProps().forEach((k, v) -> prefixed.put(prefix + k, v));
    return Collections.unmodifiableMap(prefixed);
  }

  private void sasl(Mechanism m, Map<String, String> props) {
    props.put("sasl.mechanism", m.kafkaName());
    switch (m) {
      case OAUTHBEARER:
        props.put("sasl.jaas.config", Jaas.oauth(clusterId, identityPoolId));
        props.put("sasl.login.callback.handler.class", OAUTH_CALLBACK_HANDLER);
        props.put("sasl.oauthbearer.token.endpoint.url", tokenEndpoint);
        props.put("sasl.oauthbearer.client.credentials.client.id", clientId);
        props.put("sasl.oauthbearer.client.credentials.client.secret", value(clientSecret));
        if (!scope.isEmpty()) {
          props.put("sasl.oauthbearer.scope", scope);
        }
        break;
      case PLAIN:
        props.put("sasl.jaas.config", Jaas.usernamePassword(Jaas.PLAIN, username, value(password)));
        break;
      case SCRAM_SHA_256:
      case SCRAM_SHA_512:
        props.put("sasl.jaas.config", Jaas.usernamePassword(Jaas.SCRAM, username, value(password)));
        break;
    }
  }

  private void tls(Map<String, String> props) {
    if (!caPem.isEmpty()) {
      props.put("ssl.truststore.type", "PEM");
      props.put("ssl.truststore.location", caPem);
    } else if (truststore.isSet()) {
      props.put("ssl.truststore.type", truststore.type());
      props.put("ssl.truststore.location", truststore.location());
      if (truststore.password() != null && !truststore.pem()) {
        props.put("ssl.truststore.password", truststore.password().value());
      }
    }
    if (keystore.isSet()) {
      props.put("ssl.keystore.type", keystore.type());
      props.put("ssl.keystore.location", keystore.location());
      if (keystore.password() != null) {
        // Kafka takes a PEM file's password as the password of its (encrypted) private key.
        props.put(
            keystore.pem() ? "ssl.key.password" : "ssl.keystore.password",
            keystore.password().value());
      }
    }
  }

  /** One line for logs: the cluster, protocol, mechanism and identity, never a secret. */
  public String describe() {
    if (!isSet()) {
      return "the worker's own cluster";
    }
    StringBuilder line = new StringBuilder(bootstrapServers).append(" over ").append(protocol);
    mechanism.ifPresent(m -> line.append(" with ").append(m.kafkaName()));
    mechanism.ifPresent(
        m -> {
          if (m == Mechanism.OAUTHBEARER) {
            line.append(" as client id ").append(orNone(clientId));
            if (!clusterId.isEmpty()) {
              line.append(", cluster ").append(clusterId);
            }
            if (!identityPoolId.isEmpty()) {
              line.append(", identity pool ").append(identityPoolId);
            }
          } else {
            line.append(" as ").append(orNone(username));
          }
        });
    if (protocol.tls()) {
      String trust = trustSource();
      line.append(", trusting ").append(trust.isEmpty() ? "the JVM's default CAs" : trust);
      if (keystore.isSet()) {
        line.append(", client certificate ").append(keystore.location());
      }
    }
    return line.toString();
  }

  /** The CA file the profile trusts (kafka.ssl.ca.pem or the trust store), or empty. */
  String trustSource() {
    return caPem.isEmpty() ? truststore.location() : caPem;
  }

  String clientId() {
    return clientId;
  }

  String username() {
    return username;
  }

  String clusterId() {
    return clusterId;
  }

  String identityPoolId() {
    return identityPoolId;
  }

  String caPem() {
    return caPem;
  }

  Store truststore() {
    return truststore;
  }

  Store keystore() {
    return keystore;
  }

  @Override
  public String toString() {
    return "KafkaProfile[" + describe() + "]";
  }

  private static String text(String s) {
    return s == null ? "" : s.strip();
  }

  private static String upper(String s) {
    return text(s).toUpperCase(Locale.ROOT);
  }

  private static String value(Password p) {
    return p == null ? "" : p.value();
  }

  private static String orNone(String s) {
    return s.isEmpty() ? "(none)" : s;
  }
}
