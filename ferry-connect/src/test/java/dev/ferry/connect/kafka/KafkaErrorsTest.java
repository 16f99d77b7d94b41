package dev.ferry.connect.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.security.UnrecoverableKeyException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLHandshakeException;
import javax.security.auth.login.LoginException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

class KafkaErrorsTest {
  private static final String BOOTSTRAP = "pkc-abc123.us-east-1.aws.confluent.cloud:9092";
  private static final String SECRET = "s3cr3t-do-not-echo";
  private static final String TOKEN_URL = "https://idp.example.com/oauth2/token";

  private static final KafkaProfile PLAIN =
      profile("kafka.sasl.username", "ABCKEY", "kafka.sasl.password", SECRET);
  private static final KafkaProfile SCRAM =
      profile(
          "kafka.sasl.mechanism", "SCRAM-SHA-256",
          "kafka.sasl.username", "ferry",
          "kafka.sasl.password", SECRET);
  private static final KafkaProfile OAUTH =
      profile(
          "kafka.oauth.client.id", "ferry-client",
          "kafka.oauth.client.secret", SECRET,
          "kafka.oauth.token.endpoint", TOKEN_URL,
          "kafka.oauth.cluster.id", "lkc-abc123",
          "kafka.oauth.identity.pool.id", "pool-Ab1");
  private static final KafkaProfile MTLS =
      profile(
          "kafka.security.protocol", "SSL",
          "kafka.ssl.ca.pem", "/etc/ferry/ca.pem",
          "kafka.ssl.keystore.location", "/etc/ferry/client.p12",
          "kafka.ssl.keystore.password", SECRET);

  private static KafkaProfile profile(String... kv) {
    Map<String, String> props = new HashMap<>();
    props.put("kafka.bootstrap.servers", BOOTSTRAP);
    for (int i = 0; i < kv.length; i += 2) {
      props.put(kv[i], kv[i + 1]);
    }
    return KafkaProfileConfig.from(props);
  }

  /** What Kafka's admin client throws when the OAuth login fails in its constructor. */
  private static Throwable loginFailure(String stackTraceText) {
    return new KafkaException(
        "Failed to create new KafkaAdminClient",
        new KafkaException(new LoginException(stackTraceText)));
  }

  private static String translate(Throwable e, KafkaProfile p) {
    String message = KafkaErrors.translate(e, p);
    assertThat(message).doesNotContain(SECRET);
    return message;
  }

  @Test
  void refusedApiKeyNamesBothKeysAndTheExpiredKeyCase() {
    assertThat(translate(new SaslAuthenticationException("Authentication failed " + SECRET), PLAIN))
        .isEqualTo(
            "authentication with "
                + BOOTSTRAP
                + " failed: the API key or secret was refused: check kafka.sasl.username (ABCKEY)"
                + " and kafka.sasl.password (an expired or revoked key gives this too: create a"
                + " new key pair)");
  }

  @Test
  void refusedScramUserNamesTheMechanism() {
    assertThat(translate(new SaslAuthenticationException(SECRET), SCRAM))
        .contains("SCRAM-SHA-256 user or password was refused")
        .contains("kafka.sasl.username (ferry) and kafka.sasl.password");
  }

  @Test
  void brokerRejectingTheTokenPointsAtClusterAndPool() {
    assertThat(translate(new SaslAuthenticationException("invalid_token " + SECRET), OAUTH))
        .contains("rejected the OAuth token of client id ferry-client")
        .contains("kafka.oauth.cluster.id (lkc-abc123)")
        .contains("kafka.oauth.identity.pool.id (pool-Ab1)")
        .contains("audience");
  }

  @Test
  void tokenEndpointRefusingTheClientNamesClientIdAndSecret() {
    Throwable e =
        loginFailure(
            "org.apache.kafka.common.KafkaException: java.io.IOException: The response code 401"
                + " and error response {invalid_client - client secret "
                + SECRET
                + " is wrong} was encountered reading the token endpoint response; will not"
                + " attempt further retries\n\tat org.apache.kafka...");

    assertThat(translate(e, OAUTH))
        .isEqualTo(
            "the token endpoint "
                + TOKEN_URL
                + " refused the client (HTTP 401): check kafka.oauth.client.id (ferry-client) and"
                + " kafka.oauth.client.secret");
  }

  @Test
  void tokenEndpointUnreachableSaysWhy() {
    assertThat(
            translate(
                loginFailure(
                    "org.apache.kafka.common.KafkaException: java.net.ConnectException:"
                        + " Connection refused"),
                OAUTH))
        .isEqualTo(
            "could not reach kafka.oauth.token.endpoint "
                + TOKEN_URL
                + ": the connection was refused; check the URL's host and port");
    assertThat(translate(loginFailure("java.net.UnknownHostException: idp.example.com"), OAUTH))
        .contains("its host name does not resolve");
  }

