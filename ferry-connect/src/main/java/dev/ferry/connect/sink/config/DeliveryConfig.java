package dev.ferry.connect.sink.config;

import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Type.DOUBLE;
import static org.apache.kafka.common.config.ConfigDef.Type.INT;
import static org.apache.kafka.common.config.ConfigDef.Type.STRING;

import java.time.Duration;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/** Concurrency, ordering, buffering and the request delay. */
public record DeliveryConfig(int inFlight, boolean orderByKey, int bufferRecords, Duration delay) {
  public static final String GROUP = "Delivery";
  public static final String IN_FLIGHT = "max.in.flight.requests";
  public static final String ORDERING = "delivery.ordering";
  public static final String BUFFER = "buffer.max.records";
  public static final String DELAY = "request.delay.sec";

  static void define(ConfigDef def) {
    int order = 0;
    def.define(
            IN_FLIGHT,
            INT,
            4,
            ConfigDef.Range.between(1, 256),
            MEDIUM,
            "Requests in flight at once per task, across partitions (or keys, see"
                + " delivery.ordering). Records that must keep their order never overtake each"
                + " other, also across retries.",
            GROUP,
            ++order,
            ConfigDef.Width.SHORT,
            "Max requests in flight")
        .define(
            ORDERING,
            STRING,
            "partition",
            Validators.oneOfIgnoringCase("PARTITION", "KEY"),
            MEDIUM,
            "What keeps its order: partition (records of one partition reach the target in"
                + " offset order) or key (records of one key do; more concurrency when a few"
                + " partitions carry many keys).",
            GROUP,
            ++order,
            ConfigDef.Width.SHORT,
            "Ordering")
        .define(
            BUFFER,
            INT,
            20_000,
            ConfigDef.Range.atLeast(1),
            LOW,
            "Records a task holds that are not yet delivered, at most; past it the task stops"
                + " reading until the target catches up.",
            GROUP,
            ++order,
            ConfigDef.Width.SHORT,
            "Buffer (records)")
        .define(
            DELAY,
            DOUBLE,
            0.0,
            ConfigDef.Range.atLeast(0),
            MEDIUM,
            "Seconds to wait before a record is sent, counted from its timestamp (or from when"
                + " the task read it, if it has none).",
            GROUP,
            ++order,
            ConfigDef.Width.SHORT,
            "Request delay (s)");
  }

  static DeliveryConfig from(AbstractConfig c) {
    return new DeliveryConfig(
        c.getInt(IN_FLIGHT),
        c.getString(ORDERING).strip().equalsIgnoreCase("key"),
        c.getInt(BUFFER),
        Duration.ofMillis(Math.round(c.getDouble(DELAY) * 1000)));
  }
}
