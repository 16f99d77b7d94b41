package dev.ferry.connect.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.junit.jupiter.api.Test;

class KafkaProfileTest {
  private static final String BOOTSTRAP = "pkc-abc123.us-east-1.aws.confluent.cloud:9092";
  private static final String SECRET = "s3cr3t-API-SECRET";

  private static Map<String, String> props(String... kv) {
    Map<String, String> props = new HashMap<>();
    props.put("kafka.bootstrap.servers", BOOTSTRAP);
    for (int i = 0; i < kv.length; i += 2) {
      props.put(kv[i], kv[i + 1]);
    }
    return props;
  }

  @Test
  void apiKeyBecomesSaslSslPlainWithExactJaas() {
    KafkaProfile p =
        KafkaProfileConfig.from(
            props("kafka.sasl.username", "ABCKEY", "kafka.sasl.password", SECRET));

    assertThat(p.clientProps())
        .containsExactly(
            entry("bootstrap.servers", BOOTSTRAP),
            entry("security.protocol", "SASL_SSL"),
            entry("sasl.mechanism", "PLAIN"),
            entry(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required"
                    + " username=\"ABCKEY\" password=\"s3cr3t-API-SECRET\";"));
  }

  @Test
  void scramNamesItsMechanismAndUsesScramLoginModule() {
    KafkaProfile p =
        KafkaProfileConfig.from(
            props(
                "kafka.sasl.mechanism", "scram-sha-512",
                "kafka.sasl.username", "ferry",
                "kafka.sasl.password", "pw"));

    assertThat(p.clientProps())
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry(
            "sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"ferry\" password=\"pw\";");
  }

  @Test
  void oauthSendsClusterAndPoolAsSaslExtensionsAndKeepsProviderReferences() {
    KafkaProfile p =
        KafkaProfileConfig.from(
            props(
                "kafka.oauth.client.id", "ferry-client",
                "kafka.oauth.client.secret", "${env:OAUTH_SECRET}",
                "kafka.oauth.token.endpoint", "https://idp.example.com/oauth2/token",
                "kafka.oauth.scope", "kafka",
                "kafka.oauth.cluster.id", "lkc-abc123",
                "kafka.oauth.identity.pool.id", "pool-Ab1"));

    assertThat(p.clientProps())
        .containsExactly(
            entry("bootstrap.servers", BOOTSTRAP),
            entry("security.protocol", "SASL_SSL"),
            entry("sasl.mechanism", "OAUTHBEARER"),
            entry(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required"
                    + " extension_logicalCluster=\"lkc-abc123\""
                    + " extension_identityPoolId=\"pool-Ab1\";"),
            entry(
                "sasl.login.callback.handler.class",
                "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler"),
            entry("sasl.oauthbearer.token.endpoint.url", "https://idp.example.com/oauth2/token"),
            entry("sasl.oauthbearer.client.credentials.client.id", "ferry-client"),
            entry("sasl.oauthbearer.client.credentials.client.secret", "${env:OAUTH_SECRET}"),
            entry("sasl.oauthbearer.scope", "kafka"));
  }

  @Test
  void oauthLeavesOutScopeAndExtensionsThatAreNotSet() {
    KafkaProfile p =
        KafkaProfileConfig.from(
            props(
                "kafka.oauth.client.id", "ferry-client",
                "kafka.oauth.client.secret", "x",
                "kafka.oauth.token.endpoint", "https://idp.example.com/token",
                "kafka.oauth.cluster.id", "lkc-1"));

    assertThat(p.clientProps())
        .containsEntry(
            "sasl.jaas.config",
            "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required"
                + " extension_logicalCluster=\"lkc-1\";")
        .doesNotContainKey("sasl.oauthbearer.scope");
    assertThat(
            KafkaProfileConfig.from(
                    props(
                        "kafka.oauth.client.id", "c",
                        "kafka.oauth.client.secret", "x",
                        "kafka.oauth.token.endpoint", "https://idp.example.com/token"))
                .clientProps())
        .containsEntry(
            "sasl.jaas.config",
            "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;");
  }

  @Test
  void providerReferencesInsideJaasAreKeptForConnectToResolve() {
    KafkaProfile p =
        KafkaProfileConfig.from(
            props(
                "kafka.sasl.username",
                "${env:API_KEY}",
                "kafka.sasl.password",
                "${env:API_SECRET}"));

    assertThat(p.clientProps().get("sasl.jaas.config"))
        .isEqualTo(
            "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"${env:API_KEY}\" password=\"${env:API_SECRET}\";");
  }

  @Test
  void quotesAndBackslashesAreEscapedSoKafkaReadsTheValueBack() {
    String tricky = "a\"b\\c d;e=f";
    KafkaProfile p =
        KafkaProfileConfig.from(props("kafka.sasl.username", "key", "kafka.sasl.password", tricky));

    String jaas = p.clientProps().get("sasl.jaas.config");
    assertThat(jaas).contains("password=\"a\\\"b\\\\c d;e=f\"");
    List<AppConfigurationEntry> entries =
        JaasContext.loadClientContext(Map.of("sasl.jaas.config", new Password(jaas)))
            .configurationEntries();
    assertThat(entries.get(0).getOptions().get("password")).isEqualTo(tricky);
  }

  @Test
  void providerReferencesAreNotEscaped() {
    assertThat(Jaas.escape("${file:C:\\secrets\\kafka.properties:secret}\"x"))
        .isEqualTo("${file:C:\\secrets\\kafka.properties:secret}\\\"x");
  }

