package dev.ferry.it;

import static org.awaitility.Awaitility.await;

import dev.ferry.testkit.ConnectTestCluster;
import dev.ferry.testkit.ScriptedHttpTarget;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
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

  /** {@link #sinkConfig} with dead-lettering to {@code dlq}. */
  Map<String, String> deadLetterConfig(String dlq) {
    Map<String, String> config = sinkConfig("/items");
    config.put("error.strategy", "DEAD_LETTER");
    config.put("errors.tolerance", "all");
    config.put("errors.deadletterqueue.topic.name", dlq);
    config.put("errors.deadletterqueue.topic.replication.factor", "1");
    config.put("errors.deadletterqueue.context.headers.enable", "true");
    config.put("header.converter", "org.apache.kafka.connect.storage.StringConverter");
    return config;
  }

  /** Waits until the dead-letter topic holds at least {@code count} records; returns them all. */
  List<ConsumerRecord<byte[], byte[]>> awaitDeadLetters(String dlq, int count) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    await("at least " + count + " records in " + dlq)
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () -> {
              records.clear();
              cluster.consumeAll(dlq, Duration.ofSeconds(5)).forEach(records::add);
              return records.size() >= count;
            });
    records.sort((a, b) -> Long.compare(a.offset(), b.offset()));
    return records;
  }

  static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** A metric of this test's connector's task 0, from JMX, once it is registered. */
  double taskMetric(String metric) {
    MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
    try {
      ObjectName pattern =
          new ObjectName("kafka.connect:type=plugins,connector=" + connector + ",task=0,*");
      Set<ObjectName> names = jmx.queryNames(pattern, null);
      if (names.isEmpty()) {
        throw new AssertionError("no metrics registered for " + connector + " task 0");
      }
      return ((Number) jmx.getAttribute(names.iterator().next(), metric)).doubleValue();
    } catch (JMException e) {
      throw new AssertionError("cannot read " + metric + " from JMX", e);
    }
  }

  String group() {
    return ConnectTestCluster.sinkGroupId(connector);
  }
}
