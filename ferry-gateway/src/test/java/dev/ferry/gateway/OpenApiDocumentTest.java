package dev.ferry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ferry.gateway.event.Event;
import dev.ferry.gateway.event.EventReader;
import dev.ferry.gateway.event.EventRules;
import dev.ferry.gateway.event.Rejection;
import dev.ferry.gateway.ingest.Result;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document served at {@code /v1/openapi.yaml} against the code: the paths of {@code
 * GatewayHandler}, the rules of {@link EventRules}, the statuses of {@code Outcome.of}.
 */
class OpenApiDocumentTest {
  /**
   * The paths and methods of GatewayHandler.handle's switch, copied by hand: a new case there needs
   * a line here and a path in openapi.yaml.
   */
  private static final Map<String, String> HANDLED =
      Map.of(
          "/v1/events", "post",
          "/v1/events/test", "post",
          "/v1/events/live", "get",
          "/health", "get",
          "/ready", "get",
          "/metrics", "get",
          "/v1/openapi.yaml", "get");

  /**
   * Every status Outcome.of returns, by hand from ingest/Outcome.java: 503 (a retriable failure),
   * 500 (a failure for good), 200 (sync) and 202 (async) when nothing was rejected, 207 (some
   * rejected), 413 (the only event too large), 400 (all rejected).
   */
  private static final Set<String> OUTCOME_STATUSES =
      Set.of("200", "202", "207", "400", "413", "500", "503");

  /**
   * GatewayHandler's own answers to POST /v1/events, by hand: 401 key, 405 method, 413 body or
   * event count, 415 type or encoding, 429 busy, 400 not JSON or broken gzip, 500 internal, 503
   * Kafka not answering.
   */
  private static final Set<String> HANDLER_STATUSES =
      Set.of("400", "401", "405", "413", "415", "429", "500", "503");

  private static JsonNode doc;

