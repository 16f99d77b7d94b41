package dev.ferry.http.auth;

import dev.ferry.http.HttpSettings;
import dev.ferry.http.Secret;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OAuth2 client-credentials grant (RFC 6749 section 4.4): fetches an access token from the token
 * endpoint, caches it and sends it as {@code Authorization: Bearer <token>}.
 *
 * <p>The token is fetched again once it expires within the refresh margin (by default 30 s, but
 * never more than half the token's lifetime; a token without {@code expires_in} is taken to live 1
 * h). Only one thread fetches at a time; the others wait for its token, or keep using the current
 * one while it is still valid. If an early refresh fails, the current token is used until it
 * expires and the refresh is tried again meanwhile. A 401 from the target forces one new fetch.
 * Errors name the token endpoint and what to check, never the secret or a token.
 */
public final class OAuth2ClientCredentials implements Auth {
  private static final Logger LOG = LoggerFactory.getLogger(OAuth2ClientCredentials.class);
  private static final Duration MIN_RETRY = Duration.ofSeconds(1);

  /** A cached token: refreshed from {@code refreshAt}, unusable from {@code expiresAt}. */
  private record Token(String value, Instant refreshAt, Instant expiresAt) {}

  private final TokenEndpoint endpoint;
  private final Duration refreshMargin;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile Token current;

  private OAuth2ClientCredentials(Builder b) {
    this.endpoint =
        new TokenEndpoint(
            b.tokenEndpoint, b.clientId, b.clientSecret, b.scope, b.method, b.httpSettings);
    this.refreshMargin = b.refreshMargin;
    this.clock = b.clock;
  }

  /**
   * Starts a builder; the other settings default to no scope, {@link ClientAuthMethod#BASIC}, a 30
   * s refresh margin, the UTC system clock and {@link HttpSettings#defaults()}.
   *
   * @param tokenEndpoint the token endpoint URL, http or https
   * @param clientId the OAuth2 client id
   * @param clientSecret the client secret
   */
  public static Builder builder(URI tokenEndpoint, String clientId, Secret clientSecret) {
    return new Builder(tokenEndpoint, clientId, clientSecret);
  }

  @Override
  public Map<String, String> headers() throws IOException {
    Token token = current;
    if (token == null || !clock.instant().isBefore(token.refreshAt())) {
      token = refresh(token);
    }
    return Map.of("Authorization", "Bearer " + token.value());
  }

  @Override
  public boolean renewAfterUnauthorized() {
    Token seen = current;
    lock.lock();
    try {
      Token now = current;
      if (now != null && (seen == null || !now.value().equals(seen.value()))) {
        return true; // another thread renewed it since this one looked
      }
      current = null;
      fetchLocked();
      return true;
    } catch (IOException e) {
      LOG.warn("Could not renew the OAuth2 token after HTTP 401: {}", e.getMessage());
      return false;
    } finally {
      lock.unlock();
    }
  }

  private Token refresh(Token seen) throws IOException {
    boolean stillValid = seen != null && clock.instant().isBefore(seen.expiresAt());
    if (stillValid) {
      if (!lock.tryLock()) {
        return seen; // another thread is fetching; this token is good until then
      }
    } else {
      lock.lock();
    }
    try {
      Token token = current;
      if (token != null && clock.instant().isBefore(token.refreshAt())) {
        return token;
      }
      try {
        return fetchLocked();
      } catch (IOException e) {
        Instant now = clock.instant();
        if (token == null || !now.isBefore(token.expiresAt())) {
          throw e;
        }
        Duration left = Duration.between(now, token.expiresAt());
        Duration wait = left.dividedBy(2).compareTo(MIN_RETRY) < 0 ? left : left.dividedBy(2);
        LOG.warn(
            "Could not refresh the OAuth2 token, using the current one for {} s more: {}",
            left.toSeconds(),
            e.getMessage());
        current = new Token(token.value(), now.plus(wait), token.expiresAt());
        return current;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Fetches a token; the caller holds the lock. */
  private Token fetchLocked() throws IOException {
    Instant asked = clock.instant();
    TokenEndpoint.Issued issued = endpoint.fetch();
    Duration margin = refreshMargin;
    Duration half = issued.lifetime().dividedBy(2);
    if (margin.compareTo(half) > 0) {
      margin = half;
    }
    Instant expiresAt = asked.plus(issued.lifetime());
    Token token = new Token(issued.accessToken(), expiresAt.minus(margin), expiresAt);
    current = token;
    LOG.debug(
        "Fetched an OAuth2 token from {}, valid for {} s",
        endpoint.uri(),
        issued.lifetime().toSeconds());
    return token;
  }

  @Override
  public String toString() {
    return "OAuth2ClientCredentials[" + endpoint.uri() + "]";
  }

  /** Settings for {@link OAuth2ClientCredentials}. */
  public static final class Builder {
    private final URI tokenEndpoint;
    private final String clientId;
    private final Secret clientSecret;
    private Optional<String> scope = Optional.empty();
    private ClientAuthMethod method = ClientAuthMethod.BASIC;
    private Duration refreshMargin = Duration.ofSeconds(30);
    private Clock clock = Clock.systemUTC();
    private HttpSettings httpSettings = HttpSettings.defaults();

    private Builder(URI tokenEndpoint, String clientId, Secret clientSecret) {
      this.tokenEndpoint = Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
      this.clientId = Objects.requireNonNull(clientId, "clientId");
      this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
      String scheme = String.valueOf(tokenEndpoint.getScheme()).toLowerCase(Locale.ROOT);
      if (!tokenEndpoint.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
        throw new IllegalArgumentException(
            "the OAuth2 token endpoint '"
                + tokenEndpoint
                + "' is not an http or https URL: check http.auth.oauth2.token.url");
      }
      if (clientId.isBlank()) {
        throw new IllegalArgumentException(
            "the OAuth2 client id is empty: set http.auth.oauth2.client.id");
      }
    }

    /** The scope to ask for, space-separated; null or blank for none. */
    public Builder scope(String scope) {
      this.scope = scope == null || scope.isBlank() ? Optional.empty() : Optional.of(scope.strip());
      return this;
    }

    public Builder clientAuthMethod(ClientAuthMethod method) {
      this.method = Objects.requireNonNull(method, "method");
      return this;
    }

    /** Refresh a token when it expires within this margin; capped at half its lifetime. */
    public Builder refreshMargin(Duration margin) {
      if (margin.isNegative()) {
        throw new IllegalArgumentException("the refresh margin must not be negative: " + margin);
      }
      this.refreshMargin = margin;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Timeouts and TLS for the token endpoint's own HTTP client. */
    public Builder httpSettings(HttpSettings httpSettings) {
      this.httpSettings = Objects.requireNonNull(httpSettings, "httpSettings");
      return this;
    }

    /** Builds the auth; no token is fetched until the first request. */
    public OAuth2ClientCredentials build() {
      return new OAuth2ClientCredentials(this);
    }
  }
}
