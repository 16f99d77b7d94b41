package dev.ferry.connect.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.connect.sink.config.HttpSinkConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class KafkaProfileConfigTest {
  private static final String BOOTSTRAP = "pkc-abc123.us-east-1.aws.confluent.cloud:9092";

  private static Map<String, String> props(String... kv) {
    Map<String, String> props = new HashMap<>();
    props.put("kafka.bootstrap.servers", BOOTSTRAP);
    for (int i = 0; i < kv.length; i += 2) {
      props.put(kv[i], kv[i + 1]);
    }
    return props;
  }

  private static Map<String, List<String>> errors(Map<String, String> props) {
    return KafkaProfileConfig.crossFieldErrors(props);
  }

  @Test
  void definesEveryKeyInTheKafkaConnectionGroupWithDocsAndSecretsAsPasswords() {
    ConfigDef def = new ConfigDef();
    KafkaProfileConfig.define(def);

    assertThat(def.names())
        .containsExactlyInAnyOrder(
            "kafka.bootstrap.servers",
            "kafka.security.protocol",
            "kafka.sasl.mechanism",
            "kafka.sasl.username",
            "kafka.sasl.password",
            "kafka.oauth.client.id",
            "kafka.oauth.client.secret",
            "kafka.oauth.token.endpoint",
            "kafka.oauth.scope",
            "kafka.oauth.cluster.id",
            "kafka.oauth.identity.pool.id",
            "kafka.ssl.truststore.location",
            "kafka.ssl.truststore.password",
            "kafka.ssl.truststore.type",
            "kafka.ssl.keystore.location",
            "kafka.ssl.keystore.password",
            "kafka.ssl.keystore.type",
            "kafka.ssl.ca.pem",
            "kafka.allow.plaintext");
    def.configKeys()
        .values()
        .forEach(
            k -> {
              assertThat(k.group).isEqualTo("Kafka connection");
              assertThat(k.documentation).isNotBlank();
              assertThat(k.displayName).isNotBlank();
            });
    assertThat(def.configKeys())
        .allSatisfy(
            (name, key) -> {
              if (name.endsWith("password") || name.endsWith("secret")) {
                assertThat(key.type).isEqualTo(ConfigDef.Type.PASSWORD);
              }
            });
  }

  @Test
  void theSinkConfigCarriesTheProfileAndItsRules() {
    assertThat(HttpSinkConfig.CONFIG_DEF.names()).contains("kafka.bootstrap.servers");
    assertThat(HttpSinkConfig.crossFieldErrors(props("kafka.security.protocol", "PLAINTEXT")))
        .containsKey("kafka.security.protocol");
  }

  @Test
  void enumValuesAreCaseInsensitiveAndOthersRefused() {
    assertThat(
            KafkaProfileConfig.from(
                    props(
                        "kafka.security.protocol", "sasl_ssl",
                        "kafka.sasl.mechanism", "scram-sha-256",
                        "kafka.sasl.username", "u"))
                .mechanism())
        .contains(KafkaProfile.Mechanism.SCRAM_SHA_256);
    assertThatThrownBy(() -> KafkaProfileConfig.from(props("kafka.security.protocol", "TLS")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SASL_SSL, SSL, PLAINTEXT, SASL_PLAINTEXT");
    assertThatThrownBy(() -> KafkaProfileConfig.from(props("kafka.sasl.mechanism", "GSSAPI")))
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(
            () -> KafkaProfileConfig.from(props("kafka.oauth.token.endpoint", "idp/token")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("https://");
  }

  @Test
  void aWorkerProfileIsHeldToTheConnectorsRulesAndRefusesUnknownKeys() {
    KafkaProfile scram =
        KafkaProfileConfig.forWorker(
            props(
                "kafka.sasl.mechanism", "SCRAM-SHA-512",
                "kafka.sasl.username", "u",
                "kafka.sasl.password", "worker-secret"));
    assertThat(scram.clientProps())
        .containsEntry("bootstrap.servers", BOOTSTRAP)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512");

    assertThatThrownBy(
            () -> KafkaProfileConfig.forWorker(props("kafka.security.protocol", "PLAINTEXT")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.allow.plaintext=true");
    assertThatThrownBy(
            () ->
                KafkaProfileConfig.forWorker(
                    props(
                        "kafka.sasl.username", "u",
                        "kafka.sasl.pasword", "worker-secret")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("kafka.sasl.pasword is not a Kafka connection key")
        .hasMessageNotContaining("worker-secret");
    Map<String, String> noBrokers = props("kafka.sasl.username", "u");
    noBrokers.remove("kafka.bootstrap.servers");
    assertThatThrownBy(() -> KafkaProfileConfig.forWorker(noBrokers))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("kafka.bootstrap.servers is not set");
  }

  @Test
  void aConfluentCloudApiKeyProfileHasNoErrors() {
    assertThat(errors(props("kafka.sasl.username", "KEY", "kafka.sasl.password", "${env:SECRET}")))
        .isEmpty();
  }

  @Test
  void theSeedsOAuthProfileHasNoErrors() {
    assertThat(
            errors(
                props(
                    "kafka.oauth.client.id", "c",
                    "kafka.oauth.client.secret", "s",
                    "kafka.oauth.token.endpoint", "https://idp.example.com/token",
                    "kafka.oauth.cluster.id", "lkc-1",
                    "kafka.oauth.identity.pool.id", "pool-1")))
        .isEmpty();
  }

  @Test
  void plaintextIsRefusedUnlessAllowed() {
    assertThat(errors(props("kafka.security.protocol", "PLAINTEXT")).get("kafka.security.protocol"))
        .singleElement()
        .asString()
        .contains("kafka.security.protocol=PLAINTEXT sends data unencrypted")
        .contains("use SASL_SSL or SSL, or set kafka.allow.plaintext=true for local development");
    assertThat(
            errors(
                props(
                    "kafka.security.protocol", "PLAINTEXT",
                    "kafka.allow.plaintext", "true")))
        .isEmpty();
  }

  @Test
  void saslWithoutTlsIsRefusedForSendingCredentialsUnencrypted() {
    Map<String, String> p =
        props(
            "kafka.security.protocol", "SASL_PLAINTEXT",
            "kafka.sasl.username", "u",
            "kafka.sasl.password", "p");

    assertThat(errors(p).get("kafka.security.protocol"))
        .singleElement()
        .asString()
        .contains("sends credentials and data unencrypted");
    p.put("kafka.allow.plaintext", "true");
    assertThat(errors(p)).isEmpty();
  }

  @Test
  void oauthNeedsClientIdSecretAndTokenEndpoint() {
    Map<String, List<String>> e =
        errors(props("kafka.sasl.mechanism", "OAUTHBEARER", "kafka.oauth.scope", "kafka"));

    assertThat(e)
        .containsOnlyKeys(
            "kafka.oauth.client.id", "kafka.oauth.client.secret", "kafka.oauth.token.endpoint");
    assertThat(e.get("kafka.oauth.client.secret"))
        .singleElement()
        .asString()
        .startsWith(
            "kafka.oauth.client.secret is required when kafka.sasl.mechanism is OAUTHBEARER");
  }

  @Test
  void anHttpTokenEndpointIsRefusedUnlessPlaintextIsAllowed() {
    Map<String, String> p =
        props(
            "kafka.oauth.client.id", "c",
            "kafka.oauth.client.secret", "s",
            "kafka.oauth.token.endpoint", "http://localhost:8080/token");

    assertThat(errors(p).get("kafka.oauth.token.endpoint"))
        .singleElement()
        .asString()
        .contains("client secret would travel unencrypted");
    p.put("kafka.allow.plaintext", "true");
    assertThat(errors(p)).isEmpty();
  }

  @Test
  void plainAndScramNeedUsernameAndPassword() {
    assertThat(errors(props("kafka.sasl.mechanism", "PLAIN")))
        .containsOnlyKeys("kafka.sasl.username", "kafka.sasl.password");
    assertThat(errors(props("kafka.sasl.mechanism", "SCRAM-SHA-256", "kafka.sasl.username", "u")))
        .containsOnlyKeys("kafka.sasl.password");
  }

  @Test
  void saslSslWithoutAnyCredentialsSaysWhatToSet() {
    assertThat(errors(props()).get("kafka.sasl.mechanism"))
        .singleElement()
        .asString()
        .contains("no credentials are set")
        .contains("kafka.security.protocol=SSL");
  }

  @Test
  void credentialsOfTheOtherMechanismAreReportedAsNotUsed() {
    assertThat(
            errors(
                    props(
                        "kafka.sasl.username", "u",
                        "kafka.sasl.password", "p",
                        "kafka.oauth.cluster.id", "lkc-1"))
                .get("kafka.oauth.cluster.id"))
        .singleElement()
        .asString()
        .contains("not used with kafka.sasl.mechanism=PLAIN");
  }

  @Test
  void saslKeysWithSslOnlyAreReportedAsNotUsed() {
    assertThat(
            errors(props("kafka.security.protocol", "SSL", "kafka.sasl.username", "u"))
                .get("kafka.sasl.username"))
        .singleElement()
        .asString()
        .contains("not used with kafka.security.protocol=SSL");
  }

  @Test
  void aKeyStoreNeedsAPasswordUnlessItIsPem() {
    assertThat(
            errors(
                props("kafka.security.protocol", "SSL", "kafka.ssl.keystore.location", "/k.p12")))
        .containsOnlyKeys("kafka.ssl.keystore.password");
    assertThat(
            errors(
                props(
                    "kafka.security.protocol", "SSL",
                    "kafka.ssl.keystore.location", "/k.pem",
                    "kafka.ssl.keystore.type", "pem")))
        .isEmpty();
  }

  @Test
  void aPemCaAndATrustStoreTogetherAreRefusedOnBothKeys() {
    Map<String, List<String>> e =
        errors(
            props(
                "kafka.security.protocol", "SSL",
                "kafka.ssl.ca.pem", "/ca.pem",
                "kafka.ssl.truststore.location", "/t.p12"));

    assertThat(e).containsOnlyKeys("kafka.ssl.ca.pem", "kafka.ssl.truststore.location");
    assertThat(e.get("kafka.ssl.ca.pem")).singleElement().asString().contains("keep one");
  }

  @Test
  void aPemTrustStoreTakesNoPassword() {
    assertThat(
            errors(
                props(
                    "kafka.security.protocol", "SSL",
                    "kafka.ssl.ca.pem", "/ca.pem",
                    "kafka.ssl.truststore.password", "x")))
        .containsOnlyKeys("kafka.ssl.truststore.password");
  }

  @Test
  void tlsKeysWithPlaintextAreReportedAsNotUsed() {
    assertThat(
            errors(
                props(
                    "kafka.security.protocol", "PLAINTEXT",
                    "kafka.allow.plaintext", "true",
                    "kafka.ssl.ca.pem", "/ca.pem")))
        .containsOnlyKeys("kafka.ssl.ca.pem");
  }

  @Test
  void profileKeysWithoutBootstrapAreReportedAsIgnored() {
    Map<String, List<String>> e =
        errors(Map.of("kafka.sasl.username", "u", "kafka.sasl.password", "p", "topics", "t"));

    assertThat(e).containsOnlyKeys("kafka.sasl.username", "kafka.sasl.password");
    assertThat(e.get("kafka.sasl.username"))
        .singleElement()
        .asString()
        .contains("kafka.bootstrap.servers is not")
        .contains("worker's own cluster and ignores the kafka.* connection settings");
    assertThat(errors(Map.of("topics", "t"))).isEmpty();
  }
}
