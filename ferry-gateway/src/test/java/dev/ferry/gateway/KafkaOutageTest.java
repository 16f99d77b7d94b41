package dev.ferry.gateway;

import static dev.ferry.gateway.Http.JSON;
import static dev.ferry.gateway.Http.KEY;
import static dev.ferry.gateway.Http.json;
import static dev.ferry.gateway.Http.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.ferry.testkit.RestartableKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka stops while clients post, and starts again on the same port and data: meanwhile the gateway
 * answers 503 with Retry-After and {@code /ready} says so; afterwards every event whose request got
 * a 2xx is in the topic, exactly once, at the offset the answer named.
 */
class KafkaOutageTest {
  private static final String TOPIC = "events";
  private static final int CLIENTS = 4;
  private static final int BATCH = 3;
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static RestartableKafka kafka;
  private static Gateway gateway;
  private static URI base;

  @BeforeAll
  static void start() throws Exception {
    kafka = RestartableKafka.start(Map.of());
    kafka.createTopic(TOPIC, 1, Map.of());
    GatewayConfig config = GatewayConfig.from(Map.of(GatewayConfig.API_KEYS, KEY), Map.of());
    gateway = Gateway.start(config.withPort(0), Map.of("bootstrap.servers", kafka.bootstrap()));
    base = gateway.uri();
  }

  @AfterAll
  static void stop() {
    try {
      if (gateway != null) {
        gateway.close();
      }
    } finally {
      if (kafka != null) {
        kafka.close();
      }
    }
  }

  /** What the clients saw. */
  private static final class Seen {
    final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicInteger successes = new AtomicInteger();
    final AtomicInteger unavailable = new AtomicInteger();

    /** message_id to topic offset, for every event whose request got a 2xx. */
    final Map<String, Long> stored = new ConcurrentHashMap<>();

    final List<String> unexpected = new CopyOnWriteArrayList<>();
  }

  private static String batch(List<String> ids) {
    ArrayNode events = JSON.createArrayNode();
    for (String id : ids) {
      events
          .addObject()
          .put("event_type", "track")
          .put("event_name", "Outage")
          .put("message_id", id)
          .put("user_id", "u-" + id.hashCode() % 7);
    }
    return events.toString();
  }

  private static HttpResponse<String> post(String body) throws IOException, InterruptedException {
    return Http.client()
        .send(
            Http.request(base, "/v1/events")
                .timeout(Duration.ofSeconds(90))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static int ready() {
    return Http.get(base, "/ready").statusCode();
  }

  /**
   * One client: posts batches of new events; a batch answered 503 is sent again (same ids) once
   * {@code /ready} says Kafka is back, as a well-behaved client would.
   */
  private static void client(int n, Seen seen) {
    for (int b = 0; seen.running.get(); b++) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < BATCH; i++) {
        ids.add("c" + n + "-" + b + "-" + i);
      }
      String body = batch(ids);
      while (true) {
        HttpResponse<String> r;
        try {
          r = post(body);
        } catch (IOException e) {
          seen.unexpected.add("client " + n + ": " + e);
          if (!seen.running.get()) {
            return;
          }
          continue;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        if (r.statusCode() / 100 == 2) {
          JsonNode results = json(r).get("results");
          for (int i = 0; i < BATCH; i++) {
            JsonNode result = results.get(i);
            seen.stored.put(result.get("message_id").asText(), result.get("offset").asLong());
          }
          seen.successes.incrementAndGet();
          break;
        }
        if (r.statusCode() != 503 || r.headers().firstValue("Retry-After").isEmpty()) {
          seen.unexpected.add("client " + n + ": " + r.statusCode() + " " + r.body());
          return;
        }
        seen.unavailable.incrementAndGet();
        if (!seen.running.get()) {
          return;
        }
        await("Kafka is back for client " + n)
            .atMost(WAIT)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> !seen.running.get() || ready() == 200);
      }
    }
  }

  @Test
  void clientsGet503WhileKafkaIsDownAndEveryAcceptedEventIsStoredOnce() throws Exception {
    Seen seen = new Seen();
    List<Thread> clients = new ArrayList<>();
    for (int n = 0; n < CLIENTS; n++) {
      int number = n;
      Thread t = new Thread(() -> client(number, seen), "outage-client-" + n);
      t.setDaemon(true);
      t.start();
      clients.add(t);
    }
    try {
      await("the clients' first events are accepted")
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> seen.successes.get() >= 20);

      kafka.stop();

      await("/ready says Kafka is unavailable")
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(100))
          .until(KafkaOutageTest::ready, s -> s == 503);
      HttpResponse<String> notReady = Http.get(base, "/ready");
      assertThat(json(notReady).get("status").asText()).isEqualTo("unavailable");
      assertThat(notReady.headers().firstValue("Retry-After")).isPresent();
      assertThat(Http.get(base, "/health").statusCode()).isEqualTo(200);
      // A client posting now is told to come back, and nothing of its request is kept.
      List<String> refusedIds = List.of("refused-1", "refused-2");
      HttpResponse<String> refused = post(batch(refusedIds));
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
      assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
      assertThat(json(refused).get("error").asText()).isEqualTo("kafka_unavailable");
      assertThat(metric(Http.get(base, "/metrics").body(), "ferry_gateway_kafka_ready")).isZero();

      kafka.restart();

      await("/ready says Kafka is back")
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(100))
          .until(KafkaOutageTest::ready, s -> s == 200);
      int afterRestart = seen.successes.get();
      await("the clients' events are accepted again")
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> seen.successes.get() >= afterRestart + 20);
      seen.running.set(false);
      for (Thread t : clients) {
        t.join(WAIT.toMillis());
        assertThat(t.isAlive()).as(t.getName() + " finished").isFalse();
      }
      assertThat(seen.unexpected).isEmpty();
      System.err.printf(
          "outage: %d requests accepted (%d events), %d answered 503 to the clients%n",
          seen.successes.get(), seen.stored.size(), seen.unavailable.get());

      Map<String, Integer> copies = new HashMap<>();
      Map<String, Long> offsets = new HashMap<>();
      try (TopicReader topic = new TopicReader(kafka.bootstrap())) {
        for (ConsumerRecord<byte[], byte[]> r : topic.readAll(TOPIC)) {
          String id = envelope(r).get("message_id").asText();
          copies.merge(id, 1, Integer::sum);
          offsets.put(id, r.offset());
        }
      }
      assertThat(seen.stored).hasSizeGreaterThanOrEqualTo(40 * BATCH);
      for (Map.Entry<String, Long> e : seen.stored.entrySet()) {
        assertThat(copies.get(e.getKey())).as("copies of " + e.getKey()).isEqualTo(1);
        assertThat(offsets.get(e.getKey())).as("offset of " + e.getKey()).isEqualTo(e.getValue());
      }
      assertThat(copies).doesNotContainKeys(refusedIds.toArray(String[]::new));
      assertThat(copies.values()).allMatch(c -> c == 1);
    } finally {
      seen.running.set(false);
      if (!kafka.running()) {
        kafka.restart();
      }
    }
  }

  private static JsonNode envelope(ConsumerRecord<byte[], byte[]> record) {
    try {
      return JSON.readTree(record.value());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
