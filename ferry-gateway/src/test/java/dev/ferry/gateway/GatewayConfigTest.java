package dev.ferry.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GatewayConfigTest {
  private static final String KEY = "0123456789abcdef0123";

  private static Map<String, String> props(String... kv) {
    Map<String, String> m = new HashMap<>();
    m.put(GatewayConfig.API_KEYS, KEY);
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void defaults() {
    GatewayConfig c = GatewayConfig.defaults(Set.of(KEY));
    assertThat(c.host()).isEqualTo("localhost");
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.topic()).isEqualTo("events");
    assertThat(c.routes()).isEmpty();
    assertThat(c.keyFields()).containsExactly("user_id", "anonymous_id");
    assertThat(c.consent().destination()).isEqualTo("kafka");
    assertThat(c.consent().categories()).isEmpty();
    assertThat(c.consent().routesDenied()).isFalse();
    assertThat(c.apiKeys()).containsExactly(KEY);
    assertThat(c.authRequired()).isTrue();
    assertThat(c.maxRequestBytes()).isEqualTo(5 * 1024 * 1024);
    assertThat(c.maxEventBytes()).isEqualTo(512 * 1024);
    assertThat(c.maxEventsPerRequest()).isEqualTo(1000);
    assertThat(c.maxInFlightBytes()).isEqualTo(32L * 1024 * 1024);
    assertThat(c.async()).isFalse();
    assertThat(c.forwardHeaders()).isEmpty();
    assertThat(c.dedupeWindow()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.dedupeMaxEntries()).isEqualTo(200_000);
    assertThat(c.liveBuffer()).isEqualTo(100);
    assertThat(c.producerOverrides()).isEmpty();
    assertThat(c.recordTime())
        .isEqualTo(new GatewayConfig.RecordTime(false, 50 * 60 * 1000L, Long.MAX_VALUE));
    assertThat(c.corsOrigins()).isEmpty();
    assertThat(c.topicFor("track")).isEqualTo("events");
    assertThat(c.toString()).doesNotContain(KEY).contains("1 API key(s)");
  }

  @Test
  void readsEverySetting() {
    GatewayConfig c =
        GatewayConfig.from(
            props(
                GatewayConfig.HOST,
                "0.0.0.0",
                GatewayConfig.PORT,
                "9090",
                GatewayConfig.TOPIC,
                "raw-events",
                GatewayConfig.ROUTES,
                " track = tracks , identify=users ",
                GatewayConfig.KEY_FIELDS,
                "/context/traits/email, anonymous_id",
                GatewayConfig.CONSENT_DESTINATION,
                "warehouse",
                GatewayConfig.CONSENT_CATEGORIES,
                "analytics,marketing",
                GatewayConfig.CONSENT_DENIED,
                "ROUTE",
                GatewayConfig.CONSENT_DENIED_TOPIC,
                "denied",
                GatewayConfig.MAX_REQUEST_BYTES,
                "1_000_000",
                GatewayConfig.MAX_EVENT_BYTES,
                "1000",
                GatewayConfig.MAX_EVENTS,
                "10",
                GatewayConfig.MAX_IN_FLIGHT_BYTES,
                "2048",
                GatewayConfig.DELIVERY,
                "async",
                GatewayConfig.DEDUPE_WINDOW_MS,
                "0",
                GatewayConfig.DEDUPE_MAX_ENTRIES,
                "5",
                GatewayConfig.LIVE_BUFFER,
                "0",
                GatewayConfig.FORWARD_HEADERS,
                "X-Request-Id, x-forwarded-for,X-Request-ID",
                GatewayConfig.RECORD_TIMESTAMP,
                "Event",
                GatewayConfig.RECORD_TIMESTAMP_MAX_AHEAD,
                "60_000",
                GatewayConfig.RECORD_TIMESTAMP_MAX_BEHIND,
                "604800000000",
                GatewayConfig.CORS_ORIGINS,
                "https://shop.example.com, http://localhost:3000,https://*.example.org",
                "gateway.producer.linger.ms",
                "20",
                "not.a.gateway.key",
                "ignored"),
            Map.of(GatewayConfig.API_KEYS_ENV, "fedcba9876543210fedc, "));
    assertThat(c.host()).isEqualTo("0.0.0.0");
    assertThat(c.port()).isEqualTo(9090);
    assertThat(c.topic()).isEqualTo("raw-events");
    assertThat(c.routes())
        .containsExactly(Map.entry("track", "tracks"), Map.entry("identify", "users"));
    assertThat(c.topicFor("track")).isEqualTo("tracks");
    assertThat(c.topicFor("identify")).isEqualTo("users");
    assertThat(c.topicFor("page")).isEqualTo("raw-events");
    assertThat(c.keyFields()).containsExactly("/context/traits/email", "anonymous_id");
    assertThat(c.consent().destination()).isEqualTo("warehouse");
    assertThat(c.consent().categories()).containsExactly("analytics", "marketing");
    assertThat(c.consent().routesDenied()).isTrue();
    assertThat(c.consent().deniedTopic()).isEqualTo("denied");
    assertThat(c.apiKeys()).containsExactly(KEY, "fedcba9876543210fedc");
    assertThat(c.maxRequestBytes()).isEqualTo(1_000_000);
    assertThat(c.maxEventBytes()).isEqualTo(1000);
    assertThat(c.maxEventsPerRequest()).isEqualTo(10);
    assertThat(c.maxInFlightBytes()).isEqualTo(2048);
    assertThat(c.async()).isTrue();
    assertThat(c.dedupeWindow()).isZero();
    assertThat(c.dedupeMaxEntries()).isEqualTo(5);
    assertThat(c.liveBuffer()).isZero();
    assertThat(c.forwardHeaders()).containsExactly("x-request-id", "x-forwarded-for");
    assertThat(c.recordTime()).isEqualTo(new GatewayConfig.RecordTime(true, 60_000, 604800000000L));
    assertThat(c.corsOrigins())
        .containsExactly(
            "https://shop.example.com", "http://localhost:3000", "https://*.example.org");
    assertThat(c.producerOverrides()).containsExactly(Map.entry("linger.ms", "20"));
    assertThat(c.withPort(0).port()).isZero();
    assertThat(c.withPort(0))
        .isEqualTo(
            new GatewayConfig(
                c.host(),
                0,
                c.topic(),
                c.routes(),
                c.keyFields(),
                c.consent(),
                c.apiKeys(),
                c.authRequired(),
                c.maxRequestBytes(),
                c.maxEventBytes(),
                c.maxEventsPerRequest(),
                c.maxInFlightBytes(),
                c.async(),
                c.dedupeWindow(),
                c.dedupeMaxEntries(),
                c.liveBuffer(),
                c.forwardHeaders(),
                c.recordTime(),
                c.corsOrigins(),
                c.producerOverrides()));
  }

  @Test
  void consentRouteHasADefaultTopic() {
    GatewayConfig c = GatewayConfig.from(props(GatewayConfig.CONSENT_DENIED, "route"), Map.of());
    assertThat(c.consent().deniedTopic()).isEqualTo("events-consent-denied");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "gateway.port|http|gateway.port=http is not a whole number",
        "gateway.port|-1|gateway.port=-1 is below the minimum 0",
        "gateway.port|70000|gateway.port=70000 is above the maximum 65535",
        "gateway.topic|bad topic|gateway.topic=bad topic is not a valid Kafka topic name",
        "gateway.topic|..|gateway.topic=.. is not a valid Kafka topic name",
        "gateway.routes|track|gateway.routes has \"track\": give EVENT_TYPE=TOPIC pairs",
        "gateway.routes|track=|gateway.routes has \"track=\"",
        "gateway.routes|=tracks|gateway.routes has \"=tracks\"",
        "gateway.routes|track=no topic|gateway.routes=no topic is not a valid Kafka topic name",
        "gateway.key.fields|' , '|gateway.key.fields names no field",
        "gateway.consent.denied|keep|gateway.consent.denied=keep is not one of drop, route",
        "gateway.consent.denied.topic|a/b|gateway.consent.denied.topic=a/b",
        "gateway.auth|basic|gateway.auth=basic is not one of api-key, none",
        "gateway.delivery|later|gateway.delivery=later is not one of sync, async",
        "gateway.max.request.bytes|100|gateway.max.request.bytes=100 is below the minimum 1024",
        "gateway.max.request.bytes|5MB|gateway.max.request.bytes=5MB is not a whole number",
        "gateway.max.event.bytes|10|gateway.max.event.bytes=10 is below the minimum 256",
        "gateway.max.events.per.request|0|gateway.max.events.per.request=0 is below the minimum 1",
        "gateway.max.in.flight.bytes|1|gateway.max.in.flight.bytes=1 is below the minimum 1024",
        "gateway.dedupe.window.ms|-5|gateway.dedupe.window.ms=-5 is below the minimum 0",
        "gateway.dedupe.max.entries|many|gateway.dedupe.max.entries=many is not a whole number",
        "gateway.live.buffer|-1|gateway.live.buffer=-1 is below the minimum 0",
        "gateway.forward.headers|Authorization|gateway.forward.headers names Authorization:"
            + " credentials are never copied into Kafka",
        "gateway.forward.headers|Cookie|credentials are never copied",
        "gateway.forward.headers|Content-Type|the gateway sets that record header itself",
        "gateway.forward.headers|X Id|gateway.forward.headers has \"X Id\", not an HTTP header",
        "gateway.record.timestamp|sent|gateway.record.timestamp=sent is not one of received, event",
        "gateway.record.timestamp.max.ahead.ms|-1|gateway.record.timestamp.max.ahead.ms=-1 is below"
            + " the minimum 0",
        "gateway.record.timestamp.max.behind.ms|7d|gateway.record.timestamp.max.behind.ms=7d is not"
            + " a whole number of milliseconds",
        "gateway.cors.origins|https://shop.example.com/|gateway.cors.origins has"
            + " \"https://shop.example.com/\": give origins as browsers send them",
        "gateway.cors.origins|shop.example.com|gateway.cors.origins has \"shop.example.com\"",
        "gateway.unknown|x|gateway.unknown is not a gateway setting",
      })
  void eachBadValueNamesItsKey(String key, String value, String message) {
    Map<String, String> p = props(key, value);
    if (key.equals(GatewayConfig.CONSENT_DENIED_TOPIC)) {
      p.put(GatewayConfig.CONSENT_DENIED, "route");
    }
    assertThatThrownBy(() -> GatewayConfig.from(p, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void anEventMustFitInARequest() {
    assertThatThrownBy(
            () ->
                GatewayConfig.from(
                    props(
                        GatewayConfig.MAX_REQUEST_BYTES, "2000",
                        GatewayConfig.MAX_EVENT_BYTES, "3000"),
                    Map.of()))
        .hasMessageContaining(
            "gateway.max.event.bytes (3000) is larger than gateway.max.request.bytes (2000)");
  }

  @Test
  void noApiKeyIsAClearError() {
    assertThatThrownBy(() -> GatewayConfig.from(Map.of(), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the gateway has no API key")
        .hasMessageContaining(GatewayConfig.API_KEYS_ENV)
        .hasMessageContaining("gateway.api.keys")
        .hasMessageContaining("gateway.auth=none");
    assertThatThrownBy(() -> GatewayConfig.from(Map.of(GatewayConfig.API_KEYS, " , "), Map.of()))
        .hasMessageContaining("the gateway has no API key");
  }

  @Test
  void apiKeysMayComeFromTheEnvironmentOnly() {
    GatewayConfig c =
        GatewayConfig.from(
            Map.of(),
            Map.of(GatewayConfig.API_KEYS_ENV, "a-long-key-from-the-env,b-long-key-from-the-env"));
    assertThat(c.apiKeys()).containsExactly("a-long-key-from-the-env", "b-long-key-from-the-env");
  }

  @Test
  void shortApiKeysAreRefusedWithoutRepeatingThem() {
    assertThatThrownBy(() -> GatewayConfig.from(Map.of(GatewayConfig.API_KEYS, "secret"), Map.of()))
        .hasMessageContaining("shorter than 16 characters")
        .hasMessageNotContaining("secret\"")
        .message()
        .doesNotContain("=secret");
  }

  @Test
  void authNoneNeedsNoKey() {
    GatewayConfig c = GatewayConfig.from(Map.of(GatewayConfig.AUTH, "NONE"), Map.of());
    assertThat(c.authRequired()).isFalse();
    assertThat(c.apiKeys()).isEmpty();
  }

  @Test
  void everyKnownKeyIsListed() {
    List<String> keys = GatewayConfig.keys();
    assertThat(keys)
        .isSorted()
        .contains(GatewayConfig.TOPIC, GatewayConfig.ROUTES, GatewayConfig.AUTH);
    assertThat(keys).allMatch(k -> k.startsWith(GatewayConfig.PREFIX));
  }
}
