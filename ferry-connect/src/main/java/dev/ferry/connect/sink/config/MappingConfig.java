package dev.ferry.connect.sink.config;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Type.INT;
import static org.apache.kafka.common.config.ConfigDef.Type.PASSWORD;
import static org.apache.kafka.common.config.ConfigDef.Type.STRING;

import dev.ferry.pipeline.map.MappingLanguage;
import java.net.URI;
import java.time.Duration;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** How values are decoded and mapped before they are sent. */
public record MappingConfig(
    URI registryUrl,
    Password registryUserInfo,
    MappingLanguage language,
    String source,
    Duration timeout) {
  public static final String GROUP = "Decode and map";
  public static final String REGISTRY_URL = "schema.registry.url";
  public static final String REGISTRY_USER_INFO = "schema.registry.basic.auth.user.info";
  public static final String LANGUAGE = "mapping.language";
  public static final String SOURCE = "mapping.source";
  public static final String TIMEOUT = "mapping.timeout.ms";

  static void define(ConfigDef def) {
    int order = 0;
    def.define(
            REGISTRY_URL,
            STRING,
            "",
            registryUrlValidator(),
            MEDIUM,
            "A Confluent-compatible Schema Registry, for values in its wire format (magic byte 0"
                + " and a schema id) with Avro payloads: their schemas are fetched by id and"
                + " cached. Framed JSON payloads and plain JSON need no registry.",
            GROUP,
            ++order,
            ConfigDef.Width.LONG,
            "Schema Registry URL")
        .define(
            REGISTRY_USER_INFO,
            PASSWORD,
            null,
            MEDIUM,
            "Basic auth for the schema registry, as user:password (e.g. an API key and secret).",
            GROUP,
            ++order,
            ConfigDef.Width.MEDIUM,
            "Schema Registry credentials")
        .define(
            LANGUAGE,
            STRING,
            "jsonata",
            Validators.oneOf(MappingLanguage.class),
            HIGH,
            "The language of mapping.source: jsonata (an expression; the message is its input,"
                + " the record's topic, partition, offset, key, timestamp and headers are $meta)"
                + " or javascript (a function map(message, meta), run sandboxed in GraalJS).",
            GROUP,
            ++order,
            ConfigDef.Width.SHORT,
            "Mapping language")
        .define(
            SOURCE,
            STRING,
            "",
            HIGH,
            "Maps each decoded message to what is sent: the expression or function itself, or"
                + " file:PATH (relative to the worker's working directory). A mapping returns"
                + " nothing (the message is skipped), one object or an array; an object with a"
                + " type is an entity: {\"type\": \"item\", \"id\": \"P-1\", \"op\": \"upsert\","
                + " \"data\": {...}} (op upsert or delete, data for upserts); others are sent as"
                + " plain bodies. Empty: messages are sent as they are.",
            GROUP,
            ++order,
            ConfigDef.Width.LONG,
            "Mapping")
        .define(
            TIMEOUT,
            INT,
            1000,
            ConfigDef.Range.between(10, 60_000),
            LOW,
            "Time limit of one JavaScript mapping call, in milliseconds; a call that runs longer"
                + " is stopped and its record rejected.",
            GROUP,
            ++order,
            ConfigDef.Width.SHORT,
            "Mapping time limit (ms)");
  }

  private static ConfigDef.Validator registryUrlValidator() {
    return new ConfigDef.Validator() {
      @Override
      public void ensureValid(String name, Object value) {
        String v = value == null ? "" : value.toString().strip();
        if (v.isEmpty()) {
          return;
        }
        try {
          URI uri = URI.create(v);
          if (!"http".equalsIgnoreCase(uri.getScheme())
              && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("not http(s)");
          }
        } catch (IllegalArgumentException e) {
          throw new ConfigException(
              name, value, "must be an http(s) URL such as https://registry.example.com:8081");
        }
      }

      @Override
      public String toString() {
        return "an http(s) URL, or empty";
      }
    };
  }

  static MappingConfig from(AbstractConfig c) {
    String url = c.getString(REGISTRY_URL).strip();
    return new MappingConfig(
        url.isEmpty() ? null : URI.create(url.endsWith("/") ? url : url + "/"),
        c.getPassword(REGISTRY_USER_INFO),
        MappingLanguage.parse(c.getString(LANGUAGE)),
        c.getString(SOURCE).strip(),
        Duration.ofMillis(c.getInt(TIMEOUT)));
  }

  public boolean maps() {
    return !source.isEmpty();
  }
}
