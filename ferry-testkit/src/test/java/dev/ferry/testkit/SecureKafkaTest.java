package dev.ferry.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real clients against a real {@link SecureKafka}: every listener, mechanism and refusal. */
class SecureKafkaTest {
  private static final String AUDIENCE = "kafka-broker";
  private static final String OAUTH_CLIENT = "ferry-connector";
  private static final String ISSUER = "default";
  private static final String OTHER_ISSUER = "other";
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static MockOAuth2Server oauthServer;
  private static SecureKafka kafka;
  private static int topics;

  @BeforeAll
  static void start() throws Exception {
    oauthServer = startOAuthServer();
    kafka =
        SecureKafka.builder()
            .addPlainUser("alice", "alice-secret")
            .addPlainUser("bob", "bob-secret")
            .oauth(
                oauthServer.jwksUrl(ISSUER).toString(),
                oauthServer.tokenEndpointUrl(ISSUER).toString(),
                AUDIENCE)
            .messageMaxBytes(10_000)
            .start();
    kafka.addScramUser("SCRAM-SHA-256", "carol", "carol-secret");
    kafka.addScramUser("SCRAM-SHA-512", "dave", "dave-secret");
  }

  @AfterAll
  static void stop() {
    try {
      if (kafka != null) {
        kafka.close();
      }
    } finally {
      if (oauthServer != null) {
        oauthServer.shutdown();
      }
    }
  }

  @Test
  void plainWithRightPasswordProducesAndConsumes() {
    assertRoundTrip(saslSsl("PLAIN", plainJaas("alice", "alice-secret")));
  }

  @Test
  void plainWithWrongPasswordFailsAuthentication() {
    assertThatThrownBy(
            () -> produce(saslSsl("PLAIN", plainJaas("alice", "wrong")), newTopic(), "x"))
        .hasCauseInstanceOf(SaslAuthenticationException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"SCRAM-SHA-256", "SCRAM-SHA-512"})
  void scramWithRightPasswordProducesAndConsumes(String mechanism) {
    assertRoundTrip(saslSsl(mechanism, scramUser(mechanism)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"SCRAM-SHA-256", "SCRAM-SHA-512"})
  void scramWithWrongPasswordFailsAuthentication(String mechanism) {
    String user = mechanism.endsWith("256") ? "carol" : "dave";
    assertThatThrownBy(() -> produce(saslSsl(mechanism, scramJaas(user, "wrong")), newTopic(), "x"))
        .hasCauseInstanceOf(SaslAuthenticationException.class);
  }

  @Test
  void mutualTlsWithClientCertificateProducesAndConsumes() {
    Map<String, Object> props = ssl();
    props.put("ssl.keystore.type", "PKCS12");
    props.put("ssl.keystore.location", kafka.clientKeystore().path().toString());
    props.put("ssl.keystore.password", kafka.clientKeystore().password());
    assertRoundTrip(props);
  }

  @Test
  void sslWithoutClientCertificateFailsHandshake() {
    assertThatThrownBy(() -> produce(ssl(), newTopic(), "x"))
        .hasCauseInstanceOf(SslAuthenticationException.class);
  }

  @Test
  void oauthBearerClientCredentialsTokenWorksAndBrokerRecordsExtensions() {
    assertRoundTrip(oauthBearer(oauthServer.tokenEndpointUrl(ISSUER).toString()));

    assertThat(kafka.oauthExtensionsSeen())
        .contains(Map.of("logicalCluster", "lkc-1", "identityPoolId", "pool-1"));
    assertThat(kafka.oauthLogins()).extracting(OAuthLogin::principal).contains(OAUTH_CLIENT);
  }

  @Test
  void oauthBearerTokenOfAnotherIssuerIsRefused() {
    String otherTokenUrl = oauthServer.tokenEndpointUrl(OTHER_ISSUER).toString();
    SecureKafka.allowOAuthUrls(otherTokenUrl);

    assertThatThrownBy(() -> produce(oauthBearer(otherTokenUrl), newTopic(), "x"))
        .hasCauseInstanceOf(SaslAuthenticationException.class);
  }

  @Test
  void oauthBearerTokenForAnotherAudienceIsRefused() {
    oauthServer.enqueueCallback(
        new DefaultOAuth2TokenCallback(
            ISSUER, OAUTH_CLIENT, "JWT", List.of("another-api"), Map.of(), 3600));

    assertThatThrownBy(
            () ->
                produce(
                    oauthBearer(oauthServer.tokenEndpointUrl(ISSUER).toString()), newTopic(), "x"))
        .hasCauseInstanceOf(SaslAuthenticationException.class);
  }

  @Test
  void denyAclGivesTopicAuthorizationExceptionToThatPrincipalOnly() {
    String topic = newTopic();
    kafka.denyTopic("User:alice", topic, AclOperation.WRITE);

    assertThatThrownBy(
            () -> produce(saslSsl("PLAIN", plainJaas("alice", "alice-secret")), topic, "x"))
        .hasCauseInstanceOf(TopicAuthorizationException.class);
    produce(saslSsl("PLAIN", plainJaas("bob", "bob-secret")), topic, "still allowed");
  }

  @Test
  void recordOverMessageMaxBytesIsRejectedAsTooLarge() {
    String big = "x".repeat(20_000);
    assertThatThrownBy(
            () -> produce(saslSsl("PLAIN", plainJaas("alice", "alice-secret")), newTopic(), big))
        .hasCauseInstanceOf(RecordTooLargeException.class);
  }

  @Test
  void saslPlaintextListenerAcceptsPlainWithoutTls() {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", kafka.bootstrap(SecureKafka.SASL_PLAINTEXT));
    props.put("security.protocol", "SASL_PLAINTEXT");
    props.put("sasl.mechanism", "PLAIN");
    props.put("sasl.jaas.config", plainJaas("alice", "alice-secret"));
    assertRoundTrip(props);
  }

  @Test
  void unknownListenerNameIsRefused() {
    assertThatThrownBy(() -> kafka.bootstrap("PLAINTEXT"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SASL_SSL");
  }

  /** Client credentials from {@code tokenUrl}, and two SASL extensions. */
  private static Map<String, Object> oauthBearer(String tokenUrl) {
    Map<String, Object> props =
        saslSsl(
            "OAUTHBEARER",
            "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required"
                + " clientId=\""
                + OAUTH_CLIENT
                + "\" clientSecret=\"any-secret\" scope=\"kafka\""
                + " extension_logicalCluster=\"lkc-1\" extension_identityPoolId=\"pool-1\";");
    props.put(
        "sasl.login.callback.handler.class",
        "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler");
    props.put("sasl.oauthbearer.token.endpoint.url", tokenUrl);
    return props;
  }

  /** Issuers {@value #ISSUER} (whose keys the broker trusts) and {@value #OTHER_ISSUER}. */
  private static MockOAuth2Server startOAuthServer() {
    OAuth2Config defaults = new OAuth2Config();
    MockOAuth2Server server =
        new MockOAuth2Server(
            new OAuth2Config(
                defaults.getInteractiveLogin(),
                defaults.getLoginPagePath(),
                defaults.getStaticAssetsPath(),
                defaults.getRotateRefreshToken(),
                defaults.getTokenProvider(),
                Set.of(
                    new DefaultOAuth2TokenCallback(
                        ISSUER, OAUTH_CLIENT, "JWT", List.of(AUDIENCE), Map.of(), 3600),
                    new DefaultOAuth2TokenCallback(
                        OTHER_ISSUER, OAUTH_CLIENT, "JWT", List.of(AUDIENCE), Map.of(), 3600)),
                defaults.getHttpServer()));
    server.start(InetAddress.getLoopbackAddress(), 0);
    return server;
  }

  /** Produces one record, then reads it back with a consumer of the same security settings. */
  private static void assertRoundTrip(Map<String, Object> security) {
    String topic = newTopic();
    String value = "hello over " + security.get("security.protocol");
    produce(security, topic, value);
    assertThat(consumeOne(security, topic)).isEqualTo(value);
  }

  private static synchronized String newTopic() {
    String topic = "secure-" + ++topics;
    kafka.createTopic(topic, 1);
    return topic;
  }

  /** Sends one record and waits for its ack; a failure is rethrown with the Kafka cause. */
  private static void produce(Map<String, Object> security, String topic, String value) {
    Map<String, Object> props = new HashMap<>(security);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, value)).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("produce to " + topic + " failed", kafkaCause(e));
    }
  }

