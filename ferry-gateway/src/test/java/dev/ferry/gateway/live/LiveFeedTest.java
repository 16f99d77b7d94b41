package dev.ferry.gateway.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.gateway.event.Rejection;
import dev.ferry.gateway.ingest.Result;
import dev.ferry.gateway.produce.Delivery;
import org.junit.jupiter.api.Test;

class LiveFeedTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Result accepted(String id, long offset) {
    return new Result(
        0,
        Result.ACCEPTED,
        id,
        "track",
        "Clicked",
        Delivery.stored("events", 0, offset),
        null,
        null,
        false,
        10,
        false);
  }

  @Test
  void aNewSubscriberGetsTheRecentOnesThenNewOnes() throws Exception {
    LiveFeed feed = new LiveFeed(2);
    feed.publish(accepted("a", 1), 1_000_000);
    feed.publish(accepted("b", 2), 1_000_000);
    feed.publish(accepted("c", 3), 1_000_000);
    try (LiveFeed.Subscriber s = feed.subscribe()) {
      assertThat(feed.subscribers()).isEqualTo(1);
      assertThat(JSON.readTree(s.poll(1000)).get("message_id").asText()).isEqualTo("b");
      assertThat(JSON.readTree(s.poll(1000)).get("message_id").asText()).isEqualTo("c");
      assertThat(s.poll(10)).isNull();
      feed.publish(accepted("d", 4), 2_500_000);
      JsonNode d = JSON.readTree(s.poll(1000));
      assertThat(d.get("message_id").asText()).isEqualTo("d");
      assertThat(d.get("status").asText()).isEqualTo("accepted");
      assertThat(d.get("topic").asText()).isEqualTo("events");
      assertThat(d.get("offset").asLong()).isEqualTo(4);
      assertThat(d.get("latency_ms").asDouble()).isEqualTo(2.5);
      assertThat(d.has("reason")).isFalse();
    }
    assertThat(feed.subscribers()).isZero();
  }

  @Test
  void noBufferReplaysNothing() throws Exception {
    LiveFeed feed = new LiveFeed(0);
    feed.publish(accepted("a", 1), -1);
    try (LiveFeed.Subscriber s = feed.subscribe()) {
      assertThat(s.poll(10)).isNull();
    }
  }

  @Test
  void aSlowSubscriberLosesEntriesAndIsToldHowMany() throws Exception {
    LiveFeed feed = new LiveFeed(0);
    try (LiveFeed.Subscriber s = feed.subscribe()) {
      for (int i = 0; i < 1030; i++) {
        feed.publish(accepted("m" + i, i), -1);
      }
      assertThat(s.takeLost()).isEqualTo(6);
      assertThat(s.takeLost()).isZero();
      assertThat(JSON.readTree(s.poll(10)).get("message_id").asText()).isEqualTo("m0");
    }
  }

  @Test
  void rejectionsCarryTheirRuleAndMessage() throws Exception {
    Result r =
        new Result(
            1,
            Result.REJECTED,
            "x",
            "track",
            null,
            null,
            new Rejection("timestamp", "iso8601", "timestamp must be ISO-8601"),
            null,
            false,
            5,
            false);
    JsonNode e = JSON.readTree(LiveFeed.entry(r, -1));
    assertThat(e.get("status").asText()).isEqualTo("rejected");
    assertThat(e.get("reason").asText()).isEqualTo("iso8601");
    assertThat(e.get("message").asText()).contains("ISO-8601");
    assertThat(e.has("latency_ms")).isFalse();
    assertThat(e.has("topic")).isFalse();
  }
}
