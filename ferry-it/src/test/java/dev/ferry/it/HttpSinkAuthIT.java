package dev.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.PlainClientSecret;
import dev.ferry.testkit.Answer;
import dev.ferry.testkit.ReceivedRequest;
import dev.ferry.testkit.ScriptedHttpTarget;
import dev.ferry.testkit.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.OAuth2Exception;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials and TLS end to end: what the target receives for each http.auth.type (the OAuth2
 * tokens from a real mock-oauth2-server), and TLS with a private CA and mutual TLS against an HTTPS
 * target.
 */
class HttpSinkAuthIT extends SinkTestBase {
  private static final String CLIENT_ID = "ferry-sink";
  private static final String CLIENT_SECRET = "client-secret-4b7e";
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestCertificates pki;

  @BeforeAll
  void createCertificates(@TempDir Path dir) {
    pki = TestCertificates.create(dir);
  }

  @Test
  void apiKeyHeaderIsSent() {
    cluster.createTopic(topic, 1);
    Map<String, String> config = sinkConfig("/keyed");
    config.put("http.auth.type", "header");
    config.put("http.auth.header.name", "apikey");
    config.put("http.auth.header.value", "SECRET-1");
    run(config);

    produce(1, 1);

    ReceivedRequest request = target.awaitReceived(1, WAIT).get(0);
    assertThat(request.header("apikey")).isEqualTo("SECRET-1");
    assertThat(request.header("Authorization")).isNull();
  }

  @Test
  void bearerHeader() {
    cluster.createTopic(topic, 1);
    Map<String, String> config = sinkConfig("/bearer");
    config.put("http.auth.type", "header");
    config.put("http.auth.header.value", "Bearer abc");
    run(config);

    produce(1, 1);

    assertThat(target.awaitReceived(1, WAIT).get(0).header("Authorization"))
        .isEqualTo("Bearer abc");
  }

  @Test
  void basicAuth() {
    cluster.createTopic(topic, 1);
    Map<String, String> config = sinkConfig("/basic");
    config.put("http.auth.type", "basic");
    config.put("http.auth.basic.username", "user");
    config.put("http.auth.basic.password", "pass");
    run(config);

    produce(1, 1);

    String expected =
        "Basic " + Base64.getEncoder().encodeToString("user:pass".getBytes(StandardCharsets.UTF_8));
    assertThat(target.awaitReceived(1, WAIT).get(0).header("Authorization")).isEqualTo(expected);
  }

  @Test
  void oauth2TokenIsFetchedCachedAndRenewedOnUnauthorized() throws Exception {
    CountingTokenCallback tokens = new CountingTokenCallback(3600);
    MockOAuth2Server oauth = startOAuth2(tokens);
    try {
      AtomicInteger rejected = new AtomicInteger();
      target.respondWith(r -> validBearer(r) ? null : reject(rejected));
      cluster.createTopic(topic, 1);
      run(oauth2Config(oauth));

      produce(1, 20);

      cluster.awaitCommittedTotal(group(), topic, 20, WAIT);
      List<ReceivedRequest> first = target.received();
      assertThat(first).hasSize(20);
      assertThat(authorizations(first)).hasSize(1);
      assertThat(tokens.accepted()).hasSize(1);

      // the target no longer takes the token: the sink fetches a new one and sends again
      target.enqueue(Answer.status(401));
      produce(1, 5, i -> "{\"seq\":" + (20 + i) + "}");

      cluster.awaitCommittedTotal(group(), topic, 25, WAIT);
      List<ReceivedRequest> all = target.received();
      assertThat(all).hasSize(26); // 25 records, one of them sent twice
      ReceivedRequest unauthorized = all.get(20);
      ReceivedRequest resent = all.get(21);
      assertThat(resent.bodyAsString()).isEqualTo(unauthorized.bodyAsString()).contains("20");
      assertThat(unauthorized.header("Authorization"))
          .isEqualTo(first.get(0).header("Authorization"));
      assertThat(resent.header("Authorization")).isNotEqualTo(unauthorized.header("Authorization"));
      assertThat(authorizations(all.subList(21, 26))).hasSize(1);
      assertThat(tokens.accepted()).hasSize(2);
      assertThat(rejected).hasValue(0);
      assertThat(cluster.connectorStatus(connector).tasks().get(0).state()).isEqualTo("RUNNING");
    } finally {
      oauth.shutdown();
    }
  }

