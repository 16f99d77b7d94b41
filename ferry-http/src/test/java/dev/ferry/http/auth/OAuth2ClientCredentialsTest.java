package dev.ferry.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.SignedJWT;
import dev.ferry.http.HttpSender;
import dev.ferry.http.HttpSettings;
import dev.ferry.http.Request;
import dev.ferry.http.Response;
import dev.ferry.http.Secret;
import dev.ferry.http.testing.CheckingTokenCallback;
import dev.ferry.http.testing.OAuth2Servers;
import dev.ferry.http.testing.TargetServer;
import dev.ferry.http.testing.TestClock;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OAuth2ClientCredentialsTest {
  private static final String CLIENT_ID = "ferry-sink";
  private static final String CLIENT_SECRET = "client-secret-7f3a";

  private final CheckingTokenCallback tokens = new CheckingTokenCallback(CLIENT_ID, CLIENT_SECRET);
  private final TestClock clock = new TestClock(Instant.now());
  private MockOAuth2Server oauth;
  private TargetServer target;
  private URI tokenEndpoint;

  @BeforeEach
  void start() throws Exception {
    oauth = OAuth2Servers.start(tokens);
    tokenEndpoint = oauth.tokenEndpointUrl("default").uri();
    target = TargetServer.http();
  }

  @AfterEach
  void stop() throws Exception {
    if (target != null) {
      target.close();
    }
    if (oauth != null) {
      oauth.shutdown();
    }
  }

  private OAuth2ClientCredentials.Builder auth(String secret) {
    return OAuth2ClientCredentials.builder(tokenEndpoint, CLIENT_ID, Secret.of(secret))
        .clock(clock);
  }

  private Response send(HttpSender sender) throws Exception {
    return sender.send(new Request("POST", target.uri(), List.of(), new byte[] {'x'}));
  }

  @Test
  void fetchesTokenOnceAndSendsItAsBearerOnEveryRequest() throws Exception {
    try (HttpSender sender = new HttpSender(HttpSettings.defaults(), auth(CLIENT_SECRET).build())) {
      for (int i = 0; i < 5; i++) {
        assertThat(send(sender).status()).isEqualTo(200);
      }
    }
    assertThat(tokens.accepted()).hasSize(1);
    List<String> seen = target.authorizations();
    assertThat(seen).hasSize(5).containsOnly(seen.get(0));
    SignedJWT jwt = SignedJWT.parse(seen.get(0).substring("Bearer ".length()));
    assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(CLIENT_ID);
    assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("target-api");
  }

  @Test
  void fetchesOneTokenForManyConcurrentCallers() throws Exception {
    OAuth2ClientCredentials auth = auth(CLIENT_SECRET).build();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Set<String>>> callers = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        callers.add(
            () -> {
              Set<String> values = ConcurrentHashMap.newKeySet();
              for (int i = 0; i < 25; i++) {
                values.add(auth.headers().get("Authorization"));
              }
              return values;
            });
      }
      Set<String> all = new java.util.HashSet<>();
      for (Future<Set<String>> result : pool.invokeAll(callers)) {
        all.addAll(result.get());
      }
      assertThat(all).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(tokens.accepted()).hasSize(1);
  }

  @Test
  void refreshesTokenBeforeItExpires() throws Exception {
    tokens.expiry(60);
    OAuth2ClientCredentials auth = auth(CLIENT_SECRET).refreshMargin(Duration.ofSeconds(2)).build();
    String first = auth.headers().get("Authorization");

    clock.advance(Duration.ofSeconds(56));
    assertThat(auth.headers().get("Authorization")).isEqualTo(first);
    assertThat(tokens.accepted()).hasSize(1);

    clock.advance(Duration.ofSeconds(2)); // 58 s: within 2 s of the 60 s expiry
    assertThat(auth.headers().get("Authorization")).isNotEqualTo(first).startsWith("Bearer ");
    assertThat(tokens.accepted()).hasSize(2);
  }

  @Test
  void capsTheRefreshMarginAtHalfTheTokenLifetime() throws Exception {
    tokens.expiry(10); // the default 30 s margin would refresh on every request
    OAuth2ClientCredentials auth = auth(CLIENT_SECRET).build();
    String first = auth.headers().get("Authorization");

    clock.advance(Duration.ofSeconds(4));
    assertThat(auth.headers().get("Authorization")).isEqualTo(first);
    assertThat(tokens.accepted()).hasSize(1);

    clock.advance(Duration.ofSeconds(2)); // 6 s: past half of the 10 s lifetime
    assertThat(auth.headers().get("Authorization")).isNotEqualTo(first);
    assertThat(tokens.accepted()).hasSize(2);
  }

  @Test
  void renewsTokenOnceWhenTheTargetAnswers401() throws Exception {
    target.answerNext(401);
    try (HttpSender sender = new HttpSender(HttpSettings.defaults(), auth(CLIENT_SECRET).build())) {
      assertThat(send(sender).status()).isEqualTo(200);
    }
    assertThat(tokens.accepted()).hasSize(2);
    List<String> seen = target.authorizations();
    assertThat(seen).hasSize(2);
    assertThat(seen.get(1)).isNotEqualTo(seen.get(0)).startsWith("Bearer ");
  }

  @Test
  void givesUpAfterOneRenewalWhenTheTargetKeepsAnswering401() throws Exception {
    target.answerNext(401);
    target.answerNext(401);
    try (HttpSender sender = new HttpSender(HttpSettings.defaults(), auth(CLIENT_SECRET).build())) {
      assertThat(send(sender).status()).isEqualTo(401);
    }
    assertThat(tokens.accepted()).hasSize(2);
    assertThat(target.authorizations()).hasSize(2);
  }

  @Test
  void keepsTheCurrentTokenWhenAnEarlyRefreshFails() throws Exception {
    tokens.expiry(60);
    OAuth2ClientCredentials auth =
        auth(CLIENT_SECRET).refreshMargin(Duration.ofSeconds(20)).build();
    String first = auth.headers().get("Authorization");
    oauth.shutdown();
    oauth = null; // stopped for good: every refresh from now on fails

    clock.advance(Duration.ofSeconds(50)); // within the margin, the refresh fails
    assertThat(auth.headers().get("Authorization")).isEqualTo(first);

    clock.advance(Duration.ofSeconds(10)); // expired: the failure surfaces
    assertThatThrownBy(auth::headers)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Could not reach the OAuth2 token endpoint " + tokenEndpoint);
  }
}
