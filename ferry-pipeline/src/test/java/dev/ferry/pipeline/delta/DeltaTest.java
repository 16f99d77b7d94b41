package dev.ferry.pipeline.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.pipeline.shape.Body;
import dev.ferry.pipeline.shape.Entity;
import dev.ferry.pipeline.shape.Output;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeltaTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Entity upsert(String id, int v) {
    ObjectNode data = JSON.createObjectNode().put("v", v);
    return new Entity("item", id, Entity.Op.UPSERT, data);
  }

  private static Entity delete(String id) {
    return Entity.delete("item", id);
  }

  @Test
  void noneSendsEverything() {
    List<Output> all = List.of(upsert("A", 1), upsert("A", 2), delete("A"));
    assertThat(new Delta(DeltaMode.NONE, null).select(all).toSend()).isEqualTo(all);
  }

  @Test
  void collapseKeepsTheLastOperationOfEachEntityWhereItLastOccurred() {
    Body plain = new Body(JSON.createObjectNode().put("x", 1));
    List<Output> batch =
        List.of(upsert("A", 1), upsert("B", 1), plain, upsert("A", 2), delete("B"), upsert("C", 1));
    Delta.Selection s = new Delta(DeltaMode.COLLAPSE, null).select(batch);
    assertThat(s.toSend()).containsExactly(plain, upsert("A", 2), delete("B"), upsert("C", 1));
    assertThat(s.collapsed()).isEqualTo(2);
  }

  @Test
  void anUpsertAfterADeleteOfTheSameEntityWins() {
    Delta.Selection s =
        new Delta(DeltaMode.COLLAPSE, null).select(List.of(delete("A"), upsert("A", 3)));
    assertThat(s.toSend()).containsExactly(upsert("A", 3));
  }

  @Test
  void skipUnchangedSkipsOnlyUpsertsWhoseDataWasDeliveredBefore() {
    MemoryHashStore store = new MemoryHashStore(100);
    Delta delta = new Delta(DeltaMode.SKIP_UNCHANGED, store);

    Delta.Selection first = delta.select(List.of(upsert("A", 1), upsert("B", 1)));
    assertThat(first.toSend()).hasSize(2);
    delta.delivered(first);

    Delta.Selection second = delta.select(List.of(upsert("A", 1), upsert("B", 2), delete("C")));
    assertThat(second.toSend()).containsExactly(upsert("B", 2), delete("C"));
    assertThat(second.unchanged()).isEqualTo(1);
    delta.delivered(second);

    delta.delivered(delta.select(List.of(delete("A"))));
    assertThat(delta.select(List.of(upsert("A", 1))).toSend())
        .as("after a delete, the same data is new again")
        .containsExactly(upsert("A", 1));
  }

  @Test
  void anUpsertThatAnotherLaneIsSendingIsSentAgainNotSkipped() {
    Delta delta = new Delta(DeltaMode.SKIP_UNCHANGED, new MemoryHashStore(100));
    delta.delivered(delta.select(List.of(upsert("A", 1))));
    Delta.Selection attempt = delta.select(List.of(upsert("A", 2)));
    assertThat(delta.select(List.of(upsert("A", 2))).toSend())
        .as("the other attempt may still fail: this record must not rely on it")
        .hasSize(1);
    delta.delivered(attempt);
  }

  @Test
  void aFailedAttemptMakesItsEntitiesUnknownBecauseTheTargetMayHaveAppliedIt() {
    MemoryHashStore store = new MemoryHashStore(100);
    Delta delta = new Delta(DeltaMode.SKIP_UNCHANGED, store);
    delta.delivered(delta.select(List.of(upsert("A", 1))));
    delta.failed(delta.select(List.of(upsert("A", 2))));
    assertThat(store.get(new Entity("item", "A", Entity.Op.UPSERT, null).key())).isNull();
    assertThat(delta.select(List.of(upsert("A", 1))).toSend())
        .as("the target may hold 2 now")
        .hasSize(1);
  }

  @Test
  void aChangeInFlightIsComparedWithTheLatestContentNotTheStoredOne() {
    Delta delta = new Delta(DeltaMode.SKIP_UNCHANGED, new MemoryHashStore(100));
    delta.delivered(delta.select(List.of(upsert("A", 1))));
    Delta.Selection toTwo = delta.select(List.of(upsert("A", 2)));
    assertThat(delta.select(List.of(upsert("A", 1))).toSend())
        .as("back to 1 while 2 is in flight: must be sent")
        .hasSize(1);
    delta.delivered(toTwo);
  }

  @Test
  void theStoreIsBoundedAndForgetsTheLeastRecentlyUsed() {
    MemoryHashStore store = new MemoryHashStore(2);
    Delta delta = new Delta(DeltaMode.SKIP_UNCHANGED, store);
    delta.delivered(delta.select(List.of(upsert("A", 1))));
    delta.delivered(delta.select(List.of(upsert("B", 1))));
    delta.delivered(delta.select(List.of(upsert("C", 1))));
    assertThat(store.size()).isEqualTo(2);
    assertThat(delta.select(List.of(upsert("A", 1))).toSend()).hasSize(1);
  }

  @Test
  void skipUnchangedNeedsAStore() {
    assertThatThrownBy(() -> new Delta(DeltaMode.SKIP_UNCHANGED, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
