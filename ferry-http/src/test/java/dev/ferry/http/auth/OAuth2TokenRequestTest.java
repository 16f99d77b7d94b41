package dev.ferry.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import dev.ferry.http.Secret;
import dev.ferry.http.testing.CheckingTokenCallback;
import dev.ferry.http.testing.OAuth2Servers;
import dev.ferry.http.testing.TargetServer;
import dev.ferry.http.testing.TestClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The token request itself, and the errors of a token endpoint. */
class OAuth2TokenRequestTest {
  private static final String CLIENT_ID = "ferry-sink";
  private static final String CLIENT_SECRET = "client-secret-7f3a";

  private final CheckingTokenCallback tokens = new CheckingTokenCallback(CLIENT_ID, CLIENT_SECRET);
  private MockOAuth2Server oauth;
  private URI tokenEndpoint;

  @BeforeEach
  void start() throws Exception {
    oauth = OAuth2Servers.start(tokens);
    tokenEndpoint = oauth.tokenEndpointUrl("default").uri();
  }

  @AfterEach
  void stop() {
    oauth.shutdown();
  }

  private OAuth2ClientCredentials.Builder auth(String secret) {
    return OAuth2ClientCredentials.builder(tokenEndpoint, CLIENT_ID, Secret.of(secret));
  }

  @Test
  void sendsClientCredentialsAsBasicByDefault() throws Exception {
    auth(CLIENT_SECRET).scope("orders.write audit").build().headers();
    var request = tokens.accepted().get(0);
    assertThat(request.getClientAuthentication().getMethod())
        .isEqualTo(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
    assertThat(request.getScope().toStringList()).containsExactly("orders.write", "audit");
  }

  @Test
  void sendsClientCredentialsInTheBodyWhenAsked() throws Exception {
    auth(CLIENT_SECRET).clientAuthMethod(ClientAuthMethod.BODY).build().headers();
    assertThat(tokens.accepted().get(0).getClientAuthentication().getMethod())
        .isEqualTo(ClientAuthenticationMethod.CLIENT_SECRET_POST);
  }

  @Test
  void wrongClientSecretGivesAClearMessageWithoutTheSecret() {
    OAuth2ClientCredentials auth = auth("wrong-secret-9c1d").build();
    IOException error = catchThrowableOfType(IOException.class, auth::headers);
    assertThat(error)
        .hasMessageContaining("The OAuth2 token endpoint " + tokenEndpoint)
        .hasMessageContaining("HTTP 401, error=invalid_client (")
        .hasMessageContaining("check http.auth.oauth2.client.id / client.secret")
        .hasMessageNotContaining("wrong-secret-9c1d");
    assertThat(error.getMessage()).containsIgnoringCase("client authentication failed");
    assertThat(auth.renewAfterUnauthorized()).isFalse();
    assertThat(auth.toString()).doesNotContain("wrong-secret-9c1d");
  }

  @Test
  void unreachableTokenEndpointNamesTheUrl() throws Exception {
    int freePort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      freePort = socket.getLocalPort();
    }
    URI nowhere = URI.create("http://127.0.0.1:" + freePort + "/oauth2/token");
    OAuth2ClientCredentials auth =
        OAuth2ClientCredentials.builder(nowhere, CLIENT_ID, Secret.of(CLIENT_SECRET)).build();
    assertThatThrownBy(auth::headers)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Could not reach the OAuth2 token endpoint " + nowhere)
        .hasMessageContaining("check http.auth.oauth2.token.url")
        .hasMessageNotContaining(CLIENT_SECRET);
  }

  @Test
  void anEndpointThatIsNotATokenEndpointSaysToCheckTheUrl() throws Exception {
    try (TargetServer api = TargetServer.http()) {
      OAuth2ClientCredentials auth =
          OAuth2ClientCredentials.builder(api.uri(), CLIENT_ID, Secret.of(CLIENT_SECRET)).build();
      api.answerNext(404);
      assertThatThrownBy(auth::headers)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("The OAuth2 token endpoint " + api.uri())
          .hasMessageContaining("HTTP 404")
          .hasMessageEndingWith("check http.auth.oauth2.token.url");
      assertThatThrownBy(auth::headers) // 200 with "{}"
          .isInstanceOf(IOException.class)
          .hasMessageContaining("answered HTTP 200 but without an access_token")
          .hasMessageContaining("check http.auth.oauth2.token.url");
    }
  }

  @Test
  void rejectsATokenEndpointThatIsNotHttp() {
    assertThatThrownBy(
            () ->
                OAuth2ClientCredentials.builder(
                    URI.create("ftp://auth.example/token"), CLIENT_ID, Secret.of(CLIENT_SECRET)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'ftp://auth.example/token' is not an http or https URL");
  }

  @Test
  void takesATokenWithoutExpiresInToLiveOneHour() throws Exception {
    TestClock clock = new TestClock(Instant.now());
    try (TargetServer endpoint = TargetServer.http()) {
      String token = "{\"access_token\":\"opaque-1\",\"token_type\":\"Bearer\"}";
      endpoint.answerNext(200, token);
      endpoint.answerNext(200, token.replace("opaque-1", "opaque-2"));
      OAuth2ClientCredentials auth =
          OAuth2ClientCredentials.builder(endpoint.uri(), CLIENT_ID, Secret.of(CLIENT_SECRET))
              .clock(clock)
              .build();
      assertThat(auth.headers()).containsEntry("Authorization", "Bearer opaque-1");
      clock.advance(Duration.ofMinutes(59));
      assertThat(auth.headers()).containsEntry("Authorization", "Bearer opaque-1");
      clock.advance(Duration.ofSeconds(40)); // within the default 30 s of the hour
      assertThat(auth.headers()).containsEntry("Authorization", "Bearer opaque-2");
      assertThat(endpoint.authorizations()).hasSize(2);
    }
  }

  @Test
  void refusesATokenThatIsNotBearer() throws Exception {
    try (TargetServer endpoint = TargetServer.http()) {
      endpoint.answerNext(200, "{\"access_token\":\"mac-token-5\",\"token_type\":\"mac\"}");
      OAuth2ClientCredentials auth =
          OAuth2ClientCredentials.builder(endpoint.uri(), CLIENT_ID, Secret.of(CLIENT_SECRET))
              .build();
      assertThatThrownBy(auth::headers)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("with token_type 'mac', and only Bearer tokens are supported")
          .hasMessageNotContaining("mac-token-5");
    }
  }
}
