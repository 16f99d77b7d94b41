package dev.ferry.connect.kafka;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Validators of the kafka.* keys; {@code toString()} tells the valid values. */
final class ProfileValidators {
  private ProfileValidators() {}

  /** One of {@code values}, ignoring case; an empty value too when {@code emptyAllowed}. */
  static ConfigDef.Validator oneOf(boolean emptyAllowed, String... values) {
    String list = String.join(", ", values) + (emptyAllowed ? ", or empty" : "");
    return new ConfigDef.Validator() {
      @Override
      public void ensureValid(String name, Object value) {
        String v = value == null ? "" : value.toString().strip().toUpperCase(Locale.ROOT);
        if (v.isEmpty() && emptyAllowed) {
          return;
        }
        if (Arrays.stream(values).noneMatch(v::equals)) {
          throw new ConfigException(name, value, "must be one of: " + list);
        }
      }

      @Override
      public String toString() {
        return list;
      }
    };
  }

  /** An absolute http(s) URL, a config provider reference, or empty. */
  static ConfigDef.Validator url() {
    return new ConfigDef.Validator() {
      @Override
      public void ensureValid(String name, Object value) {
        String v = value == null ? "" : value.toString().strip();
        if (v.isEmpty() || v.contains("${")) {
          return;
        }
        try {
          URI uri = new URI(v);
          String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
          if ((scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null) {
            return;
          }
        } catch (URISyntaxException e) {
          // reported below
        }
        throw new ConfigException(name, value, "must be an absolute https:// URL");
      }

      @Override
      public String toString() {
        return "an absolute https:// URL (http:// needs kafka.allow.plaintext=true), or empty";
      }
    };
  }
}
