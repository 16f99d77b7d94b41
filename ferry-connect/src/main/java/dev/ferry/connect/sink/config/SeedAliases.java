package dev.ferry.connect.sink.config;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The seed connector's keys, accepted so its create-connector JSON works with only {@code
 * connector.class} changed.
 */
public final class SeedAliases {
  /** Seed key to Ferry key. */
  public static final Map<String, String> ALIASES = aliases();

  private SeedAliases() {}

  private static Map<String, String> aliases() {
    Map<String, String> aliases = new LinkedHashMap<>();
    aliases.put("callback.request.url", RequestConfig.URL);
    aliases.put("callback.request.method", RequestConfig.METHOD);
    aliases.put("callback.request.methods", RequestConfig.METHOD);
    aliases.put("callback.request.headers", RequestConfig.HEADERS);
    aliases.put("exception.strategy", ErrorConfig.STRATEGY);
    return java.util.Collections.unmodifiableMap(aliases);
  }

  /** The props with each alias copied to its Ferry key, unless that key is set already. */
  public static Map<String, String> resolve(Map<String, String> props) {
    Map<String, String> resolved = new HashMap<>(props);
    ALIASES.forEach(
        (alias, key) -> {
          String value = props.get(alias);
          if (value != null && !resolved.containsKey(key)) {
            resolved.put(key, value);
          }
        });
    return resolved;
  }

  /** Conflicts between an alias and its Ferry key, as error messages per Ferry key. */
  static Map<String, List<String>> conflicts(Map<String, String> props) {
    Map<String, List<String>> errors = new HashMap<>();
    ALIASES.forEach(
        (alias, key) -> {
          String aliasValue = props.get(alias);
          if (aliasValue != null
              && props.containsKey(key)
              && !Objects.equals(aliasValue.strip(), props.get(key).strip())) {
            errors.put(
                key,
                new java.util.ArrayList<>(
                    List.of(
                        key
                            + " and its alias "
                            + alias
                            + " are both set, to different values: keep one of them")));
          }
        });
    return errors;
  }
}
