package dev.ferry.http.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.http.Secret;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * The errors of one token endpoint: each names the endpoint, what happened and what to check, and
 * never holds the client secret (hidden even when the server echoes it) or a token.
 */
final class TokenErrors {
  static final String CHECK_URL = "check http.auth.oauth2.token.url";
  private static final String CHECK_CREDENTIALS =
      "check http.auth.oauth2.client.id / client.secret and http.auth.oauth2.client.auth.method";
  private static final int MAX_BODY_CHARS = 200;

  private final URI uri;
  private final String clientId;
  private final Secret clientSecret;
  private final Optional<String> scope;
  private final ClientAuthMethod method;

  TokenErrors(
      URI uri,
      String clientId,
      Secret clientSecret,
      Optional<String> scope,
      ClientAuthMethod method) {
    this.uri = uri;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.scope = scope;
    this.method = method;
  }

  /** No answer came: connection refused, unknown host, TLS failure, timeout. */
  IOException unreachable(IOException e) {
    String what;
    String fix = CHECK_URL + " and that the server is reachable from here";
    if (e instanceof HttpTimeoutException) {
      what =
          e instanceof HttpConnectTimeoutException ? "connecting timed out" : "no answer in time";
      fix += ", within the HTTP timeouts";
    } else if (e instanceof SSLException) {
      what = "TLS failed (" + redact(detail(e)) + ")";
      fix = "check the TLS trust store settings, and that the host name matches the certificate";
    } else if (causedBy(e, UnresolvedAddressException.class)) {
      what = "host name " + uri.getHost() + " not found";
    } else if (causedBy(e, ConnectException.class)) {
      what = "connection refused or failed";
    } else {
      what = "network error (" + redact(detail(e)) + ")";
    }
    return new IOException(
        "Could not reach the OAuth2 token endpoint " + uri + ": " + what + ": " + fix, e);
  }

  /** The endpoint answered with an error status; {@code json} is its body, when JSON. */
  IOException refused(int status, Optional<JsonNode> json, String body) {
    String error = json.map(j -> j.path("error").asText("")).orElse("");
    String description = json.map(j -> j.path("error_description").asText("")).orElse("");
    StringBuilder message =
        new StringBuilder("The OAuth2 token endpoint ")
            .append(uri)
            .append(" refused the token request: HTTP ")
            .append(status);
    if (!error.isEmpty()) {
      message.append(", error=").append(redact(error));
      if (!description.isEmpty()) {
        message.append(" (").append(redact(description)).append(')');
      }
    } else if (!body.isBlank()) {
      String text = redact(body.replaceAll("\\s+", " ").strip());
      message
          .append(", body: ")
          .append(text.length() <= MAX_BODY_CHARS ? text : text.substring(0, MAX_BODY_CHARS) + "…");
    }
    return new IOException(message.append(": ").append(fix(status, error)).toString());
  }

  /** The endpoint answered 2xx, but not with a usable token. */
  IOException unusable(int status, String what, String fix) {
    return new IOException(
        "The OAuth2 token endpoint "
            + uri
            + " answered HTTP "
            + status
            + " but "
            + what
            + ": "
            + fix);
  }

  private String fix(int status, String error) {
    switch (error.toLowerCase(Locale.ROOT)) {
      case "invalid_client":
        return CHECK_CREDENTIALS + " (now " + method + ")";
      case "invalid_scope":
        return "check http.auth.oauth2.scope (now '" + scope.orElse("") + "')";
      case "unauthorized_client":
      case "unsupported_grant_type":
        return "the authorization server does not allow client "
            + clientId
            + " the client_credentials grant: ask its administrator";
      default:
        break;
    }
    if (status == 400 || status == 401 || status == 403) {
      return CHECK_CREDENTIALS + " (now " + method + ")";
    }
    if (status == 404 || status == 405) {
      return CHECK_URL;
    }
    if (status >= 500) {
      return "the authorization server failed; the token is asked for again on the next request";
    }
    return CHECK_URL + ", http.auth.oauth2.client.auth.method and http.auth.oauth2.scope";
  }

  /** Hides the client secret should the server echo it. */
  private String redact(String text) {
    String secret = clientSecret.reveal();
    if (secret.isEmpty()) {
      return text;
    }
    String encoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
    return text.replace(secret, "[hidden]").replace(encoded, "[hidden]");
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String detail(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return e.getClass().getSimpleName();
  }
}
