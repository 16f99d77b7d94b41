package dev.ferry.http.auth;

import dev.ferry.http.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/** HTTP Basic authentication (RFC 7617): {@code Authorization: Basic base64(user:password)}. */
public final class BasicAuth implements Auth {
  private final String username;
  private final Secret header;

  /**
   * @param username the user name; it must not contain a colon
   * @param password the password, encoded as UTF-8
   * @throws IllegalArgumentException when the user name contains a colon
   */
  public BasicAuth(String username, Secret password) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    if (username.indexOf(':') >= 0) {
      throw new IllegalArgumentException(
          "the Basic auth user name '"
              + username
              + "' contains ':', which Basic auth cannot carry: check the user name");
    }
    this.username = username;
    String pair = username + ":" + password.reveal();
    this.header =
        Secret.of(
            "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public Map<String, String> headers() {
    return Map.of("Authorization", header.reveal());
  }

  @Override
  public String toString() {
    return "BasicAuth[" + username + "]";
  }
}
