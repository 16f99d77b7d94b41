package dev.ferry.connect.sink.config;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Type.INT;
import static org.apache.kafka.common.config.ConfigDef.Type.LONG;
import static org.apache.kafka.common.config.ConfigDef.Type.STRING;

import dev.ferry.pipeline.body.BodyFormat;
import java.time.Duration;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/** How records are grouped into requests. */
public record BatchConfig(BodyFormat format, int maxRecords, long maxBytes, Duration linger) {
  public static final String GROUP = "Batching";
  public static final String FORMAT = "body.format";
  public static final String MAX_RECORDS = "batch.max.records";
  public static final String MAX_BYTES = "batch.max.bytes";
  public static final String LINGER = "batch.linger.ms";

  static void define(ConfigDef def) {
    int order = 0;
    def.define(
            FORMAT,
            STRING,
            "single",
            Validators.oneOf(BodyFormat.class),
            HIGH,
            "The request body: single (one record per request, its value as the body),"
                + " json_array (a JSON array of the batch's values), ndjson (one value per line)"
                + " or grouped (catalog entities by type, {\"items\": [...], \"variations\":"
                + " [...]}, deletes in a second request; see grouped.names). Values that already"
                + " are JSON and need no mapping are sent byte for byte.",
            GROUP,
            ++order,
            ConfigDef.Width.SHORT,
            "Body format")
        .define(
            MAX_RECORDS,
            INT,
            500,
            ConfigDef.Range.between(1, 100_000),
            MEDIUM,
            "Records in one request at most, for json_array, ndjson and grouped (default 10000"
                + " for grouped).",
            GROUP,
            ++order,
            ConfigDef.Width.SHORT,
            "Max records per request")
        .define(
            MAX_BYTES,
            LONG,
            1_048_576L,
            ConfigDef.Range.atLeast(1),
            MEDIUM,
            "Value bytes in one request at most, for json_array, ndjson and grouped (counted on"
                + " the values as read). A larger record is"
                + " sent alone.",
            GROUP,
            ++order,
            ConfigDef.Width.SHORT,
            "Max bytes per request")
        .define(
            LINGER,
            INT,
            100,
            ConfigDef.Range.atLeast(0),
            MEDIUM,
            "How long a batch may wait to fill up before it is sent, in milliseconds (default"
                + " 60000 for grouped).",
            GROUP,
            ++order,
            ConfigDef.Width.SHORT,
            "Linger (ms)");
  }

  /** The seed's catalog flush: every 60 seconds or at 10,000 messages, whichever comes first. */
  static final int GROUPED_MAX_RECORDS = 10_000;

  static final int GROUPED_LINGER_MS = 60_000;

  static BatchConfig from(AbstractConfig c) {
    BodyFormat format = BodyFormat.parse(c.getString(FORMAT));
    boolean catalog = format == BodyFormat.GROUPED;
    int maxRecords =
        catalog && !c.originals().containsKey(MAX_RECORDS)
            ? GROUPED_MAX_RECORDS
            : c.getInt(MAX_RECORDS);
    int linger =
        catalog && !c.originals().containsKey(LINGER) ? GROUPED_LINGER_MS : c.getInt(LINGER);
    return new BatchConfig(
        format, format.batches() ? maxRecords : 1, c.getLong(MAX_BYTES), Duration.ofMillis(linger));
  }
}