  @Test
  void oauth2TokenRefreshedBeforeExpiry() throws Exception {
    CountingTokenCallback tokens = new CountingTokenCallback(3); // refreshed after half of it
    MockOAuth2Server oauth = startOAuth2(tokens);
    try {
      AtomicInteger rejected = new AtomicInteger();
      target.respondWith(r -> validBearer(r) ? null : reject(rejected));
      cluster.createTopic(topic, 1);
      run(oauth2Config(oauth));

      // two records every half second for 8 s
      int rounds = 16;
      for (int round = 0; round < rounds; round++) {
        int base = 2 * round;
        produce(1, 2, i -> "{\"seq\":" + (base + i) + "}");
        await("round " + round + " delivered, and half a second passed")
            .pollDelay(Duration.ofMillis(500))
            .atMost(WAIT)
            .until(() -> target.receivedCount() >= base + 2);
      }

      cluster.awaitCommittedTotal(group(), topic, 2L * rounds, WAIT);
      List<ReceivedRequest> all = target.received();
      assertThat(rejected).as("requests with an expired or missing token").hasValue(0);
      assertThat(all).hasSize(2 * rounds);
      assertThat(authorizations(all)).hasSizeGreaterThanOrEqualTo(2);
      assertThat(tokens.accepted()).hasSizeGreaterThanOrEqualTo(2);
      assertThat(cluster.connectorStatus(connector).tasks().get(0).state()).isEqualTo("RUNNING");
    } finally {
      oauth.shutdown();
    }
  }

  @Test
  void tlsWithPrivateCaTrustStore() {
    try (ScriptedHttpTarget tls = startTls(false)) {
      cluster.createTopic(topic, 1);
      Map<String, String> config = tlsConfig(tls, false);
      run(config);

      produce(1, 1);

      ReceivedRequest request = tls.awaitReceived(1, WAIT).get(0);
      assertThat(request.path()).isEqualTo("/secure");
      assertThat(request.bodyAsString()).isEqualTo("{\"seq\":0}");
      cluster.awaitCommittedTotal(group(), topic, 1, WAIT);
    }
  }

  @Test
  void tlsWithoutTrustStoreFailsClearly() {
    try (ScriptedHttpTarget tls = startTls(false)) {
      cluster.createTopic(topic, 1);
      Map<String, String> config = sinkConfig("/secure");
      config.put("http.url", tls.uri("/secure").toString());
      config.put("error.strategy", "STOP_TASK");
      run(config);

      produce(1, 1);

      String trace = cluster.awaitTaskFailed(connector, WAIT);
      // the JVM's default trust does not know the private CA
      assertThat(trace)
          .contains("network error: PKIX path building failed")
          .contains(topic + "/0@0")
          .contains("error.strategy=STOP_TASK");
      assertThat(tls.received()).isEmpty();
    }
  }

  @Test
  void mutualTls() {
    try (ScriptedHttpTarget tls = startTls(true)) {
      cluster.createTopic(topic, 1);
      run(tlsConfig(tls, true));

      produce(1, 1);

      assertThat(tls.awaitReceived(1, WAIT).get(0).bodyAsString()).isEqualTo("{\"seq\":0}");
      cluster.awaitCommittedTotal(group(), topic, 1, WAIT);

      // a second connector, on its own topic, without the client certificate
      cluster.deleteConnector(connector);
      connector = connector + "-no-cert";
      topic = topic + "-no-cert";
      cluster.createTopic(topic, 1);
      Map<String, String> noCert = tlsConfig(tls, false);
      noCert.put("error.strategy", "STOP_TASK");
      run(noCert);

      produce(1, 1);

      String trace = cluster.awaitTaskFailed(connector, WAIT);
      // the server refuses the handshake without a client certificate
      assertThat(trace)
          .contains("network error")
          .containsAnyOf("bad_certificate", "certificate_required")
          .contains(topic + "/0@0");
      assertThat(tls.received()).hasSize(1);
    }
  }

  private ScriptedHttpTarget startTls(boolean needClientAuth) {
    return ScriptedHttpTarget.startTls(
        pki.serverKeyStore(),
        pki.password(),
        needClientAuth,
        needClientAuth ? pki.trustStore() : null);
  }

