package dev.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.testkit.Answer;
import dev.ferry.testkit.ReceivedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class HttpSinkDeliveryIT extends SinkTestBase {

  @Test
  void batchesJsonArraysAndKeepsPartitionOrderWithRequestsInFlight() {
    cluster.createTopic(topic, 3);
    Map<String, String> config = sinkConfig("/events");
    config.put("body.format", "json_array");
    config.put("batch.max.records", "50");
    config.put("batch.linger.ms", "20");
    config.put("max.in.flight.requests", "3");
    run(config);

    produce(3, 3000);

    target.awaitRecords(3000, WAIT);
    Map<Integer, List<Integer>> perPartition = new HashMap<>();
    Set<String> keys = new HashSet<>();
    for (ReceivedRequest request : target.received()) {
      assertThat(request.method()).isEqualTo("POST");
      assertThat(request.header("Content-Type")).isEqualTo("application/json");
      assertThat(keys.add(request.header("Idempotency-Key"))).isTrue();
      List<JsonNode> records = request.jsonRecords();
      assertThat(records.size()).isBetween(1, 50);
      for (JsonNode r : records) {
        int seq = r.get("seq").asInt();
        perPartition.computeIfAbsent(seq % 3, p -> new ArrayList<>()).add(seq);
      }
    }
    for (List<Integer> seqs : perPartition.values()) {
      assertThat(seqs).isSorted().doesNotHaveDuplicates();
    }
    assertThat(perPartition.values().stream().mapToInt(List::size).sum()).isEqualTo(3000);
    cluster.awaitCommittedTotal(group(), topic, 3000, WAIT);
  }

  @Test
  void sendsOneRecordPerRequestToATemplatedUrlWithHeaders() {
    cluster.createTopic(topic, 1);
    Map<String, String> config = sinkConfig("/");
    config.put("http.url", target.uri("/").toString() + "${topic}/${key}/items/${value.item.id}");
    config.put("http.method", "PUT");
    config.put("http.headers", "{\"X-Source\":\"kafka\",\"apikey\":\"k-123\"}");
    config.put("http.headers.forward", "trace-id");
    run(config);

    RecordHeaders headers = new RecordHeaders();
    headers.add("trace-id", "abc-1".getBytes());
    cluster.produce(
        topic,
        List.of(
            new ProducerRecord<>(
                topic, 0, "cust 7".getBytes(), "{\"item\":{\"id\":\"P&1\"}}".getBytes(), headers)));

    ReceivedRequest request = target.awaitReceived(1, WAIT).get(0);
    assertThat(request.method()).isEqualTo("PUT");
    assertThat(request.path()).isEqualTo("/" + topic + "/cust%207/items/P%261");
    assertThat(request.header("X-Source")).isEqualTo("kafka");
    assertThat(request.header("apikey")).isEqualTo("k-123");
    assertThat(request.header("trace-id")).isEqualTo("abc-1");
    assertThat(request.header("Idempotency-Key")).isEqualTo(topic + "-0-0");
    assertThat(request.bodyAsString()).isEqualTo("{\"item\":{\"id\":\"P&1\"}}");
  }

  @Test
  void sendsNdjsonAndQuotesPlainText() {
    cluster.createTopic(topic, 1);
    Map<String, String> config = sinkConfig("/bulk");
    config.put("body.format", "ndjson");
    config.put("batch.max.records", "3");
    config.put("batch.linger.ms", "2000");
    run(config);

    produce(1, 3, i -> i == 1 ? "plain text" : "{\"seq\":" + i + "}");

    ReceivedRequest request = target.awaitReceived(1, WAIT).get(0);
    assertThat(request.header("Content-Type")).isEqualTo("application/x-ndjson");
    assertThat(request.bodyAsString()).isEqualTo("{\"seq\":0}\n\"plain text\"\n{\"seq\":2}\n");
  }

  @Test
  void seedConnectorJsonWorksWithOnlyTheClassChanged() {
    cluster.createTopic(topic, 1);
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", "HttpSinkConnector");
    config.put("tasks.max", "1");
    config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
    config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    config.put("header.converter", "org.apache.kafka.connect.storage.StringConverter");
    config.put("topics", topic);
    config.put("callback.request.url", target.uri("/callback").toString());
    config.put("callback.request.method", "POST");
    config.put(
        "callback.request.headers", "{\"Content-Type\":\"application/json\",\"apikey\":\"KEY\"}");
    config.put("retry.backoff.sec", "5,60,120,300,600");
    config.put("exception.strategy", "PROGRESS_BACK_OFF_DROP_MESSAGE");
    run(config);

    cluster.produce(topic, 0, "user-1", "{\"id\":\"test\"}");

    ReceivedRequest request = target.awaitReceived(1, WAIT).get(0);
    assertThat(request.path()).isEqualTo("/callback");
    assertThat(request.header("apikey")).isEqualTo("KEY");
    assertThat(request.bodyAsString()).isEqualTo("{\"id\":\"test\"}");
  }

  @Test
  void tombstonesAreIgnoredByDefaultAndCommitted() {
    cluster.createTopic(topic, 1);
    run(sinkConfig("/items"));

    cluster.produce(topic, 0, "gone", null);
    cluster.produce(topic, 0, "kept", "{\"id\":1}");

    target.awaitReceived(1, WAIT);
    cluster.awaitCommittedTotal(group(), topic, 2, WAIT);
    assertThat(target.received()).hasSize(1);
  }

  @Test
  void tombstonesBecomeDeletesOfTheKey() {
    cluster.createTopic(topic, 1);
    Map<String, String> config = sinkConfig("/");
    config.put("http.url", target.uri("/").toString() + "items/${key}");
    config.put("http.method", "PUT");
    config.put("behavior.on.null.values", "delete");
    config.put("body.format", "json_array");
    run(config);

    cluster.produce(topic, 0, "A-1", "{\"id\":\"A-1\"}");
    cluster.produce(topic, 0, "A-1", null);

    List<ReceivedRequest> requests = target.awaitReceived(2, WAIT);
    assertThat(requests.get(0).method()).isEqualTo("PUT");
    assertThat(requests.get(1).method()).isEqualTo("DELETE");
    assertThat(requests.get(1).path()).isEqualTo("/items/A-1");
    assertThat(requests.get(1).body()).isEmpty();
  }

  @Test
  void tombstonesFailTheTaskWhenAskedNamingTheRecord() {
    cluster.createTopic(topic, 1);
    Map<String, String> config = sinkConfig("/items");
    config.put("behavior.on.null.values", "fail");
    run(config);

    cluster.produce(topic, 0, "gone", null);

    String trace = cluster.awaitTaskFailed(connector, WAIT);
    assertThat(trace).contains(topic + "/0@0").contains("behavior.on.null.values");
  }

  @Test
  void waitsForTheRequestDelayCountedFromTheRecordTimestamp() {
    cluster.createTopic(topic, 1);
    Map<String, String> config = sinkConfig("/later");
    config.put("request.delay.sec", "2");
    run(config);

    long stamp = System.currentTimeMillis();
    cluster.produce(
        topic,
        List.of(new ProducerRecord<>(topic, 0, stamp, "k".getBytes(), "{\"a\":1}".getBytes())));

    ReceivedRequest request = target.awaitReceived(1, WAIT).get(0);
    assertThat(Duration.between(Instant.ofEpochMilli(stamp), request.receivedAt()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(2000));
  }

  @Test
  void keepsPerKeyOrderAcrossRetriesWithManyRequestsInFlight() {
    cluster.createTopic(topic, 1);
    Map<String, String> config = sinkConfig("/ordered");
    config.put("delivery.ordering", "key");
    config.put("max.in.flight.requests", "8");
    run(config);
    // every 7th request fails once with a 500; order per key must survive the retries
    AtomicInteger n = new AtomicInteger();
    Set<ReceivedRequest> failed = Collections.newSetFromMap(new IdentityHashMap<>());
    target.respondWith(
        r -> {
          if (n.incrementAndGet() % 7 == 0) {
            failed.add(r);
            return Answer.status(500);
          }
          return Answer.ok();
        });

    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      String key = "key-" + (i % 10);
      records.add(
          new ProducerRecord<>(
              topic,
              0,
              key.getBytes(),
              ("{\"key\":\"" + key + "\",\"seq\":" + i + "}").getBytes()));
    }
    cluster.produce(topic, records);

    cluster.awaitCommittedTotal(group(), topic, 400, WAIT);
    Map<String, List<Integer>> perKey = new HashMap<>();
    for (ReceivedRequest request : target.received()) {
      if (!failed.contains(request)) {
        JsonNode r = request.jsonRecords().get(0);
        perKey
            .computeIfAbsent(r.get("key").asText(), k -> new ArrayList<>())
            .add(r.get("seq").asInt());
      }
    }
    assertThat(perKey).hasSize(10);
    perKey.values().forEach(seqs -> assertThat(seqs).hasSize(40).isSorted());
  }

  @Test
  void publishesTaskMetricsOverJmx() throws Exception {
    cluster.createTopic(topic, 1);
    Map<String, String> config = sinkConfig("/metrics");
    config.put("body.format", "json_array");
    run(config);

    produce(1, 20);
    cluster.awaitCommittedTotal(group(), topic, 20, WAIT);

    await("task metrics in JMX")
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(taskMetric("records-delivered-total")).isEqualTo(20.0);
              assertThat(taskMetric("requests-2xx-total")).isPositive();
              assertThat(taskMetric("batch-size-max")).isPositive();
              assertThat(taskMetric("requests-in-flight")).isZero();
            });
  }
}
