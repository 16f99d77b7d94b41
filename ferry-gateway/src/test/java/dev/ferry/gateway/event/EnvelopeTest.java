package dev.ferry.gateway.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.gateway.GatewayConfig;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EnvelopeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant RECEIVED = Instant.parse("2026-12-01T10:00:00.123Z");

  private static GatewayConfig config(String... kv) {
    Map<String, String> m = new HashMap<>();
    m.put(GatewayConfig.AUTH, "none");
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return GatewayConfig.from(m, Map.of());
  }

  private static Envelope.Outgoing wrap(GatewayConfig config, String event) throws Exception {
    Event read = new EventReader(1 << 20, 10, config.keyFields()).event(event);
    assertThat(EventRules.check(read)).isEmpty();
    return new Envelope(config).wrap(read, Envelope.Received.of(RECEIVED));
  }

  private static String key(Envelope.Outgoing out) {
    return out.key() == null ? null : new String(out.key(), StandardCharsets.UTF_8);
  }

  @Test
  void theKeyIsTheUserIdElseTheAnonymousId() throws Exception {
    GatewayConfig c = config();
    assertThat(key(wrap(c, "{\"event_type\":\"t\",\"user_id\":\"u1\",\"anonymous_id\":\"a1\"}")))
        .isEqualTo("u1");
    assertThat(key(wrap(c, "{\"event_type\":\"t\",\"user_id\":\"\",\"anonymous_id\":\"a1\"}")))
        .isEqualTo("a1");
    assertThat(key(wrap(c, "{\"event_type\":\"t\",\"user_id\":null,\"anonymous_id\":\"a1\"}")))
        .isEqualTo("a1");
    assertThat(key(wrap(c, "{\"event_type\":\"t\",\"anonymous_id\":\"a1\"}"))).isEqualTo("a1");
    assertThat(key(wrap(c, "{\"event_type\":\"t\",\"user_id\":42}"))).isEqualTo("42");
  }

  @Test
  void keyFieldsMayBeJsonPointers() throws Exception {
    GatewayConfig c = config(GatewayConfig.KEY_FIELDS, "/context/traits/email,anonymous_id");
    assertThat(
            key(
                wrap(
                    c,
                    "{\"event_type\":\"t\",\"user_id\":\"u1\",\"anonymous_id\":\"a1\","
                        + "\"context\":{\"traits\":{\"email\":\"x@example.com\"}}}")))
        .isEqualTo("x@example.com");
    assertThat(key(wrap(c, "{\"event_type\":\"t\",\"user_id\":\"u1\",\"anonymous_id\":\"a1\"}")))
        .isEqualTo("a1");
    // An object at the pointer is not a key.
    assertThat(
            key(
                wrap(
                    c,
                    "{\"event_type\":\"t\",\"anonymous_id\":\"a1\","
                        + "\"context\":{\"traits\":{\"email\":{\"x\":1}}}}")))
        .isEqualTo("a1");
    GatewayConfig top = config(GatewayConfig.KEY_FIELDS, "/user_id,anonymous_id");
    assertThat(key(wrap(top, "{\"event_type\":\"t\",\"user_id\":\"u1\"}"))).isEqualTo("u1");
    GatewayConfig only = config(GatewayConfig.KEY_FIELDS, "/properties/account");
    assertThat(wrap(only, "{\"event_type\":\"t\",\"user_id\":\"u1\"}").key()).isNull();
  }

  @Test
  void theEnvelopeHasEveryField() throws Exception {
    Envelope.Outgoing out =
        wrap(
            config(),
            "{\"event_type\":\"track\",\"event_name\":\"Order Completed\",\"message_id\":\"m-1\","
                + "\"user_id\":\"u1\",\"anonymous_id\":\"a1\",\"timestamp\":\"2026-12-01T09:30:00Z\","
                + "\"sent_at\":\"2026-12-01T09:30:01Z\",\"properties\":{\"total\":3},"
                + "\"context\":{\"ip\":\"1.2.3.4\"},\"integrations\":{\"All\":true}}");
    JsonNode v = JSON.readTree(out.value());
    assertThat(v.get("envelope_version").asInt()).isEqualTo(1);
    assertThat(v.get("message_id").asText()).isEqualTo("m-1");
    assertThat(v.get("event_type").asText()).isEqualTo("track");
    assertThat(v.get("event_name").asText()).isEqualTo("Order Completed");
    assertThat(v.get("user_id").asText()).isEqualTo("u1");
    assertThat(v.get("anonymous_id").asText()).isEqualTo("a1");
    assertThat(v.get("timestamp").asText()).isEqualTo("2026-12-01T09:30:00Z");
    assertThat(v.get("sent_at").asText()).isEqualTo("2026-12-01T09:30:01Z");
    assertThat(v.get("received_at").asText()).isEqualTo("2026-12-01T10:00:00.123Z");
    assertThat(v.get("properties")).isEqualTo(JSON.readTree("{\"total\":3}"));
    assertThat(v.get("context")).isEqualTo(JSON.readTree("{\"ip\":\"1.2.3.4\"}"));
    assertThat(v.get("integrations")).isEqualTo(JSON.readTree("{\"All\":true}"));
    assertThat(out.topic()).isEqualTo("events");
    assertThat(out.messageId()).isEqualTo("m-1");
    assertThat(out.generatedId()).isFalse();
    assertThat(out.eventType()).isEqualTo("track");
    assertThat(out.eventName()).isEqualTo("Order Completed");
    assertThat(out.consentDenied()).isFalse();
  }

  @Test
  void missingFieldsAreNullOrEmptyAndTheIdIsGenerated() throws Exception {
    Envelope.Outgoing out = wrap(config(), "{\"event_type\":\"page\",\"anonymous_id\":\"a1\"}");
    JsonNode v = JSON.readTree(out.value());
    assertThat(out.generatedId()).isTrue();
    UUID id = UUID.fromString(out.messageId());
    assertThat(id.version()).isEqualTo(4);
    assertThat(id.variant()).isEqualTo(2);
    assertThat(id.toString()).isEqualTo(out.messageId());
    assertThat(v.get("message_id").asText()).isEqualTo(out.messageId());
    assertThat(v.get("event_name").isNull()).isTrue();
    assertThat(v.get("user_id").isNull()).isTrue();
    assertThat(v.get("sent_at").isNull()).isTrue();
    assertThat(v.get("timestamp").asText()).isEqualTo(RECEIVED.toString());
    assertThat(v.get("properties")).isEqualTo(JSON.createObjectNode());
    assertThat(v.get("context")).isEqualTo(JSON.createObjectNode());
    assertThat(out.eventName()).isNull();
    Envelope.Outgoing again = wrap(config(), "{\"event_type\":\"page\",\"anonymous_id\":\"a1\"}");
    assertThat(again.messageId()).isNotEqualTo(out.messageId());
  }

  @Test
  void envelopesWrittenOneAfterAnotherKeepTheirOwnBytes() throws Exception {
    // Each thread writes envelopes in one scratch buffer: each envelope must be a copy, also
    // after an event larger than the buffer kept between envelopes.
    String large = "x".repeat(100_000);
    Envelope.Outgoing first = wrap(config(), "{\"event_type\":\"page\",\"user_id\":\"u1\"}");
    byte[] firstBytes = first.value().clone();
    Envelope.Outgoing big =
        wrap(
            config(),
            "{\"event_type\":\"track\",\"user_id\":\"u2\",\"properties\":{\"note\":\""
                + large
                + "\"}}");
    Envelope.Outgoing last = wrap(config(), "{\"event_type\":\"identify\",\"user_id\":\"u3\"}");
    assertThat(first.value()).isEqualTo(firstBytes);
    assertThat(JSON.readTree(first.value()).get("user_id").asText()).isEqualTo("u1");
    assertThat(JSON.readTree(big.value()).at("/properties/note").asText()).isEqualTo(large);
    JsonNode v = JSON.readTree(last.value());
    assertThat(v.get("user_id").asText()).isEqualTo("u3");
    assertThat(v.get("event_type").asText()).isEqualTo("identify");
    assertThat(v.get("message_id").asText()).isEqualTo(last.messageId());
  }

  @Test
  void routesByEventType() throws Exception {
    GatewayConfig c = config(GatewayConfig.ROUTES, "track=tracks,identify=users");
    assertThat(wrap(c, "{\"event_type\":\"track\",\"user_id\":\"u\"}").topic()).isEqualTo("tracks");
    assertThat(wrap(c, "{\"event_type\":\"identify\",\"user_id\":\"u\"}").topic())
        .isEqualTo("users");
    assertThat(wrap(c, "{\"event_type\":\"page\",\"user_id\":\"u\"}").topic()).isEqualTo("events");
  }

  @Test
  void deniedEventsAreMarkedAndRoutedWhenConfigured() throws Exception {
    String denied =
        "{\"event_type\":\"track\",\"user_id\":\"u\","
            + "\"context\":{\"consent\":{\"destinations\":{\"kafka\":false}}}}";
    Envelope.Outgoing dropped = wrap(config(GatewayConfig.ROUTES, "track=tracks"), denied);
    assertThat(dropped.consentDenied()).isTrue();
    assertThat(dropped.topic()).isEqualTo("tracks");
    Envelope.Outgoing routed =
        wrap(
            config(
                GatewayConfig.ROUTES, "track=tracks",
                GatewayConfig.CONSENT_DENIED, "route",
                GatewayConfig.CONSENT_DENIED_TOPIC, "no-consent"),
            denied);
    assertThat(routed.consentDenied()).isTrue();
    assertThat(routed.topic()).isEqualTo("no-consent");
    // The envelope keeps the consent as sent.
    assertThat(
            JSON.readTree(routed.value()).at("/context/consent/destinations/kafka").asBoolean(true))
        .isFalse();
  }

  @Test
  void theEnvelopeHoldsTheEventAsAJsonTreeWouldReadIt() throws Exception {
    String[] events = {
      "{\"event_type\":\"a\",\"user_id\":\"u\",\"properties\": { \"x\" : [1, {\"y\":\"\u00e9\\n\"}],"
          + " \"z\":null } , \"context\":{\"consent\":{\"categories\":{}}},\"extra\":{\"p\":1}}",
      "{\"event_type\":\"b\",\"anonymous_id\":\"a\",\"properties\":null,"
          + "\"n\":{\"properties\":{\"deep\":true}}}",
      "{\"properties\":{\"first\":1},\"event_type\":\"c\",\"user_id\":\"u\","
          + "\"properties\":{\"last\":2}}",
      "{ \"event_type\" : \"d\" , \"user_id\" : 42 , \"big\" : 123456789012345678901234567890,"
          + " \"f\" : -1.5e3 , \"t\" : true , \"no\" : false , \"nil\" : null ,"
          + " \"esc\\\"name\" : \"q\\\"\\\\\\u0041\" , \"\u00fcml\" : \"\ud83d\ude00\" , \"arr\" : [ [ ], { } ] }",
      "{\"event_type\":\"e\",\"user_id\":\"u\",\"dup\":1,\"x\":2,\"dup\":\"last\","
          + "\"context\":{\"ip\":\"1.2.3.4\",\"consent\":{\"destinations\":{\"all\":true}}}}"
    };
    Envelope envelope = new Envelope(config());
    String body = "[" + String.join(" ,\n ", events) + "]";
    String ndjson = String.join("\r\n", events) + "\n";
    EventReader reader = new EventReader(10_000, 10, config().keyFields());
    for (boolean lines : new boolean[] {false, true}) {
      byte[] bytes = (lines ? ndjson : body).getBytes(StandardCharsets.UTF_8);
      for (EventReader.Item item : reader.read(bytes, lines)) {
        JsonNode written =
            JSON.readTree(envelope.wrap(item.event(), Envelope.Received.of(RECEIVED)).value());
        assertThat(written)
            .as("event %d (ndjson %s)", item.index(), lines)
            .isEqualTo(expectedEnvelope(JSON.readTree(events[item.index()]), written));
      }
    }
    EventReader.Item first = reader.read(body.getBytes(StandardCharsets.UTF_8), false).get(0);
    assertThat(
            new String(
                envelope.wrap(first.event(), Envelope.Received.of(RECEIVED)).value(),
                StandardCharsets.UTF_8))
        .as("the properties are the bytes as sent")
        .contains("\"properties\":{ \"x\" : [1, {\"y\":\"\u00e9\\n\"}], \"z\":null }");
  }

  /** The envelope of version 1 built from the event's tree, independently of {@link Envelope}. */
  private static JsonNode expectedEnvelope(JsonNode event, JsonNode written) {
    com.fasterxml.jackson.databind.node.ObjectNode e = JSON.createObjectNode();
    e.put("envelope_version", 1);
    e.set("message_id", written.get("message_id"));
    for (String f : new String[] {"event_type", "event_name", "anonymous_id", "user_id"}) {
      e.put(f, event.hasNonNull(f) ? event.get(f).asText() : null);
    }
    e.put("timestamp", event.hasNonNull("timestamp") ? event.get("timestamp").asText() : null);
    e.put("sent_at", event.hasNonNull("sent_at") ? event.get("sent_at").asText() : null);
    e.put("received_at", RECEIVED.toString());
    for (String f : new String[] {"properties", "context"}) {
      e.set(f, event.path(f).isObject() ? event.get(f) : JSON.createObjectNode());
    }
    event
        .fields()
        .forEachRemaining(
            f -> {
              if (!e.has(f.getKey())) {
                e.set(f.getKey(), f.getValue());
              }
            });
    if (!event.hasNonNull("timestamp")) {
      e.put("timestamp", RECEIVED.toString());
    }
    return e;
  }
}
