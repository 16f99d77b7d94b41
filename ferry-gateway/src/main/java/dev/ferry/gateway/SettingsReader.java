package dev.ferry.gateway;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads and checks single values, naming the key in every error. */
final class SettingsReader {
  private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  private final Map<String, String> props;

  SettingsReader(Map<String, String> props) {
    this.props = props;
  }

  String text(String key, String fallback) {
    String v = props.get(key);
    return v == null || v.isBlank() ? fallback : v.strip();
  }

  List<String> list(String key, String fallback) {
    return GatewayConfig.splitList(text(key, fallback));
  }

  int integer(String key, int fallback, int min) {
    return integer(key, fallback, min, Integer.MAX_VALUE);
  }

  int integer(String key, int fallback, int min, int max) {
    String v = text(key, String.valueOf(fallback));
    try {
      int n = Integer.parseInt(v.replace("_", ""));
      if (n < min) {
        throw new IllegalArgumentException(key + "=" + v + " is below the minimum " + min);
      }
      if (n > max) {
        throw new IllegalArgumentException(key + "=" + v + " is above the maximum " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          key + "=" + v + " is not a whole number, e.g. " + key + "=" + fallback, e);
    }
  }

  String topic(String key, String fallback) {
    String t = text(key, fallback);
    if (!TOPIC_NAME.matcher(t).matches() || t.equals(".") || t.equals("..")) {
      throw new IllegalArgumentException(
          key
              + "="
              + t
              + " is not a valid Kafka topic name (letters, digits, '.', '_', '-'; at most 249)");
    }
    return t;
  }

  Map<String, String> routes() {
    Map<String, String> routes = new LinkedHashMap<>();
    for (String pair : list(GatewayConfig.ROUTES, "")) {
      String[] parts = pair.split("=", 2);
      if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
        throw new IllegalArgumentException(
            GatewayConfig.ROUTES
                + " has \""
                + pair
                + "\": give EVENT_TYPE=TOPIC pairs separated by commas, e.g."
                + " track=tracks,identify=users");
      }
      String topic = parts[1].strip();
      new SettingsReader(Map.of(GatewayConfig.ROUTES, topic)).topic(GatewayConfig.ROUTES, topic);
      routes.put(parts[0].strip(), topic);
    }
    return routes;
  }

  /** A number of milliseconds, or {@code fallback} when the key is not set. */
  long millis(String key, long fallback, long min) {
    String v = text(key, "");
    if (v.isEmpty()) {
      return fallback;
    }
    try {
      long n = Long.parseLong(v.replace("_", ""));
      if (n < min) {
        throw new IllegalArgumentException(key + "=" + v + " is below the minimum " + min);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          key + "=" + v + " is not a whole number of milliseconds, e.g. " + key + "=3600000", e);
    }
  }
}
