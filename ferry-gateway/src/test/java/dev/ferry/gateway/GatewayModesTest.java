package dev.ferry.gateway;

import static dev.ferry.gateway.Http.JSON;
import static dev.ferry.gateway.Http.KEY;
import static dev.ferry.gateway.Http.json;
import static dev.ferry.gateway.Http.metric;
import static dev.ferry.gateway.Http.post;
import static dev.ferry.gateway.Http.request;
import static dev.ferry.gateway.Http.send;
import static dev.ferry.gateway.TopicReader.header;
import static dev.ferry.gateway.TopicReader.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.testkit.RestartableKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway's other modes on one broker: consent-denied events routed to a topic of their own
 * (with authentication off), async delivery (202), and 429 while Kafka is slow to acknowledge.
 */
class GatewayModesTest {
  private static final String ROUTED_EVENTS = "mode-events";
  private static final String DENIED = "denied-events";
  private static final String ASYNC_EVENTS = "async-events";
  private static final String BUSY_EVENTS = "busy-events";
  private static final String EVENT_TIME_EVENTS = "event-time-events";

  private static RestartableKafka kafka;
  private static TopicReader topics;
  private static Gateway routing;
  private static Gateway async;
  private static Gateway busy;
  private static Gateway eventTime;

  @BeforeAll
  static void start() throws Exception {
    kafka = RestartableKafka.start(Map.of());
    for (String topic :
        List.of(ROUTED_EVENTS, DENIED, ASYNC_EVENTS, BUSY_EVENTS, EVENT_TIME_EVENTS)) {
      kafka.createTopic(topic, 1, Map.of());
    }
    Map<String, Object> client = Map.of("bootstrap.servers", kafka.bootstrap());
    routing =
        Gateway.start(
            config(
                GatewayConfig.AUTH, "none",
                GatewayConfig.TOPIC, ROUTED_EVENTS,
                GatewayConfig.CONSENT_DENIED, "route",
                GatewayConfig.CONSENT_DENIED_TOPIC, DENIED,
                GatewayConfig.CONSENT_CATEGORIES, "analytics"),
            client);
    async =
        Gateway.start(
            config(
                GatewayConfig.API_KEYS, KEY,
                GatewayConfig.TOPIC, ASYNC_EVENTS,
                GatewayConfig.DELIVERY, "async"),
            client);
    busy =
        Gateway.start(
            config(
                GatewayConfig.API_KEYS,
                KEY,
                GatewayConfig.TOPIC,
                BUSY_EVENTS,
                GatewayConfig.MAX_IN_FLIGHT_BYTES,
                "1024",
                "gateway.producer.client.id",
                "busy-gateway",
                "gateway.producer.interceptor.classes",
                HoldAcks.class.getName()),
            client);
    eventTime =
        Gateway.start(
            config(
                GatewayConfig.AUTH,
                "none",
                GatewayConfig.TOPIC,
                EVENT_TIME_EVENTS,
                GatewayConfig.RECORD_TIMESTAMP,
                "event",
                GatewayConfig.RECORD_TIMESTAMP_MAX_BEHIND,
                String.valueOf(Duration.ofDays(400).toMillis())),
            client);
    topics = new TopicReader(kafka.bootstrap());
  }

