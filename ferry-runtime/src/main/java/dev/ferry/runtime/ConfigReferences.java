package dev.ferry.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigTransformer;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;
import org.apache.kafka.common.config.provider.FileConfigProvider;

/**
 * Secrets in the CLI's configs: {@code ${env:NAME}} and {@code ${file:PATH:KEY}} references,
 * resolved as Connect's worker resolves them for a task, and the JVM's list of OAuth token
 * endpoints Kafka may call.
 */
final class ConfigReferences {
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):[^}]*}");
  private static final String ALLOWED_URLS = "org.apache.kafka.sasl.oauthbearer.allowed.urls";

  private ConfigReferences() {}

  /**
   * Resolves ${env:...} and ${file:...}; a reference left unresolved is an error.
   *
   * @throws org.apache.kafka.common.config.ConfigException when a referenced file cannot be read
   * @throws IllegalArgumentException naming the key whose reference is not set here
   */
  static Map<String, String> resolve(Map<String, String> props) {
    Map<String, ConfigProvider> providers = new LinkedHashMap<>();
    providers.put("env", new EnvVarConfigProvider());
    providers.put("file", new FileConfigProvider());
    providers.values().forEach(p -> p.configure(Map.of()));
    Map<String, String> resolved = new ConfigTransformer(providers).transform(props).data();
    for (Map.Entry<String, String> e : resolved.entrySet()) {
      Matcher left = REFERENCE.matcher(e.getValue() == null ? "" : e.getValue());
      if (left.find()) {
        throw new IllegalArgumentException(
            e.getKey()
                + " refers to "
                + left.group()
                + ", which is not set here: export the variable, or check the file and key");
      }
    }
    return resolved;
  }

  /**
   * Kafka 4 calls only the OAuth token endpoints the JVM allows (system property {@value
   * #ALLOWED_URLS}); a profile's own endpoint is meant, so it is added. Blank: nothing to do.
   */
  static synchronized void allowTokenEndpoint(String url) {
    if (url == null || url.isBlank()) {
      return;
    }
    String allowed = System.getProperty(ALLOWED_URLS, "");
    for (String u : allowed.split(",", -1)) {
      if (u.strip().equals(url.strip())) {
        return;
      }
    }
    System.setProperty(ALLOWED_URLS, allowed.isBlank() ? url.strip() : allowed + "," + url.strip());
  }
}
