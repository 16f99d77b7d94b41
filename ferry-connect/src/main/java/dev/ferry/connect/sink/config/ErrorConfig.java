package dev.ferry.connect.sink.config;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Type.DOUBLE;
import static org.apache.kafka.common.config.ConfigDef.Type.INT;
import static org.apache.kafka.common.config.ConfigDef.Type.STRING;

import dev.ferry.http.outcome.StatusRules;
import dev.ferry.http.outcome.StatusSet;
import dev.ferry.http.retry.BackoffSchedule;
import dev.ferry.pipeline.deliver.ErrorStrategy;
import java.time.Duration;
import java.util.Locale;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/** What counts as a failure, how it is retried, and what happens after. */
public record ErrorConfig(
    ErrorStrategy strategy,
    BackoffSchedule schedule,
    StatusRules statusRules,
    String retryField,
    NullValues nullValues) {

  /** What to do with a record that has no value (a tombstone). */
  public enum NullValues {
    IGNORE,
    DELETE,
    FAIL
  }

  public static final String GROUP = "Errors and retries";
  public static final String STRATEGY = "error.strategy";
  public static final String BACKOFF = "retry.backoff.sec";
  public static final String JITTER = "retry.backoff.jitter";
  public static final String STOP_CODES = "http.retry.stop.status.codes";
  public static final String RETRY_CODES = "http.retry.status.codes";
  public static final String RETRY_AFTER_CODES = "http.retry.after.status.codes";
  public static final String RETRY_AFTER_MAX = "http.retry.after.max.sec";
  public static final String RETRY_FIELD = "http.response.retry.field";
  public static final String NULL_VALUES = "behavior.on.null.values";

  static void define(ConfigDef def) {
    int order = 0;
    def.define(
            STRATEGY,
            STRING,
            ErrorStrategy.PROGRESS_BACK_OFF_DROP_MESSAGE.name(),
            Validators.oneOf(ErrorStrategy.class),
            HIGH,
            "What happens to a record the target will not take."
                + " PROGRESS_BACK_OFF_DROP_MESSAGE: retry on retry.backoff.sec, then drop it"
                + " (logged without payload, counted). PROGRESS_BACK_OFF_STOP_TASK: retry, then stop"
                + " the task. DROP_MESSAGE: drop at once. STOP_TASK: stop at once. DEAD_LETTER:"
                + " retry, then write it to errors.deadletterqueue.topic.name with headers giving"
                + " the status, a response excerpt, the attempts and the reason (needs"
                + " errors.tolerance=all). In a batch, only the records the target rejects are"
                + " dropped or dead-lettered. Alias: exception.strategy.",
            GROUP,
            ++order,
            ConfigDef.Width.MEDIUM,
            "Error strategy")
        .define(
            BACKOFF,
            STRING,
            "5,30,60,300,600",
            Validators.backoff(),
            HIGH,
            "Seconds to wait before each retry; the list's length is the number of retries."
                + " Fractions are allowed (0.5).",
            GROUP,
            ++order,
            ConfigDef.Width.MEDIUM,
            "Back-off schedule (s)")
        .define(
            JITTER,
            DOUBLE,
            0.1,
            ConfigDef.Range.between(0, 1),
            LOW,
            "Spread each wait randomly by up to this fraction either way, so many tasks do not"
                + " retry in step.",
            GROUP,
            ++order,
            ConfigDef.Width.SHORT,
            "Back-off jitter")
        .define(
            STOP_CODES,
            STRING,
            StatusRules.DEFAULT_RETRY_THEN_STOP,
            Validators.statusCodes(),
            MEDIUM,
            "Statuses retried on the schedule, after which the task stops whatever the strategy"
                + " (the seed's rule for auth, method and gateway errors). Used when the response"
                + " carries no retry flag.",
            GROUP,
            ++order,
            ConfigDef.Width.MEDIUM,
            "Retry-then-stop statuses")
        .define(
            RETRY_CODES,
            STRING,
            StatusRules.DEFAULT_RETRY,
            Validators.statusCodes(),
            MEDIUM,
            "Statuses retried on the schedule, after which the strategy decides. Any other"
                + " non-2xx status is permanent: not retried.",
            GROUP,
            ++order,
            ConfigDef.Width.MEDIUM,
            "Retriable statuses")
        .define(
            RETRY_AFTER_CODES,
            STRING,
            StatusRules.DEFAULT_RETRY_AFTER,
            Validators.statusCodes(),
            LOW,
            "Statuses whose Retry-After header (seconds or an HTTP date) is honoured: the next"
                + " attempt waits at least that long.",
            GROUP,
            ++order,
            ConfigDef.Width.MEDIUM,
            "Retry-After statuses")
        .define(
            RETRY_AFTER_MAX,
            INT,
            600,
            ConfigDef.Range.atLeast(0),
            LOW,
            "The longest Retry-After honoured, in seconds.",
            GROUP,
            ++order,
            ConfigDef.Width.SHORT,
            "Max Retry-After (s)")
        .define(
            RETRY_FIELD,
            STRING,
            "retry",
            LOW,
            "A boolean field of a JSON error response that decides: true retries, false is"
                + " permanent. Without it the status lists decide.",
            GROUP,
            ++order,
            ConfigDef.Width.SHORT,
            "Retry flag field")
        .define(
            NULL_VALUES,
            STRING,
            "ignore",
            Validators.oneOf(NullValues.class),
            MEDIUM,
            "Records without a value (tombstones): ignore (skipped and counted as dropped),"
                + " delete (a DELETE request to http.url, which may use ${key}) or fail (stop the"
                + " task naming the record). With body.format=grouped a tombstone deletes the"
                + " entity whose id is the key (see delta.tombstone.type) unless this is set to"
                + " ignore.",
            GROUP,
            ++order,
            ConfigDef.Width.SHORT,
            "Tombstones");
  }

  static ErrorConfig from(AbstractConfig c) {
    return new ErrorConfig(
        ErrorStrategy.valueOf(c.getString(STRATEGY).strip().toUpperCase(Locale.ROOT)),
        BackoffSchedule.parse(
            c.getString(BACKOFF),
            c.getDouble(JITTER),
            Duration.ofSeconds(c.getInt(RETRY_AFTER_MAX))),
        new StatusRules(
            StatusSet.parse(c.getString(STOP_CODES)),
            StatusSet.parse(c.getString(RETRY_CODES)),
            StatusSet.parse(c.getString(RETRY_AFTER_CODES))),
        c.getString(RETRY_FIELD),
        NullValues.valueOf(c.getString(NULL_VALUES).strip().toUpperCase(Locale.ROOT)));
  }
}
