package dev.ferry.connect.sink.config;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Type.INT;
import static org.apache.kafka.common.config.ConfigDef.Type.STRING;

import dev.ferry.pipeline.delta.DeltaMode;
import dev.ferry.pipeline.request.UrlTemplate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Catalog bodies, delta ingestion and request compression. */
public record CatalogConfig(
    Map<String, String> groupedNames,
    String deleteMethod,
    UrlTemplate deleteUrl,
    DeltaMode deltaMode,
    String storeTopic,
    String storeBootstrap,
    int storeMaxEntries,
    String tombstoneType,
    boolean gzip) {
  public static final String GROUP = "Catalog and delta";
  public static final String GROUPED_NAMES = "grouped.names";
  public static final String DELETE_METHOD = "grouped.delete.method";
  public static final String DELETE_URL = "grouped.delete.url";
  public static final String DELTA_MODE = "delta.mode";
  public static final String STORE_TOPIC = "delta.store.topic";
  public static final String STORE_BOOTSTRAP = "delta.store.bootstrap.servers";
  public static final String STORE_MAX_ENTRIES = "delta.store.max.entries";
  public static final String TOMBSTONE_TYPE = "delta.tombstone.type";
  public static final String COMPRESSION = "http.compression";

  /** Set by {@code bin/ferry up}: the cluster of the worker this JVM runs. */
  public static final String WORKER_BOOTSTRAP_PROPERTY = "ferry.worker.bootstrap.servers";

  static void define(ConfigDef def) {
    int order = 0;
    def.define(
            GROUPED_NAMES,
            STRING,
            "item:items,variation:variations",
            names(),
            MEDIUM,
            "For body.format=grouped: the body field of each entity type, as type:name pairs."
                + " A type not listed is sent under its name plus s.",
            GROUP,
            ++order,
            ConfigDef.Width.LONG,
            "Grouped names")
        .define(
            DELETE_METHOD,
            STRING,
            "DELETE",
            Validators.oneOfIgnoringCase("DELETE", "POST", "PUT", "PATCH"),
            MEDIUM,
            "For body.format=grouped: the method of the request that carries a batch's deletes"
                + " ({\"items\": [{\"id\": ...}]}).",
            GROUP,
            ++order,
            ConfigDef.Width.SHORT,
            "Delete method")
        .define(
            DELETE_URL,
            STRING,
            "",
            optionalUrlTemplate(),
            MEDIUM,
            "For body.format=grouped: where deletes go; empty: http.url.",
            GROUP,
            ++order,
            ConfigDef.Width.LONG,
            "Delete URL")
        .define(
            DELTA_MODE,
            STRING,
            "none",
            Validators.oneOf(DeltaMode.class),
            HIGH,
            "none (send every entity), collapse (within a batch, entities with the same type"
                + " and id collapse to their last operation; a delete after an upsert wins) or"
                + " skip_unchanged (collapse, and skip an upsert whose data is unchanged since its"
                + " last successful delivery; the hashes live in delta.store.topic).",
            GROUP,
            ++order,
            ConfigDef.Width.SHORT,
            "Delta mode")
        .define(
            STORE_TOPIC,
            STRING,
            "",
            MEDIUM,
            "For skip_unchanged: the compacted topic that keeps the content hash of every"
                + " delivered entity, so the delta survives restarts and rebalances. Empty:"
                + " ferry-delta-<connector name>. It is created when missing. Each entity's"
                + " messages should come from one partition (key them by entity id), or tasks"
                + " compare against each other's older hashes.",
            GROUP,
            ++order,
            ConfigDef.Width.MEDIUM,
            "Delta store topic")
        .define(
            STORE_BOOTSTRAP,
            STRING,
            "",
            MEDIUM,
            "For skip_unchanged: the Kafka cluster of the delta store topic, host:port,..."
                + " Empty: the worker's own cluster when it runs under bin/ferry up, reached with"
                + " the worker's settings (bin/ferry up --kafka-config). To keep the store on the"
                + " pipeline's cluster, set it to kafka.bootstrap.servers: the connector's kafka.*"
                + " profile is then used. Any other cluster is reached in plaintext.",
            GROUP,
            ++order,
            ConfigDef.Width.LONG,
            "Delta store cluster")
        .define(
            STORE_MAX_ENTRIES,
            INT,
            1_000_000,
            ConfigDef.Range.between(1, 100_000_000),
            LOW,
            "For skip_unchanged: entities whose hash is kept in memory at most (about 100 bytes"
                + " each); beyond that the least recently seen is forgotten and its next upsert"
                + " is sent even if unchanged.",
            GROUP,
            ++order,
            ConfigDef.Width.SHORT,
            "Delta store size")
        .define(
            TOMBSTONE_TYPE,
            STRING,
            "item",
            new ConfigDef.NonEmptyString(),
            LOW,
            "With body.format=grouped, a tombstone (a record without a value) deletes the"
                + " entity of this type whose id is the record key (read with a"
                + " StringConverter key converter).",
            GROUP,
            ++order,
            ConfigDef.Width.SHORT,
            "Tombstone entity type")
        .define(
            COMPRESSION,
            STRING,
            "none",
            Validators.oneOfIgnoringCase("none", "gzip"),
            MEDIUM,
            "none, or gzip: request bodies are gzipped and sent with Content-Encoding: gzip.",
            GROUP,
            ++order,
            ConfigDef.Width.SHORT,
            "Request compression");
  }

  static Map<String, String> parseNames(String value) {
    Map<String, String> names = new LinkedHashMap<>();
    for (String pair : value.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int colon = pair.indexOf(':');
      if (colon <= 0 || colon == pair.length() - 1) {
        throw new IllegalArgumentException(
            "'" + pair.strip() + "' is not type:name, e.g. item:items");
      }
      names.put(pair.substring(0, colon).strip(), pair.substring(colon + 1).strip());
    }
    return names;
  }

  private static ConfigDef.Validator names() {
    return new ConfigDef.Validator() {
      @Override
      public void ensureValid(String name, Object value) {
        try {
          parseNames(value == null ? "" : value.toString());
        } catch (IllegalArgumentException e) {
          throw new ConfigException(name, value, e.getMessage());
        }
      }

      @Override
      public String toString() {
        return "type:name pairs separated by commas";
      }
    };
  }

  private static ConfigDef.Validator optionalUrlTemplate() {
    ConfigDef.Validator url = Validators.urlTemplate();
    return new ConfigDef.Validator() {
      @Override
      public void ensureValid(String name, Object value) {
        if (value != null && !value.toString().isBlank()) {
          url.ensureValid(name, value);
        }
      }

      @Override
      public String toString() {
        return url + ", or empty";
      }
    };
  }

  static CatalogConfig from(AbstractConfig c, UrlTemplate url, String connectorName) {
    String deleteUrl = c.getString(DELETE_URL).strip();
    String topic = c.getString(STORE_TOPIC).strip();
    String bootstrap = c.getString(STORE_BOOTSTRAP).strip();
    if (bootstrap.isEmpty()) {
      bootstrap = System.getProperty(WORKER_BOOTSTRAP_PROPERTY, "").strip();
    }
    return new CatalogConfig(
        parseNames(c.getString(GROUPED_NAMES)),
        c.getString(DELETE_METHOD).strip().toUpperCase(Locale.ROOT),
        deleteUrl.isEmpty() ? url : UrlTemplate.parse(deleteUrl),
        DeltaMode.parse(c.getString(DELTA_MODE)),
        topic.isEmpty() ? "ferry-delta-" + connectorName : topic,
        bootstrap,
        c.getInt(STORE_MAX_ENTRIES),
        c.getString(TOMBSTONE_TYPE).strip(),
        c.getString(COMPRESSION).strip().equalsIgnoreCase("gzip"));
  }
}
