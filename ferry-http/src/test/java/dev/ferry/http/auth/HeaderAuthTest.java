package dev.ferry.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.http.HttpSender;
import dev.ferry.http.HttpSettings;
import dev.ferry.http.Request;
import dev.ferry.http.Response;
import dev.ferry.http.Secret;
import dev.ferry.http.testing.TargetServer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HeaderAuthTest {
  private TargetServer target;

  @BeforeEach
  void startTarget() throws Exception {
    target = TargetServer.http();
  }

  @AfterEach
  void stopTarget() throws Exception {
    target.close();
  }

  @Test
  void sendsTheStaticAuthorizationHeaderOnEveryRequest() throws Exception {
    Auth auth = new HeaderAuth("Authorization", Secret.of("Bearer static-token-1"));
    try (HttpSender sender = new HttpSender(HttpSettings.defaults(), auth)) {
      for (int i = 0; i < 3; i++) {
        Response response = sender.send(new Request("POST", target.uri(), List.of(), new byte[1]));
        assertThat(response.status()).isEqualTo(200);
      }
    }
    assertThat(target.authorizations())
        .containsExactly("Bearer static-token-1", "Bearer static-token-1", "Bearer static-token-1");
  }

  @Test
  void sendsAnApiKeyInItsOwnHeader() throws Exception {
    Auth auth = new HeaderAuth("X-Api-Key", Secret.of("key-42"));
    assertThat(auth.headers()).containsExactly(java.util.Map.entry("X-Api-Key", "key-42"));
    try (HttpSender sender = new HttpSender(HttpSettings.defaults(), auth)) {
      sender.send(new Request("GET", target.uri(), List.of(), new byte[0]));
    }
    assertThat(target.authorizations()).containsExactly("");
  }

  @Test
  void rejectsInvalidHeaderNamesAndValues() {
    assertThatThrownBy(() -> new HeaderAuth("X Api Key", Secret.of("v")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'X Api Key' is not a valid HTTP header name");
    assertThatThrownBy(() -> new HeaderAuth("Host", Secret.of("v")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Host");
    assertThatThrownBy(() -> new HeaderAuth("X-Api-Key", Secret.of("line1\r\nInjected: yes")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line break")
        .hasMessageNotContaining("line1");
  }

  @Test
  void neverShowsTheValue() {
    assertThat(new HeaderAuth("X-Api-Key", Secret.of("key-42")).toString())
        .contains("X-Api-Key")
        .doesNotContain("key-42");
  }
}
