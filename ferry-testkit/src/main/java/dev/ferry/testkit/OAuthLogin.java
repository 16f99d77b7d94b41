package dev.ferry.testkit;

import java.util.Map;

/**
 * One OAUTHBEARER authentication that a {@link SecureKafka} broker accepted.
 *
 * @param principal the principal name taken from the token ({@code sub} claim)
 * @param extensions the SASL extensions the client sent, e.g. {@code logicalCluster}
 */
public record OAuthLogin(String principal, Map<String, String> extensions) {

  public OAuthLogin {
    extensions = Map.copyOf(extensions);
  }
}
