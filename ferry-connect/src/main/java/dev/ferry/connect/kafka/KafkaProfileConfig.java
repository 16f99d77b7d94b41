package dev.ferry.connect.kafka;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Type.BOOLEAN;
import static org.apache.kafka.common.config.ConfigDef.Type.PASSWORD;
import static org.apache.kafka.common.config.ConfigDef.Type.STRING;

import dev.ferry.connect.kafka.KafkaProfile.Mechanism;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/**
 * The {@code kafka.*} keys: the connection profile of a cluster other than the worker's own (the
 * seeds' brokers, OAuth client, API key, SCRAM user, mTLS stores). Absent {@code
 * kafka.bootstrap.servers}, the pipeline uses the worker's cluster.
 */
public final class KafkaProfileConfig {
  public static final String GROUP = "Kafka connection";
  public static final String PREFIX = "kafka.";
  public static final String BOOTSTRAP = "kafka.bootstrap.servers";
  public static final String SECURITY_PROTOCOL = "kafka.security.protocol";
  public static final String SASL_MECHANISM = "kafka.sasl.mechanism";
  public static final String SASL_USERNAME = "kafka.sasl.username";
  public static final String SASL_PASSWORD = "kafka.sasl.password";
  public static final String OAUTH_CLIENT_ID = "kafka.oauth.client.id";
  public static final String OAUTH_CLIENT_SECRET = "kafka.oauth.client.secret";
  public static final String OAUTH_TOKEN_ENDPOINT = "kafka.oauth.token.endpoint";
  public static final String OAUTH_SCOPE = "kafka.oauth.scope";
  public static final String OAUTH_CLUSTER_ID = "kafka.oauth.cluster.id";
  public static final String OAUTH_POOL_ID = "kafka.oauth.identity.pool.id";
  public static final String TRUSTSTORE = "kafka.ssl.truststore.location";
  public static final String TRUSTSTORE_PASSWORD = "kafka.ssl.truststore.password";
  public static final String TRUSTSTORE_TYPE = "kafka.ssl.truststore.type";
  public static final String KEYSTORE = "kafka.ssl.keystore.location";
  public static final String KEYSTORE_PASSWORD = "kafka.ssl.keystore.password";
  public static final String KEYSTORE_TYPE = "kafka.ssl.keystore.type";
  public static final String CA_PEM = "kafka.ssl.ca.pem";
  public static final String ALLOW_PLAINTEXT = "kafka.allow.plaintext";

  /** The profile's keys alone, for parsing a profile out of any map. */
  static final ConfigDef DEF = definition();

  private static final String SECRET =
      " Never logged; give it through a config provider, e.g. ${env:NAME} or"
          + " ${file:/path/secrets.properties:key}.";

  private KafkaProfileConfig() {}

  private static ConfigDef definition() {
    ConfigDef def = new ConfigDef();
    define(def);
    return def;
  }