  private static GatewayConfig config(String... kv) {
    Map<String, String> props = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      props.put(kv[i], kv[i + 1]);
    }
    return GatewayConfig.from(props, Map.of()).withPort(0);
  }

  @AfterAll
  static void stop() {
    HoldAcks.gate.countDown();
    for (AutoCloseable c : new AutoCloseable[] {topics, routing, async, busy, eventTime, kafka}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static String id() {
    return "m-" + UUID.randomUUID();
  }

  private static ObjectNode event(String messageId) {
    ObjectNode e = JSON.createObjectNode();
    e.put("event_type", "track");
    e.put("event_name", "Clicked");
    e.put("message_id", messageId);
    e.put("user_id", "user-9");
    return e;
  }

  private static ObjectNode consent(ObjectNode event) {
    return event.putObject("context").putObject("consent");
  }

  private static JsonNode envelope(ConsumerRecord<byte[], byte[]> record) {
    try {
      return JSON.readTree(record.value());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Set<String> ids(String topic) {
    return topics.readAll(topic).stream()
        .map(r -> envelope(r).path("message_id").asText())
        .collect(Collectors.toSet());
  }

  @Test
  void deniedEventsGoToTheirOwnTopicAndAreCounted() {
    URI base = routing.uri();
    double before =
        metric(
            Http.get(base, "/metrics").body(),
            "ferry_gateway_events_total",
            "result=\"accepted\"",
            "reason=\"consent\"");
    String byCategory = id();
    String byDestination = id();
    String allowed = id();
    ObjectNode a = event(byCategory);
    consent(a).putObject("categories").put("analytics", false).put("ads", true);
    ObjectNode b = event(byDestination);
    consent(b).putObject("destinations").put("kafka", false);
    ObjectNode c = event(allowed);
    consent(c).putObject("categories").put("analytics", true).put("ads", false);
    // No Authorization header: gateway.auth=none.
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(base.resolve("/v1/events"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[" + a + "," + b + "," + c + "]"))
                .build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode results = json(r).get("results");
    assertThat(json(r).get("accepted").asInt()).isEqualTo(3);
    assertThat(json(r).get("dropped").asInt()).isZero();
    assertThat(results.get(0).get("topic").asText()).isEqualTo(DENIED);
    assertThat(results.get(1).get("topic").asText()).isEqualTo(DENIED);
    assertThat(results.get(2).get("topic").asText()).isEqualTo(ROUTED_EVENTS);
    ConsumerRecord<byte[], byte[]> denied =
        topics.at(DENIED, results.get(0).get("offset").asLong());
    assertThat(envelope(denied).get("message_id").asText()).isEqualTo(byCategory);
    assertThat(text(denied.key())).isEqualTo("user-9");
    assertThat(header(denied, "event_type")).isEqualTo("track");
    assertThat(
            envelope(topics.at(DENIED, results.get(1).get("offset").asLong()))
                .get("message_id")
                .asText())
        .isEqualTo(byDestination);
    assertThat(ids(ROUTED_EVENTS)).contains(allowed).doesNotContain(byCategory, byDestination);
    assertThat(
            metric(
                Http.get(base, "/metrics").body(),
                "ferry_gateway_events_total",
                "result=\"accepted\"",
                "reason=\"consent\""))
        .isEqualTo(before + 2);
  }

  @Test
  void byDefaultARecordCarriesTheTimeTheProducerTookIt() {
    ObjectNode dated = event(id());
    dated.put("timestamp", "2026-11-30T10:15:30Z");
    long before = System.currentTimeMillis();
    HttpResponse<String> r = post(routing.uri(), "/v1/events", dated.toString());
    long after = System.currentTimeMillis();
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode result = json(r).get("results").get(0);
    ConsumerRecord<byte[], byte[]> record = topics.at(ROUTED_EVENTS, result.get("offset").asLong());
    assertThat(record.timestamp()).isBetween(before, after);
  }

  @Test
  void withEventTimeARecordCarriesTheEventsTimestampIfKafkaTakesIt() throws IOException {
    String past =
        java.time.OffsetDateTime.now(java.time.ZoneOffset.ofHours(1))
            .minusDays(1)
            .withNano(250_000_000)
            .toString();
    ObjectNode dated = event(id());
    dated.put("timestamp", past);
    ObjectNode undated = event(id());
    ObjectNode ahead = event(id());
    ahead.put("timestamp", java.time.Instant.now().plus(Duration.ofHours(2)).toString());
    ObjectNode tooOld = event(id());
    tooOld.put("timestamp", "2020-01-01T00:00:00Z");
    ObjectNode before1970 = event(id());
    before1970.put("timestamp", "1969-12-31T23:59:59Z");
    long before = System.currentTimeMillis();
    HttpResponse<String> r =
        post(
            eventTime.uri(),
            "/v1/events",
            List.of(dated, undated, ahead, tooOld, before1970).toString());
    long after = System.currentTimeMillis();
    assertThat(r.statusCode()).as(r.body()).isEqualTo(207);
    JsonNode results = json(r).get("results");
    ConsumerRecord<byte[], byte[]> first =
        topics.at(EVENT_TIME_EVENTS, results.get(0).get("offset").asLong());
    assertThat(first.timestamp())
        .isEqualTo(java.time.OffsetDateTime.parse(past).toInstant().toEpochMilli());
    // The envelope keeps the time as sent.
    assertThat(JSON.readTree(first.value()).get("timestamp").asText()).isEqualTo(past);
    ConsumerRecord<byte[], byte[]> second =
        topics.at(EVENT_TIME_EVENTS, results.get(1).get("offset").asLong());
    assertThat(second.timestamp()).isBetween(before, after);
    for (int i = 2; i < 5; i++) {
      JsonNode rejected = results.get(i);
      assertThat(rejected.get("status").asText()).as("event %d", i).isEqualTo("rejected");
      assertThat(rejected.get("field").asText()).isEqualTo("timestamp");
      assertThat(rejected.get("rule").asText()).isEqualTo("timestamp_range");
    }
    assertThat(results.get(2).get("reason").asText())
        .contains("ahead of the gateway's clock")
        .contains(GatewayConfig.RECORD_TIMESTAMP_MAX_AHEAD);
    assertThat(results.get(3).get("reason").asText())
        .contains("behind the gateway's clock")
        .contains(GatewayConfig.RECORD_TIMESTAMP_MAX_BEHIND);
    assertThat(results.get(4).get("reason").asText()).contains("before 1970");
    // Nothing else reached the topic: the two accepted events are its last records.
    assertThat(topics.readAll(EVENT_TIME_EVENTS)).hasSize(2);
  }

  @Test
  void asyncModeAnswers202AndTheEventsLand() {
    URI base = async.uri();
    String a = id();
    String b = id();
    HttpResponse<String> r = post(base, "/v1/events", "[" + event(a) + "," + event(b) + "]");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    JsonNode first = json(r).get("results").get(0);
    assertThat(first.get("status").asText()).isEqualTo("accepted");
    assertThat(first.get("message_id").asText()).isEqualTo(a);
    assertThat(first.has("offset")).isFalse();
    String c = id();
    HttpResponse<String> partly =
        post(base, "/v1/events", "[" + event(c) + ",{\"event_type\":\"track\"}]");
    assertThat(partly.statusCode()).as(partly.body()).isEqualTo(207);
    assertThat(json(partly).get("results").get(1).get("rule").asText()).isEqualTo("identity");
    await("the async events are in " + ASYNC_EVENTS)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> ids(ASYNC_EVENTS).containsAll(List.of(a, b, c)));
    // Counted once acknowledged, as in sync mode.
    await("the async events are counted")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                metric(
                        Http.get(base, "/metrics").body(),
                        "ferry_gateway_events_total",
                        "result=\"accepted\"")
                    >= 3);
  }

  @Test
  void whileKafkaIsSlowToAcknowledgeTooManyBytesInFlightGet429() throws Exception {
    URI base = busy.uri();
    HoldAcks.held.set(0);
    HoldAcks.gate = new CountDownLatch(1);
    CompletableFuture<HttpResponse<String>> waiting;
    String first = id();
    try {
      waiting =
          Http.client()
              .sendAsync(
                  request(base, "/v1/events")
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(event(first).toString()))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      await("Kafka's acknowledgement is held back")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> HoldAcks.held.get() > 0);
      assertThat(metric(Http.get(base, "/metrics").body(), "ferry_gateway_in_flight_bytes"))
          .isPositive();
      assertThat(waiting).isNotDone();
      // Alone it would pass (larger than the whole allowance, but nothing else waiting).
      String big = event(id()).put("pad", "x".repeat(1200)).toString();
      HttpResponse<String> refused =
          post(base, "/v1/events", "[" + big + ",{\"event_type\":\"track\"}]");
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
      assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(json(refused).get("error").asText()).isEqualTo("busy");
      assertThat(json(refused).get("message").asText()).contains("gateway.max.in.flight.bytes");
    } finally {
      HoldAcks.gate.countDown();
    }
    HttpResponse<String> done = waiting.get(30, TimeUnit.SECONDS);
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    assertThat(json(done).get("results").get(0).get("message_id").asText()).isEqualTo(first);
    await("nothing in flight")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> metric(Http.get(base, "/metrics").body(), "ferry_gateway_in_flight_bytes") == 0);
    String big = id();
    HttpResponse<String> again =
        post(base, "/v1/events", event(big).put("pad", "x".repeat(1200)).toString());
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(ids(BUSY_EVENTS)).contains(first, big);
    String m = Http.get(base, "/metrics").body();
    assertThat(metric(m, "ferry_gateway_requests_total", "status=\"429\"")).isEqualTo(1);
    // The refused request's events were neither produced nor counted (its client sends it again).
    assertThat(metric(m, "ferry_gateway_events_total", "result=\"accepted\"")).isEqualTo(2);
    assertThat(metric(m, "ferry_gateway_events_total", "result=\"rejected\"")).isZero();
  }

  @Test
  void closingTheGatewayFinishesTheAnswersInFlight() throws Exception {
    Gateway closing =
        Gateway.start(
            config(
                GatewayConfig.API_KEYS,
                KEY,
                GatewayConfig.TOPIC,
                BUSY_EVENTS,
                "gateway.producer.interceptor.classes",
                HoldAcks.class.getName()),
            Map.of("bootstrap.servers", kafka.bootstrap()));
    URI base = closing.uri();
    HoldAcks.held.set(0);
    HoldAcks.gate = new CountDownLatch(1);
    Thread closer = new Thread(closing::close, "closer");
    CompletableFuture<HttpResponse<String>> inFlight;
    String id = id();
    try {
      inFlight =
          Http.client()
              .sendAsync(
                  request(base, "/v1/events")
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(event(id).toString()))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      await("Kafka's acknowledgement is held back")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> HoldAcks.held.get() > 0);
      closer.start();
      // New connections are refused once the gateway is closing.
      java.net.http.HttpClient fresh = java.net.http.HttpClient.newHttpClient();
      await("the gateway stops accepting")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                try {
                  fresh.send(
                      HttpRequest.newBuilder(base.resolve("/health")).build(),
                      HttpResponse.BodyHandlers.discarding());
                  return false;
                } catch (IOException e) {
                  return true;
                }
              });
      assertThat(inFlight).isNotDone();
    } finally {
      HoldAcks.gate.countDown();
    }
    HttpResponse<String> answer = inFlight.get(30, TimeUnit.SECONDS);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    closer.join(30_000);
    assertThat(closer.isAlive()).isFalse();
    long offset = json(answer).get("results").get(0).get("offset").asLong();
    assertThat(envelope(topics.at(BUSY_EVENTS, offset)).get("message_id").asText()).isEqualTo(id);
  }
}