  /** A config for the HTTPS target trusting the test CA, presenting the client certificate. */
  private Map<String, String> tlsConfig(ScriptedHttpTarget tls, boolean clientCertificate) {
    Map<String, String> config = sinkConfig("/secure");
    config.put("http.url", tls.uri("/secure").toString());
    config.put("http.ssl.truststore.location", pki.trustStore().toString());
    config.put("http.ssl.truststore.password", pki.password());
    config.put("http.ssl.truststore.type", "PKCS12");
    if (clientCertificate) {
      config.put("http.ssl.keystore.location", pki.clientKeyStore().toString());
      config.put("http.ssl.keystore.password", pki.password());
      config.put("http.ssl.keystore.type", "PKCS12");
    }
    return config;
  }

  private Map<String, String> oauth2Config(MockOAuth2Server oauth) {
    Map<String, String> config = sinkConfig("/protected");
    config.put("http.auth.type", "oauth2");
    config.put("http.auth.oauth2.token.url", oauth.tokenEndpointUrl("default").toString());
    config.put("http.auth.oauth2.client.id", CLIENT_ID);
    config.put("http.auth.oauth2.client.secret", CLIENT_SECRET);
    return config;
  }

  private static MockOAuth2Server startOAuth2(OAuth2TokenCallback callback) {
    OAuth2Config defaults = new OAuth2Config();
    MockOAuth2Server server =
        new MockOAuth2Server(
            new OAuth2Config(
                defaults.getInteractiveLogin(),
                defaults.getLoginPagePath(),
                defaults.getStaticAssetsPath(),
                defaults.getRotateRefreshToken(),
                defaults.getTokenProvider(),
                Set.of(callback),
                defaults.getHttpServer()));
    server.start(InetAddress.getLoopbackAddress(), 0);
    return server;
  }

  /** Whether the request carries a bearer JWT for this client that has not expired. */
  private static boolean validBearer(ReceivedRequest request) {
    String authorization = request.header("Authorization");
    if (authorization == null || !authorization.startsWith("Bearer ey")) {
      return false;
    }
    String[] parts = authorization.substring("Bearer ".length()).split("\\.", -1);
    try {
      JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
      return CLIENT_ID.equals(claims.path("sub").asText())
          && claims.path("exp").asLong() * 1000 > System.currentTimeMillis();
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static Answer reject(AtomicInteger rejected) {
    rejected.incrementAndGet();
    return Answer.status(401);
  }

  private static Set<String> authorizations(List<ReceivedRequest> requests) {
    return requests.stream().map(r -> r.header("Authorization")).collect(Collectors.toSet());
  }

  /**
   * Issues tokens for issuer {@code default} with a fixed lifetime, after checking the client's id
   * and secret (the server itself takes any); records each token request it accepts.
   */
  private static final class CountingTokenCallback implements OAuth2TokenCallback {
    private final long expirySeconds;
    private final List<TokenRequest> accepted = new CopyOnWriteArrayList<>();

    CountingTokenCallback(long expirySeconds) {
      this.expirySeconds = expirySeconds;
    }

    List<TokenRequest> accepted() {
      return List.copyOf(accepted);
    }

    @Override
    public String issuerId() {
      return "default";
    }

    @Override
    public String subject(TokenRequest request) {
      ClientAuthentication auth = request.getClientAuthentication();
      if (!(auth instanceof PlainClientSecret secret)
          || !secret.getClientID().getValue().equals(CLIENT_ID)
          || !secret.getClientSecret().getValue().equals(CLIENT_SECRET)) {
        throw new OAuth2Exception(
            OAuth2Error.INVALID_CLIENT.setDescription("Client authentication failed"),
            "wrong client credentials");
      }
      accepted.add(request);
      return CLIENT_ID;
    }

    @Override
    public String typeHeader(TokenRequest request) {
      return "JWT";
    }

    @Override
    public List<String> audience(TokenRequest request) {
      return List.of("target-api");
    }

    @Override
    public Map<String, Object> addClaims(TokenRequest request) {
      return Map.of();
    }

    @Override
    public long tokenExpiry() {
      return expirySeconds;
    }
  }
}