  private static String consumeOne(Map<String, Object> security, String topic) {
    Map<String, Object> props = new HashMap<>(security);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<String> seen = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      await("a record from " + topic)
          .atMost(WAIT)
          .pollDelay(Duration.ZERO)
          .until(
              () -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                  seen.add(r.value());
                }
                return !seen.isEmpty();
              });
    }
    return seen.get(0);
  }

  /** The exception Kafka raised: the cause of an {@code ExecutionException}, else itself. */
  private static Throwable kafkaCause(Exception e) {
    return e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
  }

  private static Map<String, Object> saslSsl(String mechanism, String jaas) {
    Map<String, Object> props = trusting(kafka.bootstrap(SecureKafka.SASL_SSL));
    props.put("security.protocol", "SASL_SSL");
    props.put("sasl.mechanism", mechanism);
    props.put("sasl.jaas.config", jaas);
    return props;
  }

  private static Map<String, Object> ssl() {
    Map<String, Object> props = trusting(kafka.bootstrap(SecureKafka.SSL));
    props.put("security.protocol", "SSL");
    return props;
  }

  private static Map<String, Object> trusting(String bootstrap) {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", bootstrap);
    props.put("ssl.truststore.type", kafka.truststore().type());
    props.put("ssl.truststore.location", kafka.truststore().path().toString());
    props.put("ssl.truststore.password", kafka.truststore().password());
    return props;
  }

  private static String scramUser(String mechanism) {
    return mechanism.endsWith("256")
        ? scramJaas("carol", "carol-secret")
        : scramJaas("dave", "dave-secret");
  }

  private static String plainJaas(String user, String password) {
    return jaas("org.apache.kafka.common.security.plain.PlainLoginModule", user, password);
  }

  private static String scramJaas(String user, String password) {
    return jaas("org.apache.kafka.common.security.scram.ScramLoginModule", user, password);
  }

  private static String jaas(String module, String user, String password) {
    return module + " required username=\"" + user + "\" password=\"" + password + "\";";
  }
}