  @BeforeAll
  static void read() throws Exception {
    // The classpath resource GatewayHandler serves, not a copy.
    try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream("/openapi.yaml")) {
      assertThat(in).as("openapi.yaml on the classpath").isNotNull();
      doc = new YAMLMapper().readTree(in);
    }
  }

  @Test
  void isOpenApi31() {
    assertThat(doc.path("openapi").asText()).startsWith("3.1.");
    assertThat(doc.path("info").path("title").asText()).isNotBlank();
  }

  @Test
  void declaresEveryPathTheHandlerServesAndNoOther() {
    assertThat(names(doc.path("paths"))).containsExactlyInAnyOrderElementsOf(HANDLED.keySet());
    HANDLED.forEach(
        (path, method) ->
            assertThat(doc.path("paths").path(path).has(method))
                .as("%s %s", method.toUpperCase(java.util.Locale.ROOT), path)
                .isTrue());
  }

  @Test
  void keyedPathsNeedTheApiKeyAndTheOthersDoNot() {
    for (String path : List.of("/v1/events", "/v1/events/test", "/v1/events/live")) {
      JsonNode op = doc.path("paths").path(path).path(HANDLED.get(path));
      assertThat(op.path("security").toString()).as(path).contains("apiKey");
      assertThat(op.path("responses").has("401")).as(path + " documents 401").isTrue();
    }
    for (String path : List.of("/health", "/ready", "/metrics", "/v1/openapi.yaml")) {
      JsonNode security = doc.path("paths").path(path).path("get").path("security");
      assertThat(security.isArray() && security.isEmpty()).as(path + " has security: []").isTrue();
    }
    JsonNode scheme = doc.path("components").path("securitySchemes").path("apiKey");
    assertThat(scheme.path("type").asText()).isEqualTo("http");
    assertThat(scheme.path("scheme").asText()).isEqualTo("bearer");
  }

  @Test
  void documentsEveryStatusOfPostEventsWithRetryAfterWhereSent() {
    JsonNode responses = doc.path("paths").path("/v1/events").path("post").path("responses");
    assertThat(names(responses)).containsAll(OUTCOME_STATUSES).containsAll(HANDLER_STATUSES);
    for (String status : List.of("429", "503")) {
      assertThat(responses.path(status).path("headers").has("Retry-After"))
          .as("%s declares Retry-After", status)
          .isTrue();
    }
  }

  @Test
  void postEventsTakesJsonNdjsonAndGzip() {
    JsonNode post = doc.path("paths").path("/v1/events").path("post");
    assertThat(names(post.path("requestBody").path("content")))
        .contains("application/json", "application/x-ndjson");
    assertThat(post.path("parameters").toString()).contains("Content-Encoding", "gzip");
  }

  @Test
  void liveViewIsAnEventStream() {
    JsonNode ok =
        doc.path("paths").path("/v1/events/live").path("get").path("responses").path("200");
    assertThat(ok.path("content").has("text/event-stream")).isTrue();
    JsonNode metrics = doc.path("paths").path("/metrics").path("get").path("responses").path("200");
    assertThat(metrics.path("content").has("text/plain")).isTrue();
  }

  @Test
  void eventSchemaRequiresWhatEventRulesRequire() {
    JsonNode event = schema("Event");
    assertThat(strings(event.path("required"))).containsExactly("event_type");

    // The identity rule: any of user_id, anonymous_id.
    Set<String> identity = new TreeSet<>();
    for (JsonNode alternative : event.path("anyOf")) {
      identity.addAll(strings(alternative.path("required")));
    }
    assertThat(identity).containsExactly("anonymous_id", "user_id");

    ObjectNode minimal = JsonNodeFactory.instance.objectNode();
    for (String field : strings(event.path("required"))) {
      minimal.put(field, "track");
    }
    assertThat(rule(minimal)).as("required fields only").contains("identity");
    for (String id : identity) {
      ObjectNode withId = minimal.deepCopy().put(id, "a-1");
      assertThat(rule(withId)).as("required fields and %s", id).isEmpty();
      assertThat(rule(withId.deepCopy().put(id, " "))).as("blank " + id).contains("identity");
      assertThat(rule(withId.deepCopy().put(id, 42))).as("integer " + id).isEmpty();
      ObjectNode noType = withId.deepCopy();
      noType.remove("event_type");
      assertThat(rule(noType)).contains("required");
    }
  }

  @Test
  void eventSchemaLimitsMatchEventRules() {
    JsonNode props = schema("Event").path("properties");
    int typeMax = props.path("event_type").path("maxLength").asInt();
    assertThat(rule(valid().put("event_type", "t".repeat(typeMax)))).isEmpty();
    assertThat(rule(valid().put("event_type", "t".repeat(typeMax + 1)))).contains("max_length");
    for (String field : List.of("event_name", "message_id", "user_id", "anonymous_id")) {
      int max = props.path(field).path("maxLength").asInt();
      assertThat(max).as(field + " maxLength").isPositive();
      assertThat(rule(valid().put(field, "x".repeat(max)))).as(field).isEmpty();
      assertThat(rule(valid().put(field, "x".repeat(max + 1)))).as(field).contains("max_length");
    }
    assertThat(rule(valid().put("timestamp", "2026-12-01T09:30:00Z"))).isEmpty();
    assertThat(rule(valid().put("timestamp", "2026-12-01 09:30"))).contains("iso8601");
    assertThat(rule(valid().put("properties", "no"))).contains("object");
  }

  @Test
  void reservedFieldsAreForbiddenInTheSchemaAndByEventRules() {
    JsonNode props = schema("Event").path("properties");
    List<String> reserved = new ArrayList<>();
    for (String name : names(props)) {
      if (props.path(name).has("not")) {
        reserved.add(name);
      }
    }
    assertThat(reserved).containsExactlyInAnyOrder("envelope_version", "received_at");
    for (String field : reserved) {
      assertThat(rule(valid().put(field, 1))).as(field).contains("reserved");
      assertThat(schema("Envelope").path("required").toString()).contains(field);
    }
  }

  @Test
  void examplesOfTheRequestBodyAreAcceptedByEventRules() {
    JsonNode examples =
        doc.path("paths")
            .path("/v1/events")
            .path("post")
            .path("requestBody")
            .path("content")
            .path("application/json")
            .path("examples");
    assertThat(examples.size()).isPositive();
    for (JsonNode example : examples) {
      JsonNode value = example.path("value");
      for (JsonNode event : value.isArray() ? value : List.of(value)) {
        assertThat(EventRules.check(read(event))).as(event.toString()).isEmpty();
      }
    }
  }

  @Test
  void errorAnswerAndResultHaveTheFieldsAnswersWrites() {
    assertThat(names(schema("ErrorAnswer").path("properties")))
        .containsExactlyInAnyOrder("error", "message");
    assertThat(names(schema("Outcome").path("properties")))
        .containsExactlyInAnyOrder("accepted", "dropped", "rejected", "failed", "results");
    assertThat(names(schema("Result").path("properties")))
        .containsExactlyInAnyOrder(
            "index",
            "status",
            "message_id",
            "topic",
            "partition",
            "offset",
            "duplicate",
            "field",
            "rule",
            "retriable",
            "reason");
    assertThat(strings(schema("Result").path("properties").path("status").path("enum")))
        .containsExactlyInAnyOrder(Result.ACCEPTED, Result.DROPPED, Result.REJECTED, Result.FAILED);
  }

  private static ObjectNode valid() {
    return JsonNodeFactory.instance.objectNode().put("event_type", "track").put("user_id", "u-1");
  }

  private static Optional<String> rule(JsonNode event) {
    return EventRules.check(read(event)).map(Rejection::rule);
  }

  private static Event read(JsonNode event) {
    try {
      return new EventReader(1 << 20, 10, List.of("user_id", "anonymous_id"))
          .event(event.toString());
    } catch (EventReader.BadBody e) {
      throw new AssertionError(e);
    }
  }

  private static JsonNode schema(String name) {
    JsonNode s = doc.path("components").path("schemas").path(name);
    assertThat(s.isObject()).as("schema " + name).isTrue();
    return s;
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
