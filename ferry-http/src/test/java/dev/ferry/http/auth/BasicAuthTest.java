package dev.ferry.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.http.HttpSender;
import dev.ferry.http.HttpSettings;
import dev.ferry.http.Request;
import dev.ferry.http.Secret;
import dev.ferry.http.testing.TargetServer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BasicAuthTest {
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
  void sendsUserAndPasswordAsBasicAuthorization() throws Exception {
    try (HttpSender sender =
        new HttpSender(HttpSettings.defaults(), new BasicAuth("ferry", Secret.of("s3cret")))) {
      sender.send(new Request("POST", target.uri(), List.of(), new byte[1]));
    }
    assertThat(target.authorizations()).containsExactly("Basic ZmVycnk6czNjcmV0");
  }

  @Test
  void encodesNonAsciiCredentialsAsUtf8() throws Exception {
    try (HttpSender sender =
        new HttpSender(HttpSettings.defaults(), new BasicAuth("jörg", Secret.of("pässwört:€")))) {
      sender.send(new Request("GET", target.uri(), List.of(), new byte[0]));
    }
    String header = target.authorizations().get(0);
    assertThat(header).startsWith("Basic ");
    byte[] decoded = Base64.getDecoder().decode(header.substring("Basic ".length()));
    assertThat(new String(decoded, StandardCharsets.UTF_8)).isEqualTo("jörg:pässwört:€");
  }

  @Test
  void rejectsAUserNameWithAColonWithoutShowingThePassword() {
    assertThatThrownBy(() -> new BasicAuth("a:b", Secret.of("pw-123")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a:b'")
        .hasMessageNotContaining("pw-123");
  }

  @Test
  void neverShowsThePassword() {
    assertThat(new BasicAuth("ferry", Secret.of("s3cret")).toString())
        .contains("ferry")
        .doesNotContain("s3cret")
        .doesNotContain("ZmVycnk6czNjcmV0");
  }
}
