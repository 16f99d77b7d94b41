package dev.ferry.bench;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * One configuration of Ferry's HTTP sink under test, and the connector config that sets it up.
 *
 * @param format {@code json_array} (batches) or {@code single} (one record per request)
 * @param tasks {@code tasks.max}
 * @param inFlight {@code max.in.flight.requests}
 * @param keyOrder {@code delivery.ordering=key} instead of {@code partition}
 */
record SinkScenario(String format, int tasks, int inFlight, boolean keyOrder)
    implements FerryScenario {
  static final int BATCH_MAX_RECORDS = 500;
  static final int BATCH_LINGER_MS = 20;

  /** Batches of up to 500 records as a JSON array, lingering up to 20 ms. */
  static SinkScenario batched(int tasks, int inFlight) {
    return new SinkScenario("json_array", tasks, inFlight, false);
  }

  /** One record per request. */
  static SinkScenario single(int inFlight, boolean keyOrder) {
    return new SinkScenario("single", 1, inFlight, keyOrder);
  }

  /** Whether several records share a request. */
  boolean batches() {
    return !format.equals("single");
  }

  @Override
  public String label() {
    String what =
        batches()
            ? "Ferry " + format + " x" + BATCH_MAX_RECORDS
            : "Ferry single (1 record/request)";
    return what
        + ", "
        + tasks
        + (tasks == 1 ? " task, " : " tasks, ")
        + inFlight
        + " in flight"
        + (keyOrder ? ", key order" : "");
  }

  @Override
  public String namePrefix() {
    return batches() ? "batched" : "single";
  }

  @Override
  public boolean countedAtTarget() {
    return true;
  }

  /**
   * The connector config: raw bytes through, Ferry's delivery settings, the shared consumer tuning.
   */
  @Override
  public Map<String, String> connectorConfig(String topic, URI url) {
    Map<String, String> c = baseConfig(topic, url, tasks);
    c.put("body.format", format);
    c.put("batch.max.records", Integer.toString(BATCH_MAX_RECORDS));
    c.put("batch.linger.ms", Integer.toString(BATCH_LINGER_MS));
    c.put("max.in.flight.requests", Integer.toString(inFlight));
    c.put("delivery.ordering", keyOrder ? "key" : "partition");
    return c;
  }

  /**
   * What every benchmark connector shares: Ferry's sink with {@code tasks} tasks reading {@code
   * topic}, keys and values as raw bytes ({@code ByteArrayConverter}), the target's URL, and the
   * consumer tuning shared with the raw consumer.
   */
  static Map<String, String> baseConfig(String topic, URI url, int tasks) {
    Map<String, String> c = new HashMap<>();
    c.put("connector.class", "HttpSinkConnector");
    c.put("tasks.max", Integer.toString(tasks));
    c.put("topics", topic);
    c.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    c.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    c.put("http.url", url.toString());
    ConsumerTuning.props().forEach((k, v) -> c.put("consumer.override." + k, v));
    return c;
  }
}
