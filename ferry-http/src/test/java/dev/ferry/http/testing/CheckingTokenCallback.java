package dev.ferry.http.testing;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.PlainClientSecret;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import no.nav.security.mock.oauth2.OAuth2Exception;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;

/**
 * A mock-oauth2-server token callback for issuer {@code default} that checks the client id and
 * secret (the server itself accepts any), answering {@code invalid_client} when they are wrong, and
 * records each accepted token request.
 */
public final class CheckingTokenCallback implements OAuth2TokenCallback {
  private final String clientId;
  private final String clientSecret;
  private final List<TokenRequest> accepted = new CopyOnWriteArrayList<>();
  private volatile long expirySeconds = 3600;

  public CheckingTokenCallback(String clientId, String clientSecret) {
    this.clientId = clientId;
    this.clientSecret = clientSecret;
  }

  /** The lifetime of the tokens issued from now on. */
  public void expiry(long seconds) {
    this.expirySeconds = seconds;
  }

  /** The token requests accepted so far, one per token issued. */
  public List<TokenRequest> accepted() {
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
        || !secret.getClientID().getValue().equals(clientId)
        || !secret.getClientSecret().getValue().equals(clientSecret)) {
      throw new OAuth2Exception(
          OAuth2Error.INVALID_CLIENT.setDescription("Client authentication failed"),
          "wrong client credentials");
    }
    accepted.add(request);
    return clientId;
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
