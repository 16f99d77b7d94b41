package dev.ferry.it;

import dev.ferry.testkit.ConnectTestCluster;
import dev.ferry.testkit.ScriptedHttpTarget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * One broker and worker per test class, loading Ferry from the built plugin archive; a fresh
 * scripted target and topic per test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SinkTestBase {
  static final Duration WAIT = Duration.ofSeconds(60);
  private static final AtomicInteger COUNTER = new AtomicInteger();

  ConnectTestCluster cluster;
  ScriptedHttpTarget target;
  String topic;
  String connector;

  @BeforeAll
  void startCluster() {
    cluster =
        ConnectTestCluster.builder()
            .pluginPath(Path.of(System.getProperty("ferry.plugin.path")))
            .start();
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @BeforeEach
  void newTarget() {
    target = ScriptedHttpTarget.start();
    int n = COUNTER.incrementAndGet();
    topic = "t" + n;
    connector = "sink-" + n;
  }

  @AfterEach
  void closeTarget() {
    try {
      cluster.deleteConnector(connector);
    } catch (RuntimeException ignored) {
      // the test may not have created it
    }
    target.close();
  }

  /** A sink config for this test's topic and target, with fast retries. */
  Map<String, String> sinkConfig(String path) {
    Map<String, String> c = new HashMap<>();
    c.put("connector.class", "HttpSinkConnector");
    c.put("tasks.max", "1");
    c.put("topics", topic);
    c.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    c.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
    c.put("http.url", target.uri(path).toString());
    c.put("retry.backoff.sec", "0.1,0.1,0.1");
    c.put("retry.backoff.jitter", "0");
    return c;
  }

  void run(Map<String, String> config) {
    cluster.configureConnector(connector, config);
    cluster.awaitConnectorRunning(connector, Integer.parseInt(config.get("tasks.max")), WAIT);
  }

  void produce(int partitions, int count) {
    produce(partitions, count, i -> "{\"seq\":" + i + "}");
  }

  void produce(int partitions, int count, java.util.function.IntFunction<String> value) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      records.add(
          new ProducerRecord<>(
              topic,
              i % partitions,
              ("k" + i).getBytes(StandardCharsets.UTF_8),
              value.apply(i).getBytes(StandardCharsets.UTF_8)));
    }
    cluster.produce(topic, records);
  }

  String group() {
    return ConnectTestCluster.sinkGroupId(connector);
  }
}