  /** Adds every {@code kafka.*} key to {@code def}, in group {@value #GROUP}. */
  public static void define(ConfigDef def) {
    int order = 0;
    ConfigDef.Validator stores = ProfileValidators.oneOf(false, "PKCS12", "JKS", "PEM");
    def.define(
            BOOTSTRAP,
            STRING,
            "",
            HIGH,
            "The brokers of the cluster the pipeline reads from (or writes to), as host:port pairs,"
                + " comma-separated (the"
                + " seed's Brokers, e.g. pkc-abc123.us-east-1.aws.confluent.cloud:9092). Empty:"
                + " the worker's own cluster, and the other kafka.* keys are not used.",
            GROUP,
            ++order,
            Width.LONG,
            "Brokers")
        .define(
            SECURITY_PROTOCOL,
            STRING,
            "SASL_SSL",
            ProfileValidators.oneOf(false, "SASL_SSL", "SSL", "PLAINTEXT", "SASL_PLAINTEXT"),
            HIGH,
            "SASL_SSL (credentials over TLS: Confluent Cloud, OAuth, API keys, SCRAM); SSL (TLS"
                + " only, optionally with a client certificate: mTLS); PLAINTEXT and"
                + " SASL_PLAINTEXT send data (and credentials) unencrypted and are refused unless"
                + " kafka.allow.plaintext=true.",
            GROUP,
            ++order,
            Width.SHORT,
            "Security protocol")
        .define(
            SASL_MECHANISM,
            STRING,
            "",
            ProfileValidators.oneOf(true, "OAUTHBEARER", "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"),
            HIGH,
            "How a SASL client authenticates. Empty: OAUTHBEARER when kafka.oauth.client.id is"
                + " set, else PLAIN when kafka.sasl.username is set. SCRAM must be named.",
            GROUP,
            ++order,
            Width.SHORT,
            "SASL mechanism")
        .define(
            SASL_USERNAME,
            STRING,
            "",
            HIGH,
            "For PLAIN and SCRAM: the user name; on Confluent Cloud, the API key.",
            GROUP,
            ++order,
            Width.MEDIUM,
            "SASL user name (API key)")
        .define(
            SASL_PASSWORD,
            PASSWORD,
            null,
            HIGH,
            "For PLAIN and SCRAM: the password; on Confluent Cloud, the API secret." + SECRET,
            GROUP,
            ++order,
            Width.MEDIUM,
            "SASL password (API secret)")
        .define(
            OAUTH_CLIENT_ID,
            STRING,
            "",
            HIGH,
            "For OAUTHBEARER: the OAuth client id (client-credentials grant).",
            GROUP,
            ++order,
            Width.MEDIUM,
            "OAuth client id")
        .define(
            OAUTH_CLIENT_SECRET,
            PASSWORD,
            null,
            HIGH,
            "For OAUTHBEARER: the OAuth client secret." + SECRET,
            GROUP,
            ++order,
            Width.MEDIUM,
            "OAuth client secret")
        .define(
            OAUTH_TOKEN_ENDPOINT,
            STRING,
            "",
            ProfileValidators.url(),
            HIGH,
            "For OAUTHBEARER: the token endpoint URL (the seed's Auth Token Endpoint). Kafka 4"
                + " only calls URLs the JVM allows: start the worker with"
                + " -Dorg.apache.kafka.sasl.oauthbearer.allowed.urls=<this URL> (e.g. in"
                + " FERRY_JAVA_OPTS).",
            GROUP,
            ++order,
            Width.LONG,
            "OAuth token endpoint")
        .define(
            OAUTH_SCOPE,
            STRING,
            "",
            MEDIUM,
            "For OAUTHBEARER: the scope to ask for; empty for none.",
            GROUP,
            ++order,
            Width.MEDIUM,
            "OAuth scope")
        .define(
            OAUTH_CLUSTER_ID,
            STRING,
            "",
            MEDIUM,
            "For OAUTHBEARER: the logical cluster id, e.g. lkc-abc123 on Confluent Cloud; sent as"
                + " the SASL extension logicalCluster. Empty: not sent.",
            GROUP,
            ++order,
            Width.MEDIUM,
            "Cluster id")
        .define(
            OAUTH_POOL_ID,
            STRING,
            "",
            MEDIUM,
            "For OAUTHBEARER: the identity pool id, e.g. pool-AbCd on Confluent Cloud; sent as the"
                + " SASL extension identityPoolId. Empty: not sent.",
            GROUP,
            ++order,
            Width.MEDIUM,
            "Identity pool id")
        .define(
            TRUSTSTORE,
            STRING,
            "",
            MEDIUM,
            "A trust store with the CAs that sign the brokers' certificates; empty for the JVM's"
                + " default CAs (enough for Confluent Cloud). For one PEM file, kafka.ssl.ca.pem is"
                + " simpler.",
            GROUP,
            ++order,
            Width.LONG,
            "Trust store")
        .define(
            TRUSTSTORE_PASSWORD,
            PASSWORD,
            null,
            LOW,
            "The trust store's password; none for PEM." + SECRET,
            GROUP,
            ++order,
            Width.MEDIUM,
            "Trust store password")
        .define(
            TRUSTSTORE_TYPE,
            STRING,
            "PKCS12",
            stores,
            LOW,
            "PKCS12, JKS or PEM (a file of CA certificates).",
            GROUP,
            ++order,
            Width.SHORT,
            "Trust store type")
        .define(
            KEYSTORE,
            STRING,
            "",
            MEDIUM,
            "For mTLS: a key store with the client certificate and its key; empty for none.",
            GROUP,
            ++order,
            Width.LONG,
            "Key store")
        .define(
            KEYSTORE_PASSWORD,
            PASSWORD,
            null,
            MEDIUM,
            "The key store's password, required for PKCS12 and JKS; for PEM, the password of an"
                + " encrypted private key (empty for an unencrypted one)."
                + SECRET,
            GROUP,
            ++order,
            Width.MEDIUM,
            "Key store password")
        .define(
            KEYSTORE_TYPE,
            STRING,
            "PKCS12",
            stores,
            LOW,
            "PKCS12, JKS or PEM (a PKCS#8 private key followed by the certificate chain).",
            GROUP,
            ++order,
            Width.SHORT,
            "Key store type")
        .define(
            CA_PEM,
            STRING,
            "",
            MEDIUM,
            "A PEM file of the CA certificates to trust (instead of kafka.ssl.truststore.*), e.g."
                + " the CA of a self-managed cluster.",
            GROUP,
            ++order,
            Width.LONG,
            "CA certificates (PEM)")
        .define(
            ALLOW_PLAINTEXT,
            BOOLEAN,
            false,
            LOW,
            "Accept PLAINTEXT and SASL_PLAINTEXT (and an http:// token endpoint), which send data"
                + " and credentials unencrypted: for local development only.",
            GROUP,
            ++order,
            Width.SHORT,
            "Allow plaintext");
  }

