package dev.ferry.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.gateway.event.Rejection;
import dev.ferry.gateway.ingest.Outcome;
import dev.ferry.gateway.ingest.Result;
import dev.ferry.gateway.produce.Delivery;
import dev.ferry.gateway.produce.Failure;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswersTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Result result(
      int index, String status, String id, Delivery d, Rejection r, Failure f, boolean dup) {
    return new Result(index, status, id, "track", null, d, r, f, dup, 10, false);
  }

  @Test
  void theOutcomeIsJsonWithEveryResultAndTheCounts() throws Exception {
    String awkwardId = "id \"quoted\" \\ \u00e9\u20ac\n\t\u0001 \ud83d\ude00";
    List<Result> results =
        List.of(
            result(
                0, Result.ACCEPTED, awkwardId, Delivery.stored("events", 3, 42), null, null, false),
            result(1, Result.ACCEPTED, "m-2", Delivery.stored("events", 0, 7), null, null, true),
            result(2, Result.DROPPED, "m-3", null, null, null, false),
            result(
                3,
                Result.REJECTED,
                null,
                null,
                new Rejection("timestamp", "iso8601", "timestamp must be \"ISO\""),
                null,
                false),
            result(
                4,
                Result.FAILED,
                "m-5",
                null,
                null,
                new Failure("kafka_unavailable", true, "Kafka did not answer"),
                false));
    JsonNode answer = JSON.readTree(Answers.outcome(new Outcome(207, results, 0)));
    assertThat(answer.get("accepted").asLong()).isEqualTo(2);
    assertThat(answer.get("dropped").asLong()).isEqualTo(1);
    assertThat(answer.get("rejected").asLong()).isEqualTo(1);
    assertThat(answer.get("failed").asLong()).isEqualTo(1);
    JsonNode r = answer.get("results");
    assertThat(r.size()).isEqualTo(5);
    assertThat(r.get(0))
        .isEqualTo(
            JSON.createObjectNode()
                .put("index", 0)
                .put("status", "accepted")
                .put("message_id", awkwardId)
                .put("topic", "events")
                .put("partition", 3)
                .put("offset", 42));
    assertThat(r.findValuesAsText("status"))
        .containsExactly("accepted", "accepted", "dropped", "rejected", "failed");
    assertThat(r.get(1).get("duplicate").asBoolean()).isTrue();
    assertThat(r.get(2).get("rule").asText()).isEqualTo("consent");
    assertThat(r.get(3).has("message_id")).isFalse();
    assertThat(r.get(3).get("field").asText()).isEqualTo("timestamp");
    assertThat(r.get(3).get("reason").asText()).isEqualTo("timestamp must be \"ISO\"");
    assertThat(r.get(4).get("rule").asText()).isEqualTo("kafka_unavailable");
    assertThat(r.get(4).get("retriable").asBoolean()).isTrue();
  }

  @Test
  void aLoneSurrogateInAnIdIsAnsweredNotThrown() throws Exception {
    // JSON allows "\ud800" in a message_id; the answer replaces what UTF-8 cannot hold.
    List<Result> results =
        List.of(
            result(
                0,
                Result.ACCEPTED,
                "a\ud800b",
                Delivery.stored("events", 0, 1),
                null,
                null,
                false));
    JsonNode answer = JSON.readTree(Answers.outcome(new Outcome(200, results, 0)));
    assertThat(answer.get("results").get(0).get("message_id").asText()).isEqualTo("a?b");
  }
}