  @Test
  void pemCaFileBecomesAPemTrustStore() {
    KafkaProfile p =
        KafkaProfileConfig.from(
            props("kafka.security.protocol", "ssl", "kafka.ssl.ca.pem", "/etc/ferry/ca.pem"));

    assertThat(p.clientProps())
        .containsExactly(
            entry("bootstrap.servers", BOOTSTRAP),
            entry("security.protocol", "SSL"),
            entry("ssl.truststore.type", "PEM"),
            entry("ssl.truststore.location", "/etc/ferry/ca.pem"));
  }

  @Test
  void mtlsStoresMapToKafkaSslKeys() {
    KafkaProfile p =
        KafkaProfileConfig.from(
            props(
                "kafka.security.protocol", "SSL",
                "kafka.ssl.truststore.location", "/s/trust.jks",
                "kafka.ssl.truststore.type", "jks",
                "kafka.ssl.truststore.password", "tpw",
                "kafka.ssl.keystore.location", "/s/client.p12",
                "kafka.ssl.keystore.password", "kpw"));

    assertThat(p.clientProps())
        .containsEntry("ssl.truststore.location", "/s/trust.jks")
        .containsEntry("ssl.truststore.type", "JKS")
        .containsEntry("ssl.truststore.password", "tpw")
        .containsEntry("ssl.keystore.location", "/s/client.p12")
        .containsEntry("ssl.keystore.type", "PKCS12")
        .containsEntry("ssl.keystore.password", "kpw")
        .doesNotContainKey("sasl.mechanism");
  }

  @Test
  void pemKeyStorePasswordIsTheKeyPassword() {
    KafkaProfile p =
        KafkaProfileConfig.from(
            props(
                "kafka.security.protocol", "SSL",
                "kafka.ssl.keystore.location", "/s/client.pem",
                "kafka.ssl.keystore.type", "PEM",
                "kafka.ssl.keystore.password", "kpw"));

    assertThat(p.clientProps())
        .containsEntry("ssl.key.password", "kpw")
        .doesNotContainKey("ssl.keystore.password");
  }

  @Test
  void plaintextHasNoTlsOrSaslKeys() {
    KafkaProfile p =
        KafkaProfileConfig.from(
            props("kafka.security.protocol", "PLAINTEXT", "kafka.allow.plaintext", "true"));

    assertThat(p.clientProps())
        .containsExactly(
            entry("bootstrap.servers", BOOTSTRAP), entry("security.protocol", "PLAINTEXT"));
    assertThat(p.allowsPlaintext()).isTrue();
  }

  @Test
  void withoutBootstrapTheProfileIsNotSetAndAddsNothing() {
    KafkaProfile p = KafkaProfileConfig.from(Map.of("kafka.sasl.username", "x"));

    assertThat(p.isSet()).isFalse();
    assertThat(p.clientProps()).isEmpty();
    assertThat(p.describe()).isEqualTo("the worker's own cluster");
  }

  @Test
  void withPrefixPrefixesEveryKey() {
    KafkaProfile p =
        KafkaProfileConfig.from(props("kafka.sasl.username", "k", "kafka.sasl.password", "p"));

    assertThat(p.withPrefix("consumer.override."))
        .containsEntry("consumer.override.bootstrap.servers", BOOTSTRAP)
        .containsEntry("consumer.override.sasl.mechanism", "PLAIN")
        .hasSize(p.clientProps().size());
  }

  @Test
  void mechanismIsInferredFromTheCredentials() {
    assertThat(
            KafkaProfileConfig.from(props("kafka.oauth.client.id", "c", "kafka.sasl.username", "u"))
                .mechanism())
        .contains(KafkaProfile.Mechanism.OAUTHBEARER);
    assertThat(KafkaProfileConfig.from(props("kafka.sasl.username", "u")).mechanism())
        .contains(KafkaProfile.Mechanism.PLAIN);
    assertThat(
            KafkaProfileConfig.from(
                    props("kafka.security.protocol", "SSL", "kafka.sasl.username", "u"))
                .mechanism())
        .isEmpty();
  }

  @Test
  void describeAndToStringShowIdentityButNoSecret() {
    KafkaProfile plain =
        KafkaProfileConfig.from(
            props(
                "kafka.sasl.username",
                "ABCKEY",
                "kafka.sasl.password",
                SECRET,
                "kafka.ssl.truststore.location",
                "/s/trust.p12",
                "kafka.ssl.truststore.password",
                SECRET,
                "kafka.ssl.keystore.location",
                "/s/client.p12",
                "kafka.ssl.keystore.password",
                SECRET));
    KafkaProfile oauth =
        KafkaProfileConfig.from(
            props(
                "kafka.oauth.client.id", "ferry-client",
                "kafka.oauth.client.secret", SECRET,
                "kafka.oauth.token.endpoint", "https://idp.example.com/token",
                "kafka.oauth.cluster.id", "lkc-1"));

    assertThat(plain.describe())
        .isEqualTo(
            BOOTSTRAP
                + " over SASL_SSL with PLAIN as ABCKEY, trusting /s/trust.p12, client certificate"
                + " /s/client.p12");
    assertThat(oauth.describe())
        .isEqualTo(
            BOOTSTRAP
                + " over SASL_SSL with OAUTHBEARER as client id ferry-client, cluster lkc-1,"
                + " trusting the JVM's default CAs");
    for (KafkaProfile p : List.of(plain, oauth)) {
      assertThat(p.toString()).doesNotContain(SECRET).startsWith("KafkaProfile[");
      assertThat(p.describe()).doesNotContain(SECRET);
    }
  }
}
