package dev.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.testkit.Answer;
import dev.ferry.testkit.ReceivedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * How failures are classified (status lists, retry flag, Retry-After, network errors, timeouts) and
 * what each error strategy does once a record cannot be delivered.
 */
class HttpSinkErrorsIT extends SinkTestBase {

  @Test
  void retriesOn500ThenDelivers() {
    cluster.createTopic(topic, 1);
    run(sinkConfig("/items"));
    target.enqueue(2, Answer.status(500));

    produce(1, 1);

    cluster.awaitCommittedTotal(group(), topic, 1, WAIT);
    List<ReceivedRequest> requests = target.received();
    assertThat(requests).hasSize(3);
    assertThat(requests).extracting(r -> r.header("Idempotency-Key")).containsOnly(topic + "-0-0");
    assertThat(requests).extracting(ReceivedRequest::bodyAsString).containsOnly("{\"seq\":0}");
  }

  @Test
  void retryFlagFalseIsPermanentAndDropped() {
    cluster.createTopic(topic, 1);
    run(sinkConfig("/items"));
    // 500 is retriable by status, but the response's flag says retrying will not help
    target.enqueue(Answer.status(500, "{\"retry\":false,\"error\":\"duplicate\"}"));

    produce(1, 2);

    cluster.awaitCommittedTotal(group(), topic, 2, WAIT);
    assertThat(seqsOf(target.received())).containsExactly(0, 1);
  }

  @Test
  void retryFlagTrueRetriesEvenOn400() {
    cluster.createTopic(topic, 1);
    run(sinkConfig("/items"));
    target.enqueue(Answer.status(400, "{\"retry\":true,\"error\":\"busy\"}"));

    produce(1, 1);

    cluster.awaitCommittedTotal(group(), topic, 1, WAIT);
    assertThat(seqsOf(target.received())).containsExactly(0, 0);
  }

  @Test
  void otherClientErrorsArePermanentAndDroppedWithoutRetry() {
    cluster.createTopic(topic, 1);
    run(sinkConfig("/items"));
    target.enqueue(Answer.status(404), Answer.status(422, "{\"error\":\"invalid\"}"));

    produce(1, 3);

    cluster.awaitCommittedTotal(group(), topic, 3, WAIT);
    assertThat(seqsOf(target.received())).containsExactly(0, 1, 2);
  }

  @Test
  void unauthorizedIsRetriedThenStopsTheTask() {
    cluster.createTopic(topic, 1);
    Map<String, String> config = sinkConfig("/items");
    config.put("retry.backoff.sec", "0.1,0.1");
    run(config);
    target.setDefault(Answer.status(401));

    produce(1, 1);

    String trace = cluster.awaitTaskFailed(connector, WAIT);
    assertThat(trace)
        .contains("HTTP 401")
        .contains(topic + "/0@0")
        .contains("http.retry.stop.status.codes");
    assertThat(target.received()).hasSize(3);
    assertThat(cluster.committedTotal(group(), topic)).isZero();
  }

