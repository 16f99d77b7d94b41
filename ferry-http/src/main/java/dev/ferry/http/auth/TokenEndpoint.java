package dev.ferry.http.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.http.HttpSettings;
import dev.ferry.http.Secret;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/** One OAuth2 token endpoint: sends client-credentials grants and reads the answers. */
final class TokenEndpoint {
  static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A token as the endpoint issued it. */
  record Issued(String accessToken, Duration lifetime) {}

  private final URI uri;
  private final String clientId;
  private final Secret clientSecret;
  private final Optional<String> scope;
  private final ClientAuthMethod method;
  private final HttpClient client;
  private final Duration requestTimeout;
  private final TokenErrors errors;

  TokenEndpoint(
      URI uri,
      String clientId,
      Secret clientSecret,
      Optional<String> scope,
      ClientAuthMethod method,
      HttpSettings settings) {
    this.uri = uri;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.scope = scope;
    this.method = method;
    this.requestTimeout = settings.requestTimeout();
    this.errors = new TokenErrors(uri, clientId, clientSecret, scope, method);
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(settings.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER);
    if (!settings.tls().isSystemDefault()) {
      builder.sslContext(settings.tls().sslContext());
    }
    this.client = builder.build();
  }

  URI uri() {
    return uri;
  }

  /** Asks for a new access token; errors name the endpoint and what to check, never secrets. */
  Issued fetch() throws IOException {
    StringBuilder form = new StringBuilder("grant_type=client_credentials");
    scope.ifPresent(s -> form.append("&scope=").append(encode(s)));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(requestTimeout)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json");
    if (method == ClientAuthMethod.BASIC) {
      // RFC 6749 section 2.3.1: id and secret are form-encoded before Basic encoding
      String pair = encode(clientId) + ":" + encode(clientSecret.reveal());
      request.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    } else {
      form.append("&client_id=").append(encode(clientId));
      form.append("&client_secret=").append(encode(clientSecret.reveal()));
    }
    request.POST(HttpRequest.BodyPublishers.ofString(form.toString()));
    HttpResponse<String> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while fetching an OAuth2 token from " + uri);
    } catch (IOException e) {
      throw errors.unreachable(e);
    }
    return read(response.statusCode(), response.body());
  }

  private Issued read(int status, String body) throws IOException {
    Optional<JsonNode> json = parse(body);
    if (status < 200 || status > 299) {
      throw errors.refused(status, json, body);
    }
    if (json.isEmpty() || !json.get().isObject()) {
      throw errors.unusable(status, "not with a JSON object", TokenErrors.CHECK_URL);
    }
    JsonNode token = json.get().path("access_token");
    if (!token.isTextual() || token.asText().isBlank()) {
      throw errors.unusable(status, "without an access_token", TokenErrors.CHECK_URL);
    }
    JsonNode type = json.get().path("token_type");
    if (type.isTextual() && !type.asText().equalsIgnoreCase("bearer")) {
      throw errors.unusable(
          status,
          "with token_type '" + type.asText() + "', and only Bearer tokens are supported",
          "check the authorization server's settings for this client");
    }
    JsonNode expiresIn = json.get().path("expires_in");
    long seconds = expiresIn.isNumber() || expiresIn.isTextual() ? expiresIn.asLong(0) : 0;
    Duration lifetime = seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_LIFETIME;
    return new Issued(token.asText(), lifetime);
  }

  private static Optional<JsonNode> parse(String body) {
    try {
      return body.isBlank() ? Optional.empty() : Optional.ofNullable(JSON.readTree(body));
    } catch (IOException notJson) {
      return Optional.empty();
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