  /** The profile of a parsed config whose ConfigDef includes {@link #define}'s keys. */
  public static KafkaProfile from(AbstractConfig c) {
    return new KafkaProfile(c);
  }

  /**
   * The profile in raw connector props (other keys are ignored).
   *
   * @throws org.apache.kafka.common.config.ConfigException when a kafka.* value is invalid
   */
  public static KafkaProfile from(Map<String, String> props) {
    return new KafkaProfile(new AbstractConfig(DEF, props, false));
  }

  /**
   * The profile of a worker's own cluster ({@code bin/ferry up --kafka-config FILE}), held to the
   * rules of a connector's: kafka.bootstrap.servers is required, every key must be a profile key,
   * and nothing goes in plaintext unless kafka.allow.plaintext=true. Config provider references
   * must be resolved already.
   *
   * @throws ConfigException naming the key at fault and the fix (never a secret value)
   */
  public static KafkaProfile forWorker(Map<String, String> props) {
    for (String key : props.keySet()) {
      if (!DEF.names().contains(key)) {
        throw new ConfigException(
            key
                + " is not a Kafka connection key: use the kafka.* keys of a connector profile"
                + " (kafka.security.protocol, kafka.sasl.*, kafka.oauth.*, kafka.ssl.*,"
                + " kafka.allow.plaintext; see docs/http-sink-connector.md), or remove it");
      }
    }
    String bootstrap = props.get(BOOTSTRAP);
    if (bootstrap == null || bootstrap.isBlank()) {
      throw new ConfigException(
          BOOTSTRAP + " is not set: name the cluster's brokers, host:port[,host:port...]");
    }
    Map<String, List<String>> errors = crossFieldErrors(props);
    if (!errors.isEmpty()) {
      throw new ConfigException(
          errors.values().stream().flatMap(List::stream).collect(Collectors.joining("; ")));
    }
    return from(props);
  }

  /** Rules across the kafka.* keys, as messages per key; each names the key and the fix. */
  public static Map<String, List<String>> crossFieldErrors(Map<String, String> props) {
    return KafkaProfileRules.errors(props);
  }

  /** The mechanism given, or the one the credentials imply: OAuth client id, else a user name. */
  static Optional<Mechanism> mechanismOf(String given, String clientId, String username) {
    if (given != null && !given.isBlank()) {
      return Optional.of(Mechanism.parse(given));
    }
    if (clientId != null && !clientId.isBlank()) {
      return Optional.of(Mechanism.OAUTHBEARER);
    }
    if (username != null && !username.isBlank()) {
      return Optional.of(Mechanism.PLAIN);
    }
    return Optional.empty();
  }
}