  @Test
  void tokenEndpointNotAllowedByTheJvmSaysWhichPropertyToSet() {
    Throwable e =
        new KafkaException(
            "Failed to create new KafkaAdminClient",
            new ConfigException(
                "The URL cannot be accessed due to restrictions. Update the system property"
                    + " 'org.apache.kafka.sasl.oauthbearer.allowed.urls' to allow the URL to be"
                    + " accessed."));

    assertThat(translate(e, OAUTH))
        .contains("-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls=" + TOKEN_URL);
  }

  @Test
  void tokenEndpointUserInfoAndQueryAreNotShown() {
    KafkaProfile p =
        profile(
            "kafka.oauth.client.id", "c",
            "kafka.oauth.client.secret", "x",
            "kafka.oauth.token.endpoint",
                "https://user:" + SECRET + "@idp.example.com/t?k=" + SECRET);

    assertThat(translate(loginFailure("The response code 403 and error response"), p))
        .contains("https://idp.example.com/t refused the client (HTTP 403)");
  }

  @Test
  void missingJose4jOnTheWorkerIsTold() {
    Throwable e =
        new KafkaException(
            "Failed to create new KafkaAdminClient",
            new KafkaException(
                new NoClassDefFoundError("org/jose4j/keys/resolvers/VerificationKeyResolver")));

    assertThat(translate(e, OAUTH)).contains("needs the jose4j library");
  }

  @Test
  void saslAgainstAListenerWithoutSaslIsTold() {
    assertThat(
            translate(
                new org.apache.kafka.common.errors.IllegalSaslStateException(
                    "Unexpected handshake request with client mechanism PLAIN, enabled mechanisms"
                        + " are []"),
                PLAIN))
        .isEqualTo(
            "the listener at "
                + BOOTSTRAP
                + " does not use SASL: use its SASL listener (another port), or set"
                + " kafka.security.protocol to SSL (or PLAINTEXT) to match this one");
    assertThat(
            translate(
                new org.apache.kafka.common.errors.UnsupportedSaslMechanismException(
                    "Client SASL mechanism 'SCRAM-SHA-256' not enabled in the server, enabled"
                        + " mechanisms are [PLAIN]"),
                SCRAM))
        .contains("do not accept SASL mechanism SCRAM-SHA-256");
  }

  @Test
  void untrustedBrokerCertificateNamesTheTrustKeys() {
    Throwable e =
        new SslAuthenticationException(
            "SSL handshake failed",
            new SSLHandshakeException(
                "PKIX path building failed: unable to find valid certification path to requested"
                    + " target"));

    assertThat(translate(e, MTLS))
        .isEqualTo(
            "TLS handshake with "
                + BOOTSTRAP
                + " failed: the broker's certificate is not trusted (or has expired): check"
                + " kafka.ssl.truststore.location (or kafka.ssl.ca.pem); /etc/ferry/ca.pem must"
                + " hold the CA that signs the brokers' certificates");
    assertThat(translate(e, PLAIN)).contains("neither is set");
  }

  @Test
  void requiredClientCertificateNamesTheKeyStore() {
    Throwable e =
        new SslAuthenticationException(
            "SSL handshake failed",
            new SSLHandshakeException("Received fatal alert: certificate_required"));

    assertThat(translate(e, MTLS))
        .contains("require a client certificate")
        .contains("kafka.ssl.keystore.location (/etc/ferry/client.p12)");
  }

  @Test
  void hostNameMismatchAndNonTlsPortAreTold() {
    assertThat(
            translate(
                new SslAuthenticationException(
                    "x", new SSLHandshakeException("No subject alternative DNS name matching")),
                MTLS))
        .contains("does not name the host");
    assertThat(
            translate(
                new SslAuthenticationException(
                    "x", new javax.net.ssl.SSLException("Unsupported or unrecognized SSL message")),
                MTLS))
        .contains("port is not a TLS listener");
  }

  @Test
  void keyStoreWithWrongPasswordIsNamed() {
    Throwable e =
        new KafkaException(
            "Failed to create new KafkaAdminClient",
            new KafkaException(
                "Failed to load SSL keystore /etc/ferry/client.p12 of type PKCS12",
                new IOException(
                    "keystore password was incorrect",
                    new UnrecoverableKeyException("failed to decrypt safe contents entry"))));

    assertThat(translate(e, MTLS))
        .isEqualTo(
            "cannot load kafka.ssl.keystore.location (/etc/ferry/client.p12): the password is"
                + " wrong: check kafka.ssl.keystore.password");
  }

  @Test
  void missingPemCaFileIsNamed() {
    Throwable e =
        new KafkaException(
            "Failed to load PEM SSL keystore /etc/ferry/ca.pem",
            new NoSuchFileException("/etc/ferry/ca.pem"));

    assertThat(translate(e, MTLS))
        .isEqualTo(
            "cannot load kafka.ssl.ca.pem (/etc/ferry/ca.pem): the file does not exist or cannot"
                + " be read by the worker");
  }

