package dev.ferry.connect.kafka;

import dev.ferry.connect.kafka.KafkaProfile.Mechanism;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Failures of the SASL login itself, before a broker is asked: for OAUTHBEARER, fetching a token
 * from kafka.oauth.token.endpoint (the JVM not allowing the URL, the endpoint refusing the client,
 * being unreachable, or answering with something that is not a usable token).
 */
final class TokenEndpointErrors {
  static final String ALLOWED_URLS = "org.apache.kafka.sasl.oauthbearer.allowed.urls";
  private static final Pattern STATUS = Pattern.compile("response code (\\d{3})");

  private TokenEndpointErrors() {}

  static String translate(ErrorChain chain, KafkaProfile profile) {
    if (profile.mechanism().filter(m -> m == Mechanism.OAUTHBEARER).isEmpty()) {
      return "the SASL login failed before any broker was asked: check kafka.sasl.mechanism,"
          + " kafka.sasl.username and kafka.sasl.password";
    }
    String url = safeUrl(profile.tokenEndpoint().orElse(""));
    if (chain.mentions(ALLOWED_URLS)) {
      return "Kafka refuses to call the token endpoint "
          + url
          + " until the JVM allows it: start the worker with -D"
          + ALLOWED_URLS
          + "="
          + url
          + " (for bin/ferry: FERRY_JAVA_OPTS)";
    }
    Optional<Long> status = chain.number(STATUS);
    if (status.isPresent()) {
      return refused(status.get().intValue(), url, profile);
    }
    String unreachable = "could not reach kafka.oauth.token.endpoint " + url + ": ";
    if (chain.mentions("unknownhostexception")) {
      return unreachable + "its host name does not resolve; check the URL and this machine's DNS";
    }
    if (chain.mentions("connectexception", "connection refused", "noroutetohost")) {
      return unreachable + "the connection was refused; check the URL's host and port";
    }
    if (chain.mentions("sockettimeoutexception", "timed out")) {
      return unreachable + "it did not answer in time; check the URL, proxies and firewalls";
    }
    if (chain.mentions("sslhandshakeexception", "pkix", "javax.net.ssl")) {
      return unreachable
          + "its TLS certificate is not trusted by this JVM; add its CA to the JVM's trust store";
    }
    if (chain.mentions("malformed", "missing the protocol", "invalid protocol")) {
      return "kafka.oauth.token.endpoint ("
          + url
          + ") is not a valid URL: give the token endpoint's full https:// URL";
    }
    if (chain.mentions("jwt", "invalid_token", "claim")) {
      return "the token endpoint "
          + url
          + " answered, but not with a token Kafka accepts (a signed JWT with sub and exp"
          + " claims): check kafka.oauth.token.endpoint and kafka.oauth.scope";
    }
    return "logging in at the token endpoint "
        + url
        + " failed: check kafka.oauth.token.endpoint, kafka.oauth.client.id ("
        + profile.clientId()
        + ") and kafka.oauth.client.secret (the worker log has details at DEBUG)";
  }

  private static String refused(int status, String url, KafkaProfile profile) {
    if (status == 400 || status == 401 || status == 403) {
      return "the token endpoint "
          + url
          + " refused the client (HTTP "
          + status
          + "): check kafka.oauth.client.id ("
          + profile.clientId()
          + ") and kafka.oauth.client.secret"
          + (status == 400 ? ", and kafka.oauth.scope" : "");
    }
    if (status == 404 || status == 405) {
      return "the token endpoint "
          + url
          + " answered HTTP "
          + status
          + ", so it is not a token endpoint: check the path of kafka.oauth.token.endpoint";
    }
    if (status >= 500) {
      return "the token endpoint "
          + url
          + " failed with HTTP "
          + status
          + ": the identity provider has trouble; try again later";
    }
    return "the token endpoint " + url + " answered HTTP " + status + ": check kafka.oauth.*";
  }

  /** The URL without user info, query or fragment, which might carry credentials. */
  static String safeUrl(String url) {
    try {
      URI u = new URI(url);
      if (u.getScheme() == null || u.getHost() == null) {
        return url.contains("@") || url.contains("?") ? "(the configured URL)" : url;
      }
      return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), null, null)
          .toString();
    } catch (URISyntaxException e) {
      return "(the configured URL)";
    }
  }
}