  @Test
  void unauthorizedStopsTheTaskEvenWithDropMessage() {
    // the stop list fails the task "whatever the strategy": an expired credential must not make
    // DROP_MESSAGE throw every record away
    cluster.createTopic(topic, 1);
    Map<String, String> config = sinkConfig("/items");
    config.put("error.strategy", "DROP_MESSAGE");
    run(config);
    target.setDefault(Answer.status(401));

    produce(1, 2);

    await("the task fails, or both records are dropped and committed")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> taskFailed() || cluster.committedTotal(group(), topic) >= 2);
    assertThat(taskFailed())
        .as(
            "task FAILED after HTTP 401 with error.strategy=DROP_MESSAGE (committed: %s records"
                + " dropped instead)",
            cluster.committedTotal(group(), topic))
        .isTrue();
    assertThat(cluster.awaitTaskFailed(connector, WAIT)).contains("HTTP 401");
    assertThat(cluster.committedTotal(group(), topic)).isZero();
  }

  @Test
  void retryAfterIsHonoured() {
    cluster.createTopic(topic, 1);
    run(sinkConfig("/items"));
    target.enqueue(Answer.status(429).header("Retry-After", "2"));

    produce(1, 1);

    List<ReceivedRequest> requests = target.awaitReceived(2, WAIT);
    assertThat(Duration.between(requests.get(0).receivedAt(), requests.get(1).receivedAt()))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    cluster.awaitCommittedTotal(group(), topic, 1, WAIT);
    assertThat(target.received()).hasSize(2);
  }

  @Test
  void retryAfterOn503IsHonouredToo() {
    cluster.createTopic(topic, 1);
    run(sinkConfig("/items"));
    target.enqueue(Answer.status(503).header("Retry-After", "1"));

    produce(1, 1);

    List<ReceivedRequest> requests = target.awaitReceived(2, WAIT);
    assertThat(Duration.between(requests.get(0).receivedAt(), requests.get(1).receivedAt()))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    cluster.awaitCommittedTotal(group(), topic, 1, WAIT);
  }

  @Test
  void progressBackOffStopTaskStopsAfterTheSchedule() {
    cluster.createTopic(topic, 1);
    Map<String, String> config = sinkConfig("/items");
    config.put("error.strategy", "PROGRESS_BACK_OFF_STOP_TASK");
    config.put("retry.backoff.sec", "0.1,0.1");
    run(config);
    target.setDefault(Answer.status(500));

    produce(1, 1);

    String trace = cluster.awaitTaskFailed(connector, WAIT);
    assertThat(trace)
        .contains("HTTP 500")
        .contains(topic + "/0@0")
        .contains("PROGRESS_BACK_OFF_STOP_TASK");
    assertThat(target.received()).hasSize(3);
    assertThat(cluster.committedTotal(group(), topic)).isZero();
  }

  @Test
  void stopTaskStopsOnTheFirstFailure() {
    cluster.createTopic(topic, 1);
    Map<String, String> config = sinkConfig("/items");
    config.put("exception.strategy", "STOP_TASK"); // the seed's key
    run(config);
    target.setDefault(Answer.status(500));

    produce(1, 1);

    String trace = cluster.awaitTaskFailed(connector, WAIT);
    assertThat(trace).contains("HTTP 500").contains(topic + "/0@0").contains("STOP_TASK");
    assertThat(target.received()).hasSize(1);
  }

  @Test
  void dropMessageDropsWithoutRetry() {
    cluster.createTopic(topic, 1);
    Map<String, String> config = sinkConfig("/items");
    config.put("error.strategy", "DROP_MESSAGE");
    run(config);
    target.enqueue(Answer.status(500));

    produce(1, 2);

    cluster.awaitCommittedTotal(group(), topic, 2, WAIT);
    assertThat(seqsOf(target.received())).containsExactly(0, 1);
  }

  @Test
  void progressBackOffDropMessageDropsAfterTheSchedule() {
    cluster.createTopic(topic, 1);
    Map<String, String> config = sinkConfig("/items");
    config.put("retry.backoff.sec", "0.1,0.1");
    run(config);
    target.enqueue(3, Answer.status(500));

    produce(1, 2);

    cluster.awaitCommittedTotal(group(), topic, 2, WAIT);
    assertThat(seqsOf(target.received())).containsExactly(0, 0, 0, 1);
  }

  @Test
  void connectionResetIsRetried() {
    cluster.createTopic(topic, 1);
    run(sinkConfig("/items"));
    target.enqueue(Answer.reset());

    produce(1, 1);

    cluster.awaitCommittedTotal(group(), topic, 1, WAIT);
    assertThat(seqsOf(target.received())).containsExactly(0, 0);
  }

  @Test
  void timeoutIsRetried() {
    cluster.createTopic(topic, 1);
    Map<String, String> config = sinkConfig("/items");
    config.put("http.request.timeout.ms", "500");
    run(config);
    target.enqueue(Answer.hang());

    produce(1, 1);

    cluster.awaitCommittedTotal(group(), topic, 1, WAIT);
    List<ReceivedRequest> requests = target.received();
    assertThat(seqsOf(requests)).containsExactly(0, 0);
    assertThat(Duration.between(requests.get(0).receivedAt(), requests.get(1).receivedAt()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(500));
  }

  @Test
  void deadLetterWritesOnlyRejectedRecordsOfABatchWithReasons() {
    cluster.createTopic(topic, 1);
    String dlq = topic + "-dlq";
    Map<String, String> config = deadLetterConfig(dlq);
    config.put("body.format", "json_array");
    config.put("batch.max.records", "10");
    config.put("batch.linger.ms", "500");
    run(config);
    target.respondWith(
        r ->
            r.bodyAsString().contains("poison")
                ? Answer.status(400, "{\"error\":\"bad item\"}")
                : null);

    produce(1, 10, i -> poison(i) ? "{\"seq\":" + i + ",\"poison\":true}" : "{\"seq\":" + i + "}");

    cluster.awaitCommittedTotal(group(), topic, 10, WAIT);
    List<Integer> delivered = new ArrayList<>();
    for (ReceivedRequest request : target.received()) {
      if (!request.bodyAsString().contains("poison")) {
        request.jsonRecords().forEach(r -> delivered.add(r.get("seq").asInt()));
      }
    }
    assertThat(delivered).containsExactly(0, 1, 2, 4, 5, 6, 8, 9);

    List<ConsumerRecord<byte[], byte[]>> dead = awaitDeadLetters(dlq, 2);
    assertThat(dead)
        .extracting(r -> text(r.value()))
        .containsExactly("{\"seq\":3,\"poison\":true}", "{\"seq\":7,\"poison\":true}");
    assertThat(dead).extracting(r -> text(r.key())).containsExactly("k3", "k7");
    for (ConsumerRecord<byte[], byte[]> r : dead) {
      assertThat(header(r, "ferry.error.status")).isEqualTo("400");
      assertThat(header(r, "ferry.error.reason")).contains("HTTP 400");
      assertThat(header(r, "ferry.error.response")).contains("bad item");
      assertThat(header(r, "ferry.error.attempts")).isEqualTo("1");
      assertThat(header(r, "__connect.errors.topic")).isEqualTo(topic);
      assertThat(header(r, "__connect.errors.exception.message")).contains("HTTP 400");
    }
    assertThat(header(dead.get(0), "__connect.errors.offset")).isEqualTo("3");
    assertThat(header(dead.get(1), "__connect.errors.offset")).isEqualTo("7");
  }

  @Test
  void deadLetterAfterRetriesOnPersistent500() {
    cluster.createTopic(topic, 1);
    String dlq = topic + "-dlq";
    Map<String, String> config = deadLetterConfig(dlq);
    config.put("retry.backoff.sec", "0.1,0.1");
    run(config);
    target.enqueue(3, Answer.status(500, "server on fire"));

    produce(1, 2);

    cluster.awaitCommittedTotal(group(), topic, 2, WAIT);
    assertThat(seqsOf(target.received())).containsExactly(0, 0, 0, 1);
    List<ConsumerRecord<byte[], byte[]>> dead = awaitDeadLetters(dlq, 1);
    assertThat(dead).hasSize(1);
    ConsumerRecord<byte[], byte[]> r = dead.get(0);
    assertThat(text(r.value())).isEqualTo("{\"seq\":0}");
    assertThat(header(r, "ferry.error.status")).isEqualTo("500");
    assertThat(header(r, "ferry.error.reason")).contains("HTTP 500");
    assertThat(header(r, "ferry.error.response")).isEqualTo("server on fire");
    assertThat(header(r, "ferry.error.attempts")).isEqualTo("3");
  }

  private boolean taskFailed() {
    return cluster.connectorStatus(connector).tasks().stream()
        .anyMatch(t -> "FAILED".equals(t.state()));
  }

  private static boolean poison(int i) {
    return i == 3 || i == 7;
  }

  private static List<Integer> seqsOf(List<ReceivedRequest> requests) {
    List<Integer> seqs = new ArrayList<>();
    for (ReceivedRequest request : requests) {
      for (JsonNode r : request.jsonRecords()) {
        seqs.add(r.get("seq").asInt());
      }
    }
    return seqs;
  }

  private static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }
}
