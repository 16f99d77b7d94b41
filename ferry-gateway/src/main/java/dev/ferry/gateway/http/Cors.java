package dev.ferry.gateway.http;

import dev.ferry.gateway.GatewayConfig;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.handler.CrossOriginHandler;

/**
 * Cross-origin requests ({@code gateway.cors.origins}): web pages of the named origins may post
 * events from the browser with {@code fetch}, an {@code Authorization} header and JSON, which
 * browsers allow only after a preflight the gateway answers. Jetty's {@link CrossOriginHandler}
 * does the work; this class configures it.
 */
public final class Cors {
  /** How long a browser may reuse a preflight's answer. */
  static final Duration PREFLIGHT_MAX_AGE = Duration.ofMinutes(10);

  private Cors() {}

  /** {@code handler}, behind cross-origin handling when {@code config} names origins. */
  public static Handler wrap(GatewayConfig config, Handler handler) {
    if (config.corsOrigins().isEmpty()) {
      return handler;
    }
    CrossOriginHandler cors = new CrossOriginHandler();
    Set<String> patterns = new LinkedHashSet<>();
    for (String origin : config.corsOrigins()) {
      patterns.add(pattern(origin));
    }
    cors.setAllowedOriginPatterns(patterns);
    cors.setAllowedMethods(Set.of("POST", "GET"));
    Set<String> headers =
        new LinkedHashSet<>(List.of("Authorization", "Content-Type", "Content-Encoding"));
    headers.addAll(config.forwardHeaders());
    cors.setAllowedHeaders(headers);
    cors.setExposedHeaders(Set.of("Retry-After"));
    // The API key travels in a header the page sets itself: no cookies, no browser credentials.
    cors.setAllowCredentials(false);
    cors.setPreflightMaxAge(PREFLIGHT_MAX_AGE);
    // Requests from pages of other origins are refused (400), not just hidden from those pages.
    cors.setDeliverNonAllowedOriginRequests(false);
    cors.setHandler(handler);
    return cors;
  }

  /** Jetty's origin regex for an origin as configured: exact, {@code *.} subdomains, or any. */
  static String pattern(String origin) {
    if (origin.equals("*")) {
      return "*";
    }
    int wildcard = origin.indexOf("://*.");
    if (wildcard < 0) {
      return Pattern.quote(origin);
    }
    return Pattern.quote(origin.substring(0, wildcard + 3))
        + "[a-zA-Z0-9-]+(\\.[a-zA-Z0-9-]+)*\\."
        + Pattern.quote(origin.substring(wildcard + 5));
  }
}
