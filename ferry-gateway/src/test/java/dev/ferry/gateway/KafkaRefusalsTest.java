package dev.ferry.gateway;

import static dev.ferry.gateway.Http.KEY;
import static dev.ferry.gateway.Http.json;
import static dev.ferry.gateway.Http.metric;
import static dev.ferry.gateway.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.testkit.SecureKafka;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.acl.AclOperation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Kafka refusing the gateway: a topic it may not write, and credentials it does not accept. */
class KafkaRefusalsTest {
  private static final String LOCKED = "locked";

  private static SecureKafka kafka;
  private static Gateway alice;
  private static Gateway stranger;

  @BeforeAll
  static void start() throws Exception {
    kafka = SecureKafka.builder().addPlainUser("alice", "alice-secret").start();
    kafka.createTopic("events", 1);
    kafka.createTopic(LOCKED, 1);
    kafka.denyTopic("User:alice", LOCKED, AclOperation.WRITE);
    GatewayConfig config =
        GatewayConfig.from(
                Map.of(GatewayConfig.API_KEYS, KEY, GatewayConfig.ROUTES, "secret=" + LOCKED),
                Map.of())
            .withPort(0);
    alice = Gateway.start(config, client("alice", "alice-secret"));
    stranger = Gateway.start(config, client("alice", "wrong-password"));
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {alice, stranger, kafka}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static Map<String, Object> client(String user, String password) {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", kafka.bootstrap(SecureKafka.SASL_SSL));
    props.put("security.protocol", "SASL_SSL");
    props.put("sasl.mechanism", "PLAIN");
    props.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
            + user
            + "\" password=\""
            + password
            + "\";");
    props.put("ssl.truststore.type", kafka.truststore().type());
    props.put("ssl.truststore.location", kafka.truststore().path().toString());
    props.put("ssl.truststore.password", kafka.truststore().password());
    return props;
  }

  @Test
  void aTopicTheGatewayMayNotWriteIsAnAuthorizationFailure() {
    HttpResponse<String> r =
        post(alice.uri(), "/v1/events", "{\"event_type\":\"secret\",\"user_id\":\"u\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(500);
    assertThat(r.headers().firstValue("Retry-After")).isEmpty();
    JsonNode failed = json(r).get("results").get(0);
    assertThat(failed.get("status").asText()).isEqualTo("failed");
    assertThat(failed.get("rule").asText()).isEqualTo("kafka_authorization");
    assertThat(failed.get("retriable").asBoolean()).isFalse();
    assertThat(failed.get("reason").asText()).contains("WRITE").contains("topic " + LOCKED);
    // Other topics are fine, and Kafka still counts as ready.
    HttpResponse<String> ok =
        post(alice.uri(), "/v1/events", "{\"event_type\":\"page\",\"user_id\":\"u\"}");
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(Http.get(alice.uri(), "/ready").statusCode()).isEqualTo(200);
    assertThat(
            metric(
                Http.get(alice.uri(), "/metrics").body(),
                "ferry_gateway_events_total",
                "result=\"failed\"",
                "reason=\"kafka_authorization\""))
        .isEqualTo(1);
  }

  @Test
  void refusedCredentialsMakeTheGatewayUnavailableAndSaySo() {
    HttpResponse<String> ready = Http.get(stranger.uri(), "/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(json(ready).get("kafka").asText()).contains("credentials");
    HttpResponse<String> r =
        post(stranger.uri(), "/v1/events", "{\"event_type\":\"page\",\"user_id\":\"u\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).isPresent();
    assertThat(json(r).get("message").asText())
        .contains("credentials")
        .doesNotContain("wrong-password");
  }
}