  @Test
  void topicAuthorizationNamesTopicsAndPrincipal() {
    assertThat(translate(new TopicAuthorizationException(SECRET, Set.of("orders")), PLAIN))
        .startsWith("the credentials of ABCKEY lack permission on topic(s) orders at " + BOOTSTRAP)
        .contains("grant the principal an ACL")
        .contains("global access key");
  }

  @Test
  void groupAuthorizationNamesTheGroup() {
    assertThat(translate(new GroupAuthorizationException(SECRET, "connect-catalog"), OAUTH))
        .startsWith(
            "the credentials of client id ferry-client lack READ permission on consumer group"
                + " connect-catalog");
  }

  @Test
  void unknownTopicNamesTopicAndCluster() {
    assertThat(
            KafkaErrors.translateForTopic(
                new ExecutionException(
                    new UnknownTopicOrPartitionException(
                        "This server does not host this topic-partition.")),
                PLAIN,
                "orders"))
        .startsWith("topic orders does not exist on " + BOOTSTRAP + ": check the topic name");
  }

  @Test
  void recordTooLargeGivesSizeAndLimit() {
    assertThat(
            translate(
                new RecordTooLargeException(
                    "The message is 2097152 bytes when serialized which is larger than 1048576,"
                        + " which is the value of the max.request.size configuration."),
                PLAIN))
        .startsWith(
            "a record of 2097152 bytes exceeds the limit of 1048576 bytes (max.request.size;")
        .contains("max.message.bytes, default 1 MB");
    assertThat(
            translate(
                new RecordTooLargeException(
                    "The request included a message larger than the max message size the server"
                        + " will accept."),
                PLAIN))
        .contains("max.message.bytes, default 1 MB");
  }

  @Test
  void timeoutSaysWhichAddressWasTriedAndWhatToCheck() {
    assertThat(
            translate(
                new ExecutionException(
                    new TimeoutException(
                        "Timed out waiting for a node assignment. Call: describeCluster")),
                PLAIN))
        .isEqualTo(
            "could not reach the brokers at "
                + BOOTSTRAP
                + ": check the address and port (Confluent Cloud listens on 9092; self-managed TLS"
                + " listeners often on 9093), firewalls and network policies, and that"
                + " kafka.security.protocol=SASL_SSL fits the listener");
    assertThat(
            translate(
                new TimeoutException("Topic orders not present in metadata after 60000 ms."),
                PLAIN))
        .startsWith("the topic did not appear in the metadata of " + BOOTSTRAP + " within 60 s");
  }

  @Test
  void unresolvableBootstrapIsTold() {
    assertThat(
            translate(
                new KafkaException(
                    "Failed to create new KafkaAdminClient",
                    new ConfigException("No resolvable bootstrap urls given in bootstrap.servers")),
                PLAIN))
        .startsWith("none of the brokers in kafka.bootstrap.servers (" + BOOTSTRAP + ") resolves");
  }

  @Test
  void unknownErrorsGiveOnlyTheirTypeAndNullProfileMeansTheWorkersCluster() {
    assertThat(KafkaErrors.translate(new IllegalStateException("boom " + SECRET), null))
        .isEqualTo(
            "Kafka at the worker's own cluster failed with IllegalStateException: test the"
                + " profile with bin/ferry check-connection, or see the worker log (DEBUG for"
                + " org.apache.kafka)");
  }

  @Test
  void aCyclicCauseChainEnds() {
    RuntimeException a = new RuntimeException(SECRET);
    RuntimeException b = new RuntimeException(SECRET, a);
    a.initCause(b);

    assertThat(translate(a, PLAIN)).contains("RuntimeException");
  }

  @Test
  void noTranslationEchoesASecretFromAnyMessage() {
    List<Throwable> errors =
        List.of(
            new SaslAuthenticationException(SECRET),
            new SslAuthenticationException(SECRET, new SSLHandshakeException(SECRET)),
            new TopicAuthorizationException(SECRET),
            new GroupAuthorizationException(SECRET),
            new UnknownTopicOrPartitionException(SECRET),
            new RecordTooLargeException(SECRET),
            new TimeoutException(SECRET),
            new KafkaException(SECRET, new LoginException(SECRET)),
            new KafkaException(SECRET, new ConfigException(SECRET)),
            new KafkaException("Failed to load SSL keystore " + SECRET, new IOException(SECRET)),
            new IllegalArgumentException(SECRET));
    for (KafkaProfile p : List.of(PLAIN, SCRAM, OAUTH, MTLS)) {
      for (Throwable e : errors) {
        assertThat(KafkaErrors.translate(e, p)).isNotBlank().doesNotContain(SECRET);
        assertThat(KafkaErrors.translateForTopic(e, p, "orders")).doesNotContain(SECRET);
      }
    }
  }
}
