package dev.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.testkit.Answer;
import dev.ferry.testkit.ReceivedRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HttpSinkRestartIT extends SinkTestBase {

  @Test
  void workerRestartedMidStreamLosesNothingAndResendsWithTheSameIdempotencyKey() {
    cluster.createTopic(topic, 2);
    Map<String, String> config = sinkConfig("/restart");
    config.put("max.in.flight.requests", "2");
    run(config);
    target.setDefault(Answer.ok().delay(Duration.ofMillis(3)));

    produce(2, 2000);
    target.awaitReceived(300, WAIT);

    cluster.restartWorker();
    cluster.awaitConnectorRunning(connector, 1, WAIT);

    await("every record received at least once")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> distinctSeqs().size() == 2000);
    cluster.awaitCommittedTotal(group(), topic, 2000, WAIT);

    Map<Integer, Set<String>> keysBySeq = new HashMap<>();
    for (ReceivedRequest request : target.received()) {
      int seq = request.jsonRecords().get(0).get("seq").asInt();
      keysBySeq.computeIfAbsent(seq, s -> new HashSet<>()).add(request.header("Idempotency-Key"));
    }
    assertThat(keysBySeq).hasSize(2000);
    assertThat(keysBySeq.values()).allSatisfy(keys -> assertThat(keys).hasSize(1));
  }

  private Set<Integer> distinctSeqs() {
    Set<Integer> seqs = new HashSet<>();
    for (ReceivedRequest request : target.received()) {
      for (JsonNode r : request.jsonRecords()) {
        seqs.add(r.get("seq").asInt());
      }
    }
    return seqs;
  }
}
