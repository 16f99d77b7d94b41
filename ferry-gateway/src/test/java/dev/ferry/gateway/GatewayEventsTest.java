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
import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway's API against a real broker (auto topic creation off): bodies, per-event answers
 * matching what a consumer reads, routing, consent, rules, limits, keys, duplicates, Kafka's
 * refusals, health, metrics, the test event and the live view.
 */
class GatewayEventsTest {
  private static final String EVENTS = "events";
  private static final String TRACKS = "tracks";
  private static final String USERS = "users";
  private static final String SMALL = "small";
  private static final int MAX_REQUEST = 64 * 1024;
  private static final int MAX_EVENT = 16 * 1024;

  private static RestartableKafka kafka;
  private static Gateway gateway;
  private static URI base;
  private static TopicReader topics;

  @BeforeAll
  static void start() throws Exception {
    kafka = RestartableKafka.start(Map.of("auto.create.topics.enable", "false"));
    for (String topic : List.of(EVENTS, TRACKS, USERS)) {
      kafka.createTopic(topic, 1, Map.of());
    }
    kafka.createTopic(SMALL, 1, Map.of("max.message.bytes", "1024"));
    GatewayConfig config =
        GatewayConfig.from(
            Map.of(
                GatewayConfig.API_KEYS,
                KEY,
                GatewayConfig.ROUTES,
                "track=tracks,identify=users,big=small,ghost=missing-topic,phantom=missing-too,"
                    + "lost=missing-three",
                GatewayConfig.MAX_REQUEST_BYTES,
                String.valueOf(MAX_REQUEST),
                GatewayConfig.MAX_EVENT_BYTES,
                String.valueOf(MAX_EVENT),
                GatewayConfig.MAX_EVENTS,
                "50",
                "gateway.producer.max.block.ms",
                "4000",
                GatewayConfig.FORWARD_HEADERS,
                "X-Request-Id,X-Forwarded-For",
                GatewayConfig.CORS_ORIGINS,
                "https://shop.example.com, https://*.example.org"),
            Map.of());
    gateway = Gateway.start(config.withPort(0), Map.of("bootstrap.servers", kafka.bootstrap()));
    base = gateway.uri();
    topics = new TopicReader(kafka.bootstrap());
  }

  @AfterAll
  static void stop() {
    try {
      if (topics != null) {
        topics.close();
      }
      if (gateway != null) {
        gateway.close();
      }
    } finally {
      if (kafka != null) {
        kafka.close();
      }
    }
  }

  private static String id() {
    return "m-" + UUID.randomUUID();
  }

  private static ObjectNode event(String type, String messageId) {
    ObjectNode e = JSON.createObjectNode();
    e.put("event_type", type);
    e.put("event_name", "Name of " + type);
    e.put("message_id", messageId);
    e.put("anonymous_id", "anon-1");
    e.put("user_id", "user-1");
    e.put("timestamp", "2026-12-01T09:30:00Z");
    e.putObject("properties").put("n", 1);
    return e;
  }

  private static HttpResponse<String> postBytes(byte[] body, String type, String encoding) {
    HttpRequest.Builder b =
        request(base, "/v1/events")
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (encoding != null) {
      b.header("Content-Encoding", encoding);
    }
    return send(b.build());
  }

  private static JsonNode result(HttpResponse<String> response, int index) {
    return json(response).get("results").get(index);
  }

  /** The record the answer points at, checked to be the event with {@code messageId}. */
  private static ConsumerRecord<byte[], byte[]> stored(JsonNode result, String messageId) {
    assertThat(result.get("status").asText()).isEqualTo("accepted");
    assertThat(result.get("message_id").asText()).isEqualTo(messageId);
    assertThat(result.get("partition").asInt()).isZero();
    ConsumerRecord<byte[], byte[]> record =
        topics.at(result.get("topic").asText(), result.get("offset").asLong());
    assertThat(envelope(record).get("message_id").asText()).isEqualTo(messageId);
    return record;
  }

