package dev.ferry.gateway.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventRulesTest {
  private static Event json(String s) throws Exception {
    return new EventReader(1 << 20, 10, List.of("user_id", "anonymous_id")).event(s);
  }

  @Test
  void aFullEventPasses() throws Exception {
    Event event =
        json(
            "{\"event_type\":\"track\",\"event_name\":\"Order Completed\",\"message_id\":\"m-1\","
                + "\"user_id\":\"u1\",\"anonymous_id\":\"a1\",\"timestamp\":\"2026-12-01T09:30:00Z\","
                + "\"sent_at\":\"2026-12-01T09:30:01.123+01:00\",\"properties\":{\"total\":3},"
                + "\"context\":{\"consent\":{\"categories\":{\"analytics\":true}}},\"extra\":[1]}");
    assertThat(EventRules.check(event)).isEmpty();
  }

  @Test
  void theMinimalEventPasses() throws Exception {
    assertThat(EventRules.check(json("{\"event_type\":\"t\",\"anonymous_id\":\"a\"}"))).isEmpty();
    assertThat(EventRules.check(json("{\"event_type\":\"t\",\"user_id\":42}"))).isEmpty();
    assertThat(
            EventRules.check(
                json(
                    "{\"event_type\":\"t\",\"user_id\":null,\"anonymous_id\":\"a\",\"event_name\":null,"
                        + "\"message_id\":null,\"timestamp\":null,\"properties\":null,\"context\":null}")))
        .isEmpty();
  }

  @ParameterizedTest(name = "{0} -> {1}/{2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "[1]||object",
        "\"text\"||object",
        "{\"user_id\":\"u\"}|event_type|required",
        "{\"event_type\":null,\"user_id\":\"u\"}|event_type|required",
        "{\"event_type\":7,\"user_id\":\"u\"}|event_type|text",
        "{\"event_type\":\"  \",\"user_id\":\"u\"}|event_type|text",
        "{\"event_type\":\"T129\",\"user_id\":\"u\"}|event_type|max_length",
        "{\"event_type\":\"t\",\"event_name\":5,\"user_id\":\"u\"}|event_name|text",
        "{\"event_type\":\"t\",\"event_name\":\"\",\"user_id\":\"u\"}|event_name|text",
        "{\"event_type\":\"t\",\"event_name\":\"T513\",\"user_id\":\"u\"}|event_name|max_length",
        "{\"event_type\":\"t\",\"message_id\":{},\"user_id\":\"u\"}|message_id|text",
        "{\"event_type\":\"t\",\"message_id\":\"T513\",\"user_id\":\"u\"}|message_id|max_length",
        "{\"event_type\":\"t\",\"user_id\":1.5}|user_id|text",
        "{\"event_type\":\"t\",\"user_id\":true}|user_id|text",
        "{\"event_type\":\"t\",\"user_id\":\"T513\"}|user_id|max_length",
        "{\"event_type\":\"t\",\"anonymous_id\":[\"a\"]}|anonymous_id|text",
        "{\"event_type\":\"t\",\"anonymous_id\":\"T513\"}|anonymous_id|max_length",
        "{\"event_type\":\"t\"}|user_id|identity",
        "{\"event_type\":\"t\",\"user_id\":\"\",\"anonymous_id\":\" \"}|user_id|identity",
        "{\"event_type\":\"t\",\"user_id\":\"u\",\"timestamp\":\"yesterday\"}|timestamp|iso8601",
        "{\"event_type\":\"t\",\"user_id\":\"u\",\"timestamp\":\"2026-12-01T09:30:00\"}|timestamp|iso8601",
        "{\"event_type\":\"t\",\"user_id\":\"u\",\"timestamp\":1733045400}|timestamp|iso8601",
        "{\"event_type\":\"t\",\"user_id\":\"u\",\"sent_at\":\"2026-13-01T00:00:00Z\"}|sent_at|iso8601",
        "{\"event_type\":\"t\",\"user_id\":\"u\",\"properties\":[]}|properties|object",
        "{\"event_type\":\"t\",\"user_id\":\"u\",\"context\":\"web\"}|context|object",
        "{\"event_type\":\"t\",\"user_id\":\"u\",\"context\":{\"consent\":true}}|context.consent|object",
        "{\"event_type\":\"t\",\"user_id\":\"u\",\"envelope_version\":2}|envelope_version|reserved",
        "{\"event_type\":\"t\",\"user_id\":\"u\",\"received_at\":\"x\"}|received_at|reserved",
      })
  void eachRuleNamesTheFieldAndTheRule(String event, String field, String rule) throws Exception {
    String body = event.replace("T129", "x".repeat(129)).replace("T513", "y".repeat(513));
    Optional<Rejection> r = EventRules.check(json(body));
    assertThat(r).isPresent();
    assertThat(r.get().field()).isEqualTo(field == null ? "" : field);
    assertThat(r.get().rule()).isEqualTo(rule);
    assertThat(r.get().message()).isNotBlank();
  }

  @Test
  void limitsAreInclusive() throws Exception {
    String event =
        "{\"event_type\":\"" + "t".repeat(128) + "\",\"user_id\":\"" + "u".repeat(512) + "\"}";
    assertThat(EventRules.check(json(event))).isEmpty();
  }
}
