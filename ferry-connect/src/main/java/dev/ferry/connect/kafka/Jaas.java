package dev.ferry.connect.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code sasl.jaas.config} values. Option values are quoted with {@code "} and {@code \} escaped;
 * config provider references such as {@code ${env:SECRET}} are kept as they are, for Connect
 * resolves them inside the string later.
 */
final class Jaas {
  static final String PLAIN = "org.apache.kafka.common.security.plain.PlainLoginModule";
  static final String SCRAM = "org.apache.kafka.common.security.scram.ScramLoginModule";
  static final String OAUTHBEARER =
      "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule";

  private static final Pattern REFERENCE = Pattern.compile("\\$\\{[^}]*}");

  private Jaas() {}

  static String usernamePassword(String module, String username, String password) {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("username", username);
    options.put("password", password);
    return config(module, options);
  }

  /**
   * OAuth: only the SASL extensions, empty ones left out. Client id, secret and scope go in Kafka's
   * sasl.oauthbearer.* configs, since Kafka 4 deprecates them as JAAS options.
   */
  static String oauth(String clusterId, String poolId) {
    Map<String, String> options = new LinkedHashMap<>();
    putIfSet(options, "extension_logicalCluster", clusterId);
    putIfSet(options, "extension_identityPoolId", poolId);
    return config(OAUTHBEARER, options);
  }

  private static void putIfSet(Map<String, String> options, String key, String value) {
    if (value != null && !value.isBlank()) {
      options.put(key, value.strip());
    }
  }

  private static String config(String module, Map<String, String> options) {
    StringBuilder jaas = new StringBuilder(module).append(" required");
    options.forEach(
        (k, v) -> jaas.append(' ').append(k).append("=\"").append(escape(v)).append('"'));
    return jaas.append(';').toString();
  }

  /** Escapes {@code "} and {@code \} outside of config provider references. */
  static String escape(String value) {
    String v = value == null ? "" : value;
    StringBuilder out = new StringBuilder(v.length() + 8);
    Matcher m = REFERENCE.matcher(v);
    int at = 0;
    while (m.find()) {
      escapeInto(out, v.substring(at, m.start()));
      out.append(m.group());
      at = m.end();
    }
    escapeInto(out, v.substring(at));
    return out.toString();
  }

  private static void escapeInto(StringBuilder out, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
  }
}
