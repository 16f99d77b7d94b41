package dev.ferry.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code gateway.forward.headers}: HTTP request headers copied onto every Kafka record of the
 * request, e.g. {@code X-Request-Id} for tracing or {@code X-Forwarded-For}. Credentials are never
 * forwarded, and the record's own headers cannot be replaced.
 */
final class ForwardedHeaders {
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
  private static final Set<String> SECRET =
      Set.of("authorization", "proxy-authorization", "cookie", "set-cookie");
  private static final Set<String> OWN = Set.of("content-type", "event_type", "event_name");

  private ForwardedHeaders() {}

  /** The names, lower case; refuses credentials, the record's own headers and non-names. */
  static List<String> names(List<String> given) {
    List<String> names = new ArrayList<>();
    for (String name : given) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (!TOKEN.matcher(name).matches()) {
        throw new IllegalArgumentException(
            GatewayConfig.FORWARD_HEADERS + " has \"" + name + "\", not an HTTP header name");
      }
      if (SECRET.contains(lower)) {
        throw new IllegalArgumentException(
            GatewayConfig.FORWARD_HEADERS
                + " names "
                + name
                + ": credentials are never copied into Kafka");
      }
      if (OWN.contains(lower)) {
        throw new IllegalArgumentException(
            GatewayConfig.FORWARD_HEADERS
                + " names "
                + name
                + ": the gateway sets that record header itself");
      }
      if (!names.contains(lower)) {
        names.add(lower);
      }
    }
    return names;
  }
}