  private static JsonNode envelope(ConsumerRecord<byte[], byte[]> record) {
    try {
      return JSON.readTree(record.value());
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long count(String topic, String messageId) {
    return topics.readAll(topic).stream()
        .filter(r -> messageId.equals(envelope(r).path("message_id").asText()))
        .count();
  }

  private static String scrape() {
    HttpResponse<String> r = Http.get(base, "/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  @Test
  void oneEventBecomesOneMessageWithKeyHeadersAndEnvelope() {
    String id = id();
    ObjectNode e = event("page", id);
    e.put("sent_at", "2026-12-01T09:30:01Z");
    e.putObject("context").put("ip", "10.0.0.1");
    e.put("extra", "kept");
    HttpResponse<String> r = post(base, "/v1/events", e.toString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = json(r);
    assertThat(body.get("accepted").asInt()).isEqualTo(1);
    assertThat(body.get("rejected").asInt()).isZero();
    assertThat(body.get("dropped").asInt()).isZero();
    assertThat(body.get("failed").asInt()).isZero();
    assertThat(result(r, 0).get("topic").asText()).isEqualTo(EVENTS);
    ConsumerRecord<byte[], byte[]> record = stored(result(r, 0), id);
    assertThat(text(record.key())).isEqualTo("user-1");
    assertThat(header(record, "content-type")).isEqualTo("application/json");
    assertThat(header(record, "event_type")).isEqualTo("page");
    assertThat(header(record, "event_name")).isEqualTo("Name of page");
    assertThat(record.headers().lastHeader("x-request-id")).as("not sent, not added").isNull();
    JsonNode v = envelope(record);
    assertThat(v.get("envelope_version").asInt()).isEqualTo(1);
    assertThat(v.get("event_type").asText()).isEqualTo("page");
    assertThat(v.get("event_name").asText()).isEqualTo("Name of page");
    assertThat(v.get("anonymous_id").asText()).isEqualTo("anon-1");
    assertThat(v.get("user_id").asText()).isEqualTo("user-1");
    assertThat(v.get("timestamp").asText()).isEqualTo("2026-12-01T09:30:00Z");
    assertThat(v.get("sent_at").asText()).isEqualTo("2026-12-01T09:30:01Z");
    assertThat(v.get("received_at").asText()).isNotBlank();
    assertThat(v.get("properties").get("n").asInt()).isEqualTo(1);
    assertThat(v.get("context").get("ip").asText()).isEqualTo("10.0.0.1");
    assertThat(v.get("extra").asText()).isEqualTo("kept");
  }

  @Test
  void withoutUserIdTheKeyIsTheAnonymousIdAndWithoutIdOneIsGenerated() {
    ObjectNode e = JSON.createObjectNode().put("event_type", "page").put("anonymous_id", "anon-7");
    HttpResponse<String> r = post(base, "/v1/events", e.toString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String generated = result(r, 0).get("message_id").asText();
    assertThat(UUID.fromString(generated)).isNotNull();
    ConsumerRecord<byte[], byte[]> record = stored(result(r, 0), generated);
    assertThat(text(record.key())).isEqualTo("anon-7");
    assertThat(header(record, "event_name")).isNull();
  }

  @Test
  void anArrayIsAnsweredPerEventInOrder() {
    List<String> ids = List.of(id(), id(), id());
    String body =
        "["
            + event("page", ids.get(0))
            + ","
            + event("page", ids.get(1))
            + ","
            + event("page", ids.get(2))
            + "]";
    HttpResponse<String> r = post(base, "/v1/events", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).get("accepted").asInt()).isEqualTo(3);
    for (int i = 0; i < 3; i++) {
      assertThat(result(r, i).get("index").asInt()).isEqualTo(i);
      stored(result(r, i), ids.get(i));
    }
    assertThat(result(r, 1).get("offset").asLong())
        .isGreaterThan(result(r, 0).get("offset").asLong());
  }

  @Test
  void ndjsonWithABrokenLineRejectsOnlyThatLine() {
    String a = id();
    String b = id();
    String body = event("page", a) + "\n{\"event_type\": broken\n\n" + event("page", b) + "\n";
    HttpResponse<String> r =
        postBytes(
            body.getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/x-ndjson", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(207);
    assertThat(json(r).get("accepted").asInt()).isEqualTo(2);
    assertThat(json(r).get("rejected").asInt()).isEqualTo(1);
    stored(result(r, 0), a);
    assertThat(result(r, 1).get("status").asText()).isEqualTo("rejected");
    assertThat(result(r, 1).get("rule").asText()).isEqualTo("json");
    assertThat(result(r, 1).get("reason").asText()).contains("not valid JSON");
    stored(result(r, 2), b);
  }

  @Test
  void gzipBodies() {
    String a = id();
    String b = id();
    HttpResponse<String> array =
        postBytes(
            Http.gzip("[" + event("page", a) + "," + event("page", b) + "]"),
            "application/json",
            "gzip");
    assertThat(array.statusCode()).as(array.body()).isEqualTo(200);
    stored(result(array, 0), a);
    stored(result(array, 1), b);
    String c = id();
    HttpResponse<String> ndjson =
        postBytes(Http.gzip(event("page", c) + "\n"), "application/x-ndjson", "gzip");
    assertThat(ndjson.statusCode()).as(ndjson.body()).isEqualTo(200);
    stored(result(ndjson, 0), c);
  }

  @Test
  void chunkedBodiesOfUnknownLengthArriveWhole() throws Exception {
    // No Content-Length: the body starts in a small array that has to grow several times.
    List<String> ids = new ArrayList<>();
    StringBuilder body = new StringBuilder("[");
    String padding = "p".repeat(1500);
    for (int i = 0; i < 35; i++) {
      String id = id();
      ids.add(id);
      ObjectNode e = event("page", id);
      ((ObjectNode) e.get("properties")).put("padding", padding + i);
      body.append(i == 0 ? "" : ",").append(e);
    }
    byte[] bytes = body.append(']').toString().getBytes(StandardCharsets.UTF_8);
    assertThat(bytes.length)
        .as("from a first 8 KB array, grown three times, under this gateway's 64 KB limit")
        .isBetween(40_000, 65_536);
    HttpResponse<String> r =
        send(
            request(base, "/v1/events")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
                .build());

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    for (int i = 0; i < ids.size(); i += 17) {
      ConsumerRecord<byte[], byte[]> record = stored(result(r, i), ids.get(i));
      assertThat(envelope(record).at("/properties/padding").asText()).isEqualTo(padding + i);
    }
  }

  @Test
  void routesByEventType() {
    String t = id();
    String u = id();
    String p = id();
    HttpResponse<String> r =
        post(
            base,
            "/v1/events",
            "[" + event("track", t) + "," + event("identify", u) + "," + event("page", p) + "]");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(result(r, 0).get("topic").asText()).isEqualTo(TRACKS);
    assertThat(result(r, 1).get("topic").asText()).isEqualTo(USERS);
    assertThat(result(r, 2).get("topic").asText()).isEqualTo(EVENTS);
    assertThat(header(stored(result(r, 0), t), "event_type")).isEqualTo("track");
    assertThat(header(stored(result(r, 1), u), "event_type")).isEqualTo("identify");
    stored(result(r, 2), p);
  }

  @Test
  void consentDeniedEventsAreDroppedAndCounted() {
    double before =
        metric(scrape(), "ferry_gateway_events_total", "reason=\"consent\"", "result=\"dropped\"");
    String denied = id();
    String allowed = id();
    ObjectNode d = event("page", denied);
    d.putObject("context").putObject("consent").putObject("destinations").put("kafka", false);
    ObjectNode a = event("page", allowed);
    a.putObject("context").putObject("consent").putObject("destinations").put("kafka", true);
    HttpResponse<String> r = post(base, "/v1/events", "[" + d + "," + a + "]");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).get("dropped").asInt()).isEqualTo(1);
    JsonNode drop = result(r, 0);
    assertThat(drop.get("status").asText()).isEqualTo("dropped");
    assertThat(drop.get("message_id").asText()).isEqualTo(denied);
    assertThat(drop.get("rule").asText()).isEqualTo("consent");
    assertThat(drop.has("offset")).isFalse();
    stored(result(r, 1), allowed);
    assertThat(count(EVENTS, denied)).isZero();
    assertThat(
            metric(
                scrape(), "ferry_gateway_events_total", "reason=\"consent\"", "result=\"dropped\""))
        .isEqualTo(before + 1);
  }

  @Test
  void partlyRejectedIs207WithFieldAndRule() {
    String good = id();
    ObjectNode bad = event("page", id());
    bad.put("timestamp", "yesterday");
    ObjectNode noId = JSON.createObjectNode().put("event_type", "page");
    HttpResponse<String> r =
        post(base, "/v1/events", "[" + event("page", good) + "," + bad + "," + noId + "]");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(207);
    JsonNode body = json(r);
    assertThat(body.get("accepted").asInt()).isEqualTo(1);
    assertThat(body.get("rejected").asInt()).isEqualTo(2);
    stored(result(r, 0), good);
    assertThat(result(r, 1).get("status").asText()).isEqualTo("rejected");
    assertThat(result(r, 1).get("field").asText()).isEqualTo("timestamp");
    assertThat(result(r, 1).get("rule").asText()).isEqualTo("iso8601");
    assertThat(result(r, 1).get("reason").asText()).contains("ISO-8601");
    assertThat(result(r, 2).get("field").asText()).isEqualTo("user_id");
    assertThat(result(r, 2).get("rule").asText()).isEqualTo("identity");
  }

  @Test
  void allInvalidIs400() {
    HttpResponse<String> r =
        post(
            base,
            "/v1/events",
            "[{\"user_id\":\"u\"},{\"event_type\":\"t\",\"user_id\":\"u\",\"properties\":[1]}]");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(result(r, 0).get("field").asText()).isEqualTo("event_type");
    assertThat(result(r, 0).get("rule").asText()).isEqualTo("required");
    assertThat(result(r, 1).get("field").asText()).isEqualTo("properties");
    assertThat(result(r, 1).get("rule").asText()).isEqualTo("object");
    HttpResponse<String> notJson = post(base, "/v1/events", "{\"event_type\": nope}");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(json(notJson).get("error").asText()).isEqualTo("json");
    assertThat(json(notJson).get("message").asText()).contains("not valid JSON");
  }

  @Test
  void aRequestAboveTheLimitIs413NamingIt() {
    String big = "[" + event("page", id()).put("pad", "x".repeat(MAX_REQUEST)) + "]";
    HttpResponse<String> plain = post(base, "/v1/events", big);
    assertThat(plain.statusCode()).as(plain.body()).isEqualTo(413);
    assertThat(json(plain).get("error").asText()).isEqualTo("too_large");
    assertThat(json(plain).get("message").asText())
        .contains("gateway.max.request.bytes")
        .contains(String.valueOf(MAX_REQUEST));
    // Small on the wire, too large once decompressed.
    byte[] compressed = Http.gzip(big);
    assertThat(compressed.length).isLessThan(MAX_REQUEST / 10);
    HttpResponse<String> gzip = postBytes(compressed, "application/json", "gzip");
    assertThat(gzip.statusCode()).as(gzip.body()).isEqualTo(413);
    assertThat(json(gzip).get("message").asText())
        .contains("gateway.max.request.bytes")
        .contains(String.valueOf(MAX_REQUEST));
    // The gateway still answers on the same client afterwards.
    assertThat(post(base, "/v1/events", event("page", id()).toString()).statusCode())
        .isEqualTo(200);
  }

  @Test
  void anEventAboveTheLimitIs413NamingIt() {
    String id = id();
    HttpResponse<String> r =
        post(base, "/v1/events", event("page", id).put("pad", "x".repeat(MAX_EVENT)).toString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
    assertThat(result(r, 0).get("rule").asText()).isEqualTo("too_large");
    assertThat(result(r, 0).get("reason").asText())
        .contains("gateway.max.event.bytes")
        .contains(String.valueOf(MAX_EVENT));
    // Next to a good event it is one rejection among others.
    String good = id();
    HttpResponse<String> mixed =
        post(
            base,
            "/v1/events",
            "["
                + event("page", good)
                + ","
                + event("page", id()).put("pad", "x".repeat(MAX_EVENT))
                + "]");
    assertThat(mixed.statusCode()).as(mixed.body()).isEqualTo(207);
    stored(result(mixed, 0), good);
    assertThat(result(mixed, 1).get("rule").asText()).isEqualTo("too_large");
  }

  @Test
  void tooManyEventsIs413() {
    StringBuilder body = new StringBuilder("[");
    for (int i = 0; i < 51; i++) {
      body.append(i == 0 ? "" : ",").append("{\"event_type\":\"page\",\"user_id\":\"u\"}");
    }
    HttpResponse<String> r = post(base, "/v1/events", body.append("]").toString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
    assertThat(json(r).get("error").asText()).isEqualTo("too_many_events");
    assertThat(json(r).get("message").asText()).contains("gateway.max.events.per.request");
  }

  @Test
  void anApiKeyIsRequired() {
    String body = event("page", id()).toString();
    HttpResponse<String> none =
        send(
            HttpRequest.newBuilder(base.resolve("/v1/events"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(json(none).get("error").asText()).isEqualTo("unauthorized");
    for (String auth :
        List.of("Bearer wrong-key-0123456789abcdef", "Basic " + KEY, "Bearer ", KEY)) {
      HttpResponse<String> wrong =
          send(
              HttpRequest.newBuilder(base.resolve("/v1/events"))
                  .header("Authorization", auth)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build());
      assertThat(wrong.statusCode()).as(auth).isEqualTo(401);
      assertThat(wrong.body()).doesNotContain(KEY);
    }
    HttpResponse<String> test =
        send(
            HttpRequest.newBuilder(base.resolve("/v1/events/test"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(test.statusCode()).isEqualTo(401);
    HttpResponse<String> live =
        send(HttpRequest.newBuilder(base.resolve("/v1/events/live")).GET().build());
    assertThat(live.statusCode()).isEqualTo(401);
    assertThat(metric(scrape(), "ferry_gateway_requests_total", "status=\"401\""))
        .as("refused posts are counted")
        .isGreaterThanOrEqualTo(6);
    // The key is case-insensitive in its scheme only.
    HttpResponse<String> lower =
        send(
            HttpRequest.newBuilder(base.resolve("/v1/events"))
                .header("Authorization", "bearer " + KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    assertThat(lower.statusCode()).isEqualTo(200);
  }

  @Test
  void aDuplicateMessageIdIsAcceptedOnce() {
    String id = id();
    HttpResponse<String> first = post(base, "/v1/events", event("page", id).toString());
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(result(first, 0).has("duplicate")).isFalse();
    HttpResponse<String> second = post(base, "/v1/events", event("page", id).toString());
    assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
    JsonNode again = result(second, 0);
    assertThat(again.get("duplicate").asBoolean()).isTrue();
    assertThat(again.get("topic").asText()).isEqualTo(EVENTS);
    assertThat(again.get("partition").asInt()).isEqualTo(result(first, 0).get("partition").asInt());
    assertThat(again.get("offset").asLong()).isEqualTo(result(first, 0).get("offset").asLong());
    // Twice in one request, too.
    String twice = id();
    HttpResponse<String> both =
        post(base, "/v1/events", "[" + event("page", twice) + "," + event("page", twice) + "]");
    assertThat(both.statusCode()).as(both.body()).isEqualTo(200);
    assertThat(result(both, 1).get("duplicate").asBoolean()).isTrue();
    assertThat(result(both, 1).get("offset").asLong())
        .isEqualTo(result(both, 0).get("offset").asLong());
    assertThat(count(EVENTS, id)).isEqualTo(1);
    assertThat(count(EVENTS, twice)).isEqualTo(1);
    assertThat(
            metric(
                scrape(),
                "ferry_gateway_events_total",
                "reason=\"duplicate\"",
                "result=\"accepted\""))
        .isGreaterThanOrEqualTo(2);
  }

  @Test
  void anUnknownTopicIsReportedAsSuch() {
    String id = id();
    HttpResponse<String> r = post(base, "/v1/events", event("ghost", id).toString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(500);
    JsonNode failed = result(r, 0);
    assertThat(failed.get("status").asText()).isEqualTo("failed");
    assertThat(failed.get("rule").asText()).isEqualTo("unknown_topic");
    assertThat(failed.get("retriable").asBoolean()).isFalse();
    assertThat(failed.get("reason").asText()).contains("missing-topic");
    // Once Kafka said a topic does not exist, the next events for it are answered from memory
    // instead of each waiting max.block.ms (4 s here) for the topic: in the same request already.
    StringBuilder many = new StringBuilder("[");
    for (int i = 0; i < 40; i++) {
      many.append(i == 0 ? "" : ",").append(event("phantom", id()));
    }
    HttpResponse<String> all = post(base, "/v1/events", many.append("]").toString());
    assertThat(all.statusCode()).as(all.body()).isEqualTo(500);
    assertThat(result(all, 0).get("reason").asText()).doesNotContain("Kafka said so");
    for (int i = 1; i < 40; i++) {
      assertThat(result(all, i).get("rule").asText()).isEqualTo("unknown_topic");
      assertThat(result(all, i).get("reason").asText())
          .as("event %d", i)
          .contains("missing-too does not exist (Kafka said so");
    }
    // A missing topic is not a missing Kafka.
    assertThat(Http.get(base, "/ready").statusCode()).isEqualTo(200);
    assertThat(post(base, "/v1/events", event("page", id()).toString()).statusCode())
        .isEqualTo(200);
    assertThat(
            metric(
                scrape(),
                "ferry_gateway_events_total",
                "reason=\"unknown_topic\"",
                "result=\"failed\""))
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void anEventLargerThanTheTopicAcceptsIsRejectedTooLarge() {
    // Random text, so that compression does not bring it under the topic's 1024 bytes.
    byte[] random = new byte[3000];
    new SecureRandom().nextBytes(random);
    String pad = Base64.getEncoder().encodeToString(random);
    String id = id();
    HttpResponse<String> r = post(base, "/v1/events", event("big", id).put("pad", pad).toString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
    JsonNode rejected = result(r, 0);
    assertThat(rejected.get("status").asText()).isEqualTo("rejected");
    assertThat(rejected.get("rule").asText()).isEqualTo("too_large");
    assertThat(rejected.get("reason").asText())
        .contains("topic small")
        .contains("max.message.bytes");
    // A small one still goes to that topic, and one next to a good one is one rejection of two.
    String small = id();
    String good = id();
    HttpResponse<String> mixed =
        post(
            base,
            "/v1/events",
            "["
                + event("big", small)
                + ","
                + event("big", id()).put("pad", pad)
                + ","
                + event("page", good)
                + "]");
    assertThat(mixed.statusCode()).as(mixed.body()).isEqualTo(207);
    stored(result(mixed, 0), small);
    assertThat(result(mixed, 1).get("rule").asText()).isEqualTo("too_large");
    stored(result(mixed, 2), good);
    assertThat(count(SMALL, id)).isZero();
  }

  @Test
  void healthReadyAndMetrics() {
    HttpResponse<String> health = Http.get(base, "/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(json(health).get("status").asText()).isEqualTo("up");
    HttpResponse<String> ready = Http.get(base, "/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(json(ready).get("status").asText()).isEqualTo("ready");
    assertThat(json(ready).get("kafka").asText()).startsWith("cluster ");
    assertThat(gateway.kafkaReady()).isTrue();

    assertThat(post(base, "/v1/events", event("page", id()).toString()).statusCode())
        .isEqualTo(200);
    assertThat(post(base, "/v1/events", "{\"event_type\":\"page\"}").statusCode()).isEqualTo(400);
    String m = scrape();
    assertThat(metric(m, "ferry_gateway_events_total", "result=\"accepted\"", "reason=\"\""))
        .isGreaterThanOrEqualTo(1);
    assertThat(
            metric(m, "ferry_gateway_events_total", "result=\"rejected\"", "reason=\"identity\""))
        .isGreaterThanOrEqualTo(1);
    assertThat(metric(m, "ferry_gateway_produce_latency_seconds_count")).isGreaterThanOrEqualTo(1);
    assertThat(m).contains("ferry_gateway_produce_latency_seconds_bucket{");
    assertThat(metric(m, "ferry_gateway_request_size_bytes_count")).isGreaterThanOrEqualTo(2);
    assertThat(metric(m, "ferry_gateway_request_size_bytes_sum")).isGreaterThan(20);
    assertThat(m).contains("ferry_gateway_request_size_bytes_bucket{");
    assertThat(metric(m, "ferry_gateway_requests_total", "status=\"200\""))
        .isGreaterThanOrEqualTo(1);
    assertThat(metric(m, "ferry_gateway_requests_total", "status=\"400\""))
        .isGreaterThanOrEqualTo(1);
    assertThat(m).contains("ferry_gateway_in_flight_bytes ");
    assertThat(metric(m, "ferry_gateway_kafka_ready")).isEqualTo(1);
  }

  @Test
  void namedRequestHeadersAreCopiedOntoEveryRecordOfTheRequest() {
    String a = id();
    String b = id();
    HttpResponse<String> r =
        send(
            request(base, "/v1/events")
                .header("Content-Type", "application/json")
                .header("X-Request-Id", "req-42")
                .header("X-Other", "not forwarded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "[" + event("page", a) + "," + event("page", b) + "]"))
                .build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    for (int i = 0; i < 2; i++) {
      ConsumerRecord<byte[], byte[]> record = stored(result(r, i), i == 0 ? a : b);
      assertThat(header(record, "x-request-id")).isEqualTo("req-42");
      assertThat(record.headers().lastHeader("x-other")).isNull();
      assertThat(record.headers().lastHeader("x-forwarded-for")).isNull();
      assertThat(header(record, "event_type")).isEqualTo("page");
    }
  }

  @Test
  void theTestEventLandsInTheTopic() {
    HttpResponse<String> r =
        send(request(base, "/v1/events/test").POST(HttpRequest.BodyPublishers.noBody()).build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode res = result(r, 0);
    assertThat(res.get("topic").asText()).isEqualTo(EVENTS);
    ConsumerRecord<byte[], byte[]> record = stored(res, res.get("message_id").asText());
    assertThat(header(record, "event_type")).isEqualTo("test");
    assertThat(text(record.key())).isEqualTo("ferry-test");
    assertThat(envelope(record).get("event_name").asText()).isEqualTo("Ferry test event");
  }

  @Test
  void theLiveViewStreamsRecentAndNewDeliveries() throws Exception {
    String recent = id();
    assertThat(post(base, "/v1/events", event("page", recent).toString()).statusCode())
        .isEqualTo(200);
    HttpResponse<Stream<String>> live =
        Http.client()
            .send(
                request(base, "/v1/events/live").GET().build(),
                HttpResponse.BodyHandlers.ofLines());
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (Stream<String> stream = live.body()) {
                stream.forEach(lines::add);
              } catch (RuntimeException closed) {
                // the test closed the stream
              }
            },
            "live-reader");
    reader.setDaemon(true);
    reader.start();
    try {
      JsonNode replayed = awaitDelivery(lines, recent);
      assertThat(replayed.get("status").asText()).isEqualTo("accepted");
      assertThat(replayed.get("topic").asText()).isEqualTo(EVENTS);

      String fresh = id();
      HttpResponse<String> r = post(base, "/v1/events", event("track", fresh).toString());
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode delivered = awaitDelivery(lines, fresh);
      assertThat(delivered.get("status").asText()).isEqualTo("accepted");
      assertThat(delivered.get("event_type").asText()).isEqualTo("track");
      assertThat(delivered.get("topic").asText()).isEqualTo(TRACKS);
      assertThat(delivered.get("offset").asLong()).isEqualTo(result(r, 0).get("offset").asLong());
      assertThat(delivered.get("latency_ms").asDouble()).isGreaterThanOrEqualTo(0);
      assertThat(delivered.has("properties")).isFalse();

      String bad = id();
      post(base, "/v1/events", event("page", bad).put("timestamp", "soon").toString());
      JsonNode rejected = awaitDelivery(lines, bad);
      assertThat(rejected.get("status").asText()).isEqualTo("rejected");
      assertThat(rejected.get("reason").asText()).isEqualTo("iso8601");
      assertThat(lines).contains("event: delivery");
    } finally {
      live.body().close();
    }
  }

  /** The {@code data:} of the live view's line about {@code messageId}, waiting for it. */
  private static JsonNode awaitDelivery(List<String> lines, String messageId) {
    String line =
        await("a live line about " + messageId)
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(20))
            .until(
                () ->
                    lines.stream()
                        .filter(l -> l.startsWith("data: ") && l.contains(messageId))
                        .findFirst()
                        .orElse(null),
                l -> l != null);
    try {
      return JSON.readTree(line.substring("data: ".length()));
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void wrongPathsMethodsAndEncodings() {
    assertThat(Http.get(base, "/nope").statusCode()).isEqualTo(404);
    HttpResponse<String> openApi = Http.get(base, "/v1/openapi.yaml");
    assertThat(openApi.statusCode()).isEqualTo(200);
    assertThat(openApi.headers().firstValue("Content-Type")).hasValue("application/yaml");
    assertThat(openApi.body()).contains("/v1/events");
    HttpResponse<String> get = send(request(base, "/v1/events").GET().build());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    HttpResponse<String> postHealth =
        send(request(base, "/health").POST(HttpRequest.BodyPublishers.noBody()).build());
    assertThat(postHealth.statusCode()).isEqualTo(405);
    byte[] body = event("page", id()).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    HttpResponse<String> xml = postBytes(body, "application/xml", null);
    assertThat(xml.statusCode()).isEqualTo(415);
    assertThat(json(xml).get("error").asText()).isEqualTo("content_type");
    HttpResponse<String> br = postBytes(body, "application/json", "br");
    assertThat(br.statusCode()).isEqualTo(415);
    assertThat(json(br).get("error").asText()).isEqualTo("content_encoding");
    HttpResponse<String> notGzip = postBytes(body, "application/json", "gzip");
    assertThat(notGzip.statusCode()).isEqualTo(400);
    assertThat(json(notGzip).get("error").asText()).isEqualTo("gzip");
    byte[] gz = Http.gzip(event("page", id()).toString());
    HttpResponse<String> truncated =
        postBytes(java.util.Arrays.copyOf(gz, gz.length - 10), "application/json", "gzip");
    assertThat(truncated.statusCode()).isEqualTo(400);
    assertThat(json(truncated).get("error").asText()).isEqualTo("gzip");
    // sendBeacon sends text/plain.
    assertThat(postBytes(body, "text/plain;charset=UTF-8", null).statusCode()).isEqualTo(200);
  }

  /**
   * The status line and headers of the answer to {@code head} followed by only part of its body;
   * then waits for the gateway to close the connection.
   */
  private static String answerToAnUnfinishedBody(String head, String partOfBody) throws Exception {
    try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(20_000);
      java.io.OutputStream out = socket.getOutputStream();
      out.write((head + "\r\n" + partOfBody).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.flush();
      java.io.InputStream in = socket.getInputStream();
      StringBuilder answer = new StringBuilder();
      while (answer.indexOf("\r\n\r\n") < 0) {
        int b = in.read();
        assertThat(b).as("answer so far: " + answer).isNotNegative();
        answer.append((char) b);
      }
      // The rest of the answer, then the end of the connection.
      byte[] buffer = new byte[4096];
      while (in.read(buffer) >= 0) {
        // drain
      }
      return answer.toString();
    }
  }

  @Test
  void aRefusalBeforeTheBodyIsReadTellsTheClientToCloseTheConnection() throws Exception {
    String unauthorized =
        answerToAnUnfinishedBody(
            "POST /v1/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1000\r\n",
            "{\"event_type\":");
    assertThat(unauthorized).startsWith("HTTP/1.1 401").containsIgnoringCase("Connection: close");
    String tooLarge =
        answerToAnUnfinishedBody(
            "POST /v1/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer "
                + KEY
                + "\r\nContent-Length: "
                + (MAX_REQUEST + 1)
                + "\r\n",
            "[");
    assertThat(tooLarge).startsWith("HTTP/1.1 413").containsIgnoringCase("Connection: close");
    // Many refusals in a row on one client: each on a connection of its own, none unanswered.
    for (int i = 0; i < 50; i++) {
      HttpResponse<String> r =
          send(
              HttpRequest.newBuilder(base.resolve("/v1/events"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(event("page", id()).toString()))
                  .build());
      assertThat(r.statusCode()).isEqualTo(401);
    }
  }

  /** A POST of {@code body} over a connection of its own, its first part only. */
  private static java.net.Socket startPost(String body, int sendBytes) throws Exception {
    java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort());
    socket.setSoTimeout(20_000);
    byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String head =
        "POST /v1/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + "Authorization: Bearer "
            + KEY
            + "\r\nContent-Length: "
            + bytes.length
            + "\r\n\r\n";
    java.io.OutputStream out = socket.getOutputStream();
    out.write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    out.write(bytes, 0, sendBytes);
    out.flush();
    return socket;
  }

  /** Sends the rest of {@code body} on {@code socket} and reads the status line of the answer. */
  private static String finishPost(java.net.Socket socket, String body, int sentBytes)
      throws Exception {
    byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    socket.getOutputStream().write(bytes, sentBytes, bytes.length - sentBytes);
    socket.getOutputStream().flush();
    java.io.InputStream in = socket.getInputStream();
    StringBuilder line = new StringBuilder();
    while (line.indexOf("\r\n") < 0) {
      int b = in.read();
      assertThat(b).as("status line so far: " + line).isNotNegative();
      line.append((char) b);
    }
    return line.toString().strip();
  }

  /** The gateway's threads that wait inside the gateway's own code, e.g. for a body. */
  private static long gatewayThreadsWaitingInTheGateway() {
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(e -> e.getKey().getName().startsWith("ferry-gateway"))
        .filter(e -> e.getKey().getState() != Thread.State.RUNNABLE)
        .filter(
            e ->
                java.util.Arrays.stream(e.getValue())
                    .anyMatch(f -> f.getClassName().startsWith("dev.ferry.gateway.")))
        .count();
  }

  @Test
  void bodiesArrivingSlowlyHoldNoThread() throws Exception {
    int clients = 40;
    List<java.net.Socket> sockets = new java.util.ArrayList<>();
    List<String> bodies = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < clients; i++) {
        String body = event("page", id()).toString();
        bodies.add(body);
        sockets.add(startPost(body, body.length() / 2));
      }
      // Forty bodies stopped halfway: the gateway answers others meanwhile, and none of its
      // threads waits for the rest of them (a blocking reader held one thread per body).
      assertThat(post(base, "/v1/events", event("page", id()).toString()).statusCode())
          .isEqualTo(200);
      // Polled: a thread may still be finishing an earlier test's request (e.g. the wait for a
      // missing topic); a thread held by a body stays until the body ends.
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(gatewayThreadsWaitingInTheGateway()).isZero());
      for (int i = 0; i < clients; i++) {
        String body = bodies.get(i);
        assertThat(finishPost(sockets.get(i), body, body.length() / 2))
            .isEqualTo("HTTP/1.1 200 OK");
      }
    } finally {
      for (java.net.Socket socket : sockets) {
        socket.close();
      }
    }
  }

  @Test
  void aRequestWaitingForAMissingTopicHoldsUpNoOther() throws Exception {
    // The producer waits max.block.ms (4 s here) for the metadata of a topic it never wrote to:
    // that wait happens on the thread pool, never on a thread that reads other requests.
    String lostBody = event("lost", id()).toString();
    int whole = lostBody.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    java.net.Socket lost = startPost(lostBody, whole);
    try {
      java.util.concurrent.CompletableFuture<String> lostAnswer =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                try {
                  return finishPost(lost, lostBody, whole);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      // Each on a connection of its own, so on every selector thread of the gateway.
      for (int i = 0; i < 10; i++) {
        String body = event("page", id()).toString();
        try (java.net.Socket other = startPost(body, 0)) {
          assertThat(finishPost(other, body, 0)).isEqualTo("HTTP/1.1 200 OK");
        }
      }
      assertThat(lostAnswer).as("the request for a missing topic still waits").isNotDone();
      assertThat(lostAnswer.get(20, java.util.concurrent.TimeUnit.SECONDS))
          .startsWith("HTTP/1.1 500");
    } finally {
      lost.close();
    }
  }

  private static HttpResponse<String> postFrom(String origin) {
    return send(
        request(base, "/v1/events")
            .header("Origin", origin)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(event("page", id()).toString()))
            .build());
  }

  @Test
  void pagesOfTheAllowedOriginsMayPostFromTheBrowser() {
    HttpResponse<String> preflight =
        send(
            HttpRequest.newBuilder(base.resolve("/v1/events"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://shop.example.com")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .build());
    assertThat(preflight.statusCode()).isEqualTo(200);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("https://shop.example.com");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse(""))
        .contains("POST");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse(""))
        .containsIgnoringCase("Authorization")
        .containsIgnoringCase("X-Request-Id");
    assertThat(preflight.headers().firstValue("Access-Control-Max-Age")).hasValue("600");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();

    HttpResponse<String> post = postFrom("https://shop.example.com");
    assertThat(post.statusCode()).as(post.body()).isEqualTo(200);
    assertThat(post.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("https://shop.example.com");
    assertThat(post.headers().firstValue("Access-Control-Expose-Headers").orElse(""))
        .containsIgnoringCase("Retry-After");
    // A subdomain of a *. origin, but not the bare domain nor a look-alike.
    assertThat(
            postFrom("https://eu.shop.example.org")
                .headers()
                .firstValue("Access-Control-Allow-Origin"))
        .hasValue("https://eu.shop.example.org");
    assertThat(postFrom("https://example.org").statusCode()).isEqualTo(400);
    assertThat(postFrom("https://shopXexample.com").statusCode()).isEqualTo(400);
    // Pages of other origins are refused; clients that send no Origin are not concerned.
    HttpResponse<String> other = postFrom("https://elsewhere.example.net");
    assertThat(other.statusCode()).isEqualTo(400);
    assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }
}
