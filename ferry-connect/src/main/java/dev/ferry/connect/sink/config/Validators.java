package dev.ferry.connect.sink.config;

import dev.ferry.http.outcome.StatusSet;
import dev.ferry.http.retry.BackoffSchedule;
import dev.ferry.pipeline.request.UrlTemplate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** Validators whose {@code toString()} tells the valid values, for docs and the console. */
final class Validators {
  private Validators() {}

  static ConfigDef.Validator urlTemplate() {
    return of("an absolute http(s) URL, placeholders allowed", v -> UrlTemplate.parse(v));
  }

  static ConfigDef.Validator headers() {
    return of(
        "a JSON object, or Name:Value pairs separated by commas", RequestConfig::parseHeaders);
  }

  static ConfigDef.Validator statusCodes() {
    return of("HTTP status codes and ranges, e.g. 429,500-599", StatusSet::parse);
  }

  static ConfigDef.Validator backoff() {
    return of(
        "seconds between retries, comma-separated, e.g. 5,30,60,300,600",
        v -> BackoffSchedule.parse(v, 0, Duration.ZERO));
  }

  static ConfigDef.Validator oneOfIgnoringCase(String... values) {
    String list = String.join(", ", values);
    return new ConfigDef.Validator() {
      @Override
      public void ensureValid(String name, Object value) {
        String v = value == null ? "" : value.toString().strip().toUpperCase(Locale.ROOT);
        if (Arrays.stream(values).noneMatch(allowed -> allowed.equalsIgnoreCase(v))) {
          throw new ConfigException(name, value, "must be one of: " + list);
        }
      }

      @Override
      public String toString() {
        return list;
      }
    };
  }

  static <E extends Enum<E>> ConfigDef.Validator oneOf(Class<E> type) {
    return oneOfIgnoringCase(
        Arrays.stream(type.getEnumConstants()).map(Enum::name).toArray(String[]::new));
  }

  private static ConfigDef.Validator of(String description, Consumer<String> check) {
    return new ConfigDef.Validator() {
      @Override
      public void ensureValid(String name, Object value) {
        if (value == null) {
          return;
        }
        try {
          check.accept(value instanceof Password secret ? secret.value() : value.toString());
        } catch (ConfigException e) {
          throw e;
        } catch (RuntimeException e) {
          throw new ConfigException(
              name, value instanceof Password ? "[hidden]" : value, e.getMessage());
        }
      }

      @Override
      public String toString() {
        return description;
      }
    };
  }
}
