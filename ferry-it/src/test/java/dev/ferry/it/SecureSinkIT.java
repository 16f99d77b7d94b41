package dev.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testkit.ConnectTestCluster;
import dev.ferry.testkit.SecureKafka;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A sink on a worker of its own cluster reading from another, secured cluster through the {@code
 * kafka.*} profile: PLAIN, SCRAM, OAUTHBEARER and mTLS, plaintext refused, and the translated
 * answers of {@code validate} when something is wrong.
 */
class SecureSinkIT extends SinkTestBase {
  static final String ISSUER = "ferry-idp";
  static final String AUDIENCE = "kafka";
  static final Duration TOKEN_LIFETIME = Duration.ofSeconds(6);

  private SecureKafka secure;
  private MockOAuth2Server oauth;
  private Path secrets;

  @Override
  @BeforeAll
  void startCluster() {
    try {
      secrets = Files.createTempDirectory("ferry-secrets").resolve("kafka.properties");
      Files.writeString(
          secrets,
          "plain=" + TestSecrets.PLAIN_PASSWORD + "\nscram=" + TestSecrets.SCRAM_PASSWORD + "\n");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    oauth = startOAuth();
    secure =
        SecureKafka.builder()
            .addPlainUser("alice", TestSecrets.PLAIN_PASSWORD)
            .oauth(
                oauth.jwksUrl(ISSUER).toString(),
                oauth.tokenEndpointUrl(ISSUER).toString(),
                AUDIENCE)
            // Sessions must re-authenticate, so each new token is presented to the broker.
            .brokerProp("connections.max.reauth.ms", "3000")
            .start();
    secure.addScramUser("SCRAM-SHA-512", "carol", TestSecrets.SCRAM_PASSWORD);
    cluster =
        ConnectTestCluster.builder()
            .pluginPath(Path.of(System.getProperty("ferry.plugin.path")))
            .workerProp("rest.extension.classes", "dev.ferry.connect.rest.FerryRestExtension")
            .workerProp("config.providers", "file")
            .workerProp(
                "config.providers.file.class",
                "org.apache.kafka.common.config.provider.FileConfigProvider")
            .start();
  }

  @Override
  @AfterAll
  void stopCluster() {
    try {
      super.stopCluster();
    } finally {
      try {
        if (secure != null) {
          secure.close();
        }
      } finally {
        if (oauth != null) {
          oauth.shutdown();
        }
      }
    }
  }

  private static MockOAuth2Server startOAuth() {
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
                        ISSUER,
                        "ferry-sink",
                        "JWT",
                        List.of(AUDIENCE),
                        Map.of(),
                        TOKEN_LIFETIME.toSeconds())),
                defaults.getHttpServer()));
    server.start(InetAddress.getLoopbackAddress(), 0);
    return server;
  }

  /** A sink reading this test's topic on the secure cluster over SASL_SSL. */
  private Map<String, String> saslSsl(String mechanism) {
    Map<String, String> c = sinkConfig("/secure");
    c.put("kafka.bootstrap.servers", secure.bootstrap(SecureKafka.SASL_SSL));
    c.put("kafka.security.protocol", "SASL_SSL");
    c.put("kafka.sasl.mechanism", mechanism);
    c.put("kafka.ssl.ca.pem", secure.caPem().toString());
    return c;
  }

  private Map<String, String> plain(String password) {
    Map<String, String> c = saslSsl("PLAIN");
    c.put("kafka.sasl.username", "alice");
    c.put("kafka.sasl.password", password);
    return c;
  }

  private String fromFile(String key) {
    return "${file:" + secrets + ":" + key + "}";
  }

  private void produceSecure(int from, int count) {
    Map<String, Object> props =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            secure.internalBootstrap(),
            ProducerConfig.ACKS_CONFIG,
            "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      for (int i = from; i < from + count; i++) {
        acks.add(producer.send(new ProducerRecord<>(topic, "k" + i, "{\"seq\":" + i + "}")));
      }
      for (Future<RecordMetadata> ack : acks) {
        ack.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not produce to the secure cluster", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private List<String> validationErrors(Map<String, String> config, String key) {
    ConfigInfos infos =
        cluster.connect().validateConnectorConfig("HttpSinkConnector", new HashMap<>(config));
    List<String> errors = new ArrayList<>();
    infos.configs().stream()
        .filter(c -> c.configValue().name().equals(key))
        .forEach(c -> errors.addAll(c.configValue().errors()));
    return errors;
  }

  @Test
  void plainWithTheApiSecretFromAFileDeliversAndTheSecretIsNeverStored() {
    secure.createTopic(topic, 2);
    Map<String, String> config = plain(fromFile("plain"));
    run(config);
    produceSecure(0, 50);
    target.awaitRecords(50, WAIT);

    Map<String, String> stored = cluster.connect().connectorInfo(connector).config();
    assertThat(stored.get("consumer.override.sasl.jaas.config"))
        .contains("${file:")
        .doesNotContain(TestSecrets.PLAIN_PASSWORD);
    assertThat(stored.toString()).doesNotContain(TestSecrets.PLAIN_PASSWORD);
    assertThat(cluster.connectorStatus(connector).toString())
        .doesNotContain(TestSecrets.PLAIN_PASSWORD);
  }

  @Test
  void aWrongApiSecretIsRefusedNamingTheCredentialsToCheck() {
    secure.createTopic(topic, 1);
    List<String> errors =
        validationErrors(plain(TestSecrets.WRONG_PASSWORD), "kafka.bootstrap.servers");
    assertThat(errors)
        .anySatisfy(
            e ->
                assertThat(e)
                    .contains("kafka.sasl.username")
                    .contains("kafka.sasl.password")
                    .doesNotContain(TestSecrets.WRONG_PASSWORD));
  }

  @Test
  void scramSha512DeliversAndAWrongPasswordIsRefused() {
    secure.createTopic(topic, 1);
    Map<String, String> config = saslSsl("SCRAM-SHA-512");
    config.put("kafka.sasl.username", "carol");
    config.put("kafka.sasl.password", TestSecrets.WRONG_PASSWORD);
    assertThat(validationErrors(config, "kafka.bootstrap.servers"))
        .anySatisfy(e -> assertThat(e).contains("kafka.sasl.password"));

    config.put("kafka.sasl.password", fromFile("scram"));
    run(config);
    produceSecure(0, 20);
    target.awaitRecords(20, WAIT);
  }

  @Test
  void aPasswordChangedOnTheClusterFailsTheTaskWithFerrysAnswerInItsStatus() {
    secure.createTopic(topic, 1);
    String user = "dave-" + connector;
    secure.addScramUser("SCRAM-SHA-512", user, TestSecrets.SCRAM_PASSWORD);
    Map<String, String> config = saslSsl("SCRAM-SHA-512");
    config.put("kafka.sasl.username", user);
    config.put("kafka.sasl.password", fromFile("scram"));
    run(config);
    produceSecure(0, 10);
    target.awaitRecords(10, WAIT);

    // The password is rotated on the cluster, not in the connector: the next login is refused.
    secure.addScramUser("SCRAM-SHA-512", user, TestSecrets.WRONG_PASSWORD);
    cluster.connect().restartTask(connector, 0);
    String trace = cluster.awaitTaskFailed(connector, WAIT);

    assertThat(trace)
        .startsWith(
            "Ferry: authentication with "
                + secure.bootstrap(SecureKafka.SASL_SSL)
                + " failed: the SCRAM-SHA-512 user or password was refused: check"
                + " kafka.sasl.username ("
                + user
                + ") and kafka.sasl.password")
        .contains("\n\norg.apache.kafka.common.errors.SaslAuthenticationException");
    assertNoSecretIn(rawGet("connectors/" + connector + "/status"), "Ferry: authentication");
    assertNoSecretIn(
        rawGet("connectors/" + connector + "/tasks/0/status"), "Ferry: authentication");
    assertNoSecretIn(rawGet("connectors?expand=status"), "Ferry: authentication");
  }

  @Test
  void aTopicDeniedWhileRunningFailsTheTaskNamingTheTopicInItsStatus() {
    secure.createTopic(topic, 1);
    run(plain(fromFile("plain")));
    produceSecure(0, 10);
    target.awaitRecords(10, WAIT);

    secure.denyAll("alice", topic);
    String trace = cluster.awaitTaskFailed(connector, WAIT);

    assertThat(trace)
        .startsWith(
            "Ferry: the credentials of alice lack permission on topic(s) "
                + topic
                + " at "
                + secure.bootstrap(SecureKafka.SASL_SSL))
        .contains("org.apache.kafka.common.errors.TopicAuthorizationException");
    assertNoSecretIn(rawGet("connectors/" + connector + "/status"), "Ferry: the credentials");
  }

  /** The body of a GET on the worker's REST API, as it is sent. */
  private String rawGet(String resource) {
    String url = cluster.connect().endpointForResource(resource);
    return String.valueOf(cluster.connect().requestGet(url).getEntity());
  }

  /** The body has {@code expected} and no test secret (not shown when it fails, for it is one). */
  private static void assertNoSecretIn(String body, String expected) {
    assertThat(body).contains(expected);
    for (String secret : TestSecrets.ALL) {
      assertThat(body.contains(secret)).as("a test secret appears in the response").isFalse();
    }
  }

  @Test
  void mutualTlsDeliversWithTheClientCertificate() {
    secure.createTopic(topic, 1);
    Map<String, String> config = sinkConfig("/secure");
    config.put("kafka.bootstrap.servers", secure.bootstrap(SecureKafka.SSL));
    config.put("kafka.security.protocol", "SSL");
    config.put("kafka.ssl.truststore.location", secure.truststore().path().toString());
    config.put("kafka.ssl.truststore.password", secure.truststore().password());
    config.put("kafka.ssl.truststore.type", "PKCS12");
    config.put("kafka.ssl.keystore.location", secure.clientKeystore().path().toString());
    config.put("kafka.ssl.keystore.password", secure.clientKeystore().password());
    config.put("kafka.ssl.keystore.type", "PKCS12");
    run(config);
    produceSecure(0, 20);
    target.awaitRecords(20, WAIT);
  }

  @Test
  void oauthTokensAreRefreshedAcrossSeveralLifetimesWithTheSeedsExtensions() {
    secure.createTopic(topic, 1);
    Map<String, String> config = saslSsl("OAUTHBEARER");
    config.put("kafka.oauth.client.id", "ferry-sink");
    config.put("kafka.oauth.client.secret", TestSecrets.OAUTH_SECRET);
    config.put("kafka.oauth.token.endpoint", oauth.tokenEndpointUrl(ISSUER).toString());
    config.put("kafka.oauth.scope", "kafka");
    config.put("kafka.oauth.cluster.id", "lkc-ferry1");
    config.put("kafka.oauth.identity.pool.id", "pool-ferry1");
    config.put("kafka.allow.plaintext", "true"); // the test's token endpoint is http://
    // Refresh early and often: the tokens live 6 s.
    config.put("consumer.override.sasl.login.refresh.min.period.seconds", "1");
    config.put("consumer.override.sasl.login.refresh.buffer.seconds", "1");
    run(config);
    int loginsBefore = secure.oauthLogins().size();

    long end = System.nanoTime() + TOKEN_LIFETIME.multipliedBy(3).plusSeconds(2).toNanos();
    int sent = 0;
    while (System.nanoTime() < end) {
      produceSecure(sent, 10);
      sent += 10;
      int expected = sent;
      target.awaitRecords(expected, WAIT);
    }
    assertThat(cluster.connectorStatus(connector).tasks())
        .allSatisfy(t -> assertThat(t.state()).isEqualTo("RUNNING"));
    assertThat(secure.oauthLogins().size() - loginsBefore)
        .as("the consumer re-authenticated with fresh tokens")
        .isGreaterThanOrEqualTo(3);
    assertThat(secure.oauthExtensionsSeen())
        .contains(Map.of("logicalCluster", "lkc-ferry1", "identityPoolId", "pool-ferry1"));
  }

  @Test
  void plaintextIsRefusedUnlessExplicitlyAllowed() {
    secure.createTopic(topic, 1);
    Map<String, String> config = plain(fromFile("plain"));
    config.put("kafka.bootstrap.servers", secure.bootstrap(SecureKafka.SASL_PLAINTEXT));
    config.put("kafka.security.protocol", "SASL_PLAINTEXT");
    config.remove("kafka.ssl.ca.pem");
    assertThat(validationErrors(config, "kafka.security.protocol"))
        .anySatisfy(e -> assertThat(e).contains("kafka.allow.plaintext"));

    config.put("kafka.allow.plaintext", "true");
    run(config);
    produceSecure(0, 10);
    target.awaitRecords(10, WAIT);
  }

  @Test
  void aTopicDeniedByAclAnUnknownTopicAndAnUnreachableBrokerAreNamed() throws IOException {
    secure.createTopic(topic, 1);
    secure.denyAll("alice", topic);
    assertThat(validationErrors(plain(fromFile("plain")), "kafka.bootstrap.servers"))
        .anySatisfy(e -> assertThat(e).contains(topic).containsIgnoringCase("permission"));

    Map<String, String> unknown = plain(fromFile("plain"));
    unknown.put("topics", topic + "-missing");
    assertThat(validationErrors(unknown, "kafka.bootstrap.servers"))
        .anySatisfy(e -> assertThat(e).contains(topic + "-missing").contains("does not exist"));

    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Map<String, String> unreachable = plain(fromFile("plain"));
    unreachable.put("kafka.bootstrap.servers", "127.0.0.1:" + closed);
    assertThat(validationErrors(unreachable, "kafka.bootstrap.servers"))
        .anySatisfy(e -> assertThat(e).contains("127.0.0.1:" + closed));
  }
}
