package dev.ferry.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts one cluster for all tests; the connectors come from connect-runtime's test jar, found on
 * the class path by {@code plugin.discovery=service_load} while {@code plugin.path} is empty.
 */
class ConnectTestClusterTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String SINK = "org.apache.kafka.connect.integration.TestableSinkConnector";

  @TempDir static Path pluginDir;
  private static ConnectTestCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster =
        ConnectTestCluster.builder()
            .name("testkit")
            .pluginPath(pluginDir)
            .offsetFlushInterval(Duration.ofMillis(500))
            .start();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Map<String, String> sink(String topic) {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", SINK);
    config.put("tasks.max", "1");
    config.put("topics", topic);
    return config;
  }

  private static List<ProducerRecord<byte[], byte[]>> records(String topic, int from, int to) {
    List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      byte[] value = ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
      out.add(new ProducerRecord<>(topic, ("k" + i).getBytes(StandardCharsets.UTF_8), value));
    }
    return out;
  }

  @Test
  void producesAndConsumes() {
    assertThat(cluster.bootstrapServers()).isNotBlank();
    assertThat(cluster.connect().kafka().bootstrapServers()).isEqualTo(cluster.bootstrapServers());
    cluster.createTopic("plain", 2);
    cluster.produce("plain", 1, "key", "value");
    cluster.produce("plain", null, null, "no-key");
    cluster.produce("plain", records("plain", 0, 100));

    ConsumerRecords<byte[], byte[]> all = cluster.consumeAll("plain", TIMEOUT);
    assertThat(all.count()).isEqualTo(102);
    List<String> values = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : all) {
      values.add(new String(r.value(), StandardCharsets.UTF_8));
    }
    assertThat(values).contains("value", "no-key", "{\"n\":99}");
  }

  @Test
  void runsASinkConnectorAndKeepsItsOffsetsAcrossAWorkerRestart() {
    cluster.createTopic("orders", 2);
    cluster.produce("orders", records("orders", 0, 50));
    cluster.configureConnector("orders-sink", sink("orders"));
    cluster.awaitConnectorRunning("orders-sink", 1, TIMEOUT);
    String group = ConnectTestCluster.sinkGroupId("orders-sink");
    assertThat(group).isEqualTo("connect-orders-sink");
    cluster.awaitCommittedTotal(group, "orders", 50, TIMEOUT);
    assertThat(cluster.committedOffsets(group))
        .containsOnlyKeys(new TopicPartition("orders", 0), new TopicPartition("orders", 1));

    cluster.restartWorker();
    assertThat(cluster.connect().workers()).hasSize(1);
    cluster.awaitConnectorRunning("orders-sink", 1, TIMEOUT);
    assertThat(cluster.committedTotal(group, "orders")).isGreaterThanOrEqualTo(50);
    cluster.produce("orders", records("orders", 50, 80));
    cluster.awaitCommittedTotal(group, "orders", 80, TIMEOUT);
    assertThat(cluster.committedTotal(group, "orders")).isEqualTo(80);

    cluster.deleteConnector("orders-sink");
    await().atMost(TIMEOUT).until(() -> !cluster.connect().connectors().contains("orders-sink"));
  }

  @Test
  void reportsAFailedTaskAndFillsADeadLetterTopic() {
    cluster.createTopic("dirty", 1);
    cluster.produce("dirty", null, "k", "this is not json");

    Map<String, String> strict = sink("dirty");
    strict.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    strict.put("value.converter.schemas.enable", "false");
    cluster.configureConnector("strict-sink", strict);
    String trace = cluster.awaitTaskFailed("strict-sink", TIMEOUT);
    assertThat(trace).contains("Tolerance exceeded");
    assertThat(cluster.connectorStatus("strict-sink").tasks().get(0).state()).isEqualTo("FAILED");
    cluster.deleteConnector("strict-sink");

    Map<String, String> tolerant = new HashMap<>(strict);
    tolerant.put("errors.tolerance", "all");
    tolerant.put("errors.deadletterqueue.topic.name", "dirty-dlq");
    tolerant.put("errors.deadletterqueue.topic.replication.factor", "1");
    cluster.configureConnector("tolerant-sink", tolerant);
    cluster.awaitConnectorRunning("tolerant-sink", 1, TIMEOUT);
    await()
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> cluster.consumeAll("dirty-dlq", Duration.ofSeconds(5)).count() == 1);
    ConsumerRecord<byte[], byte[]> dead =
        cluster.consumeAll("dirty-dlq", TIMEOUT).iterator().next();
    assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("this is not json");
    cluster.deleteConnector("tolerant-sink");
  }
}
