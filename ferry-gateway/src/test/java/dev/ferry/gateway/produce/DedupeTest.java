package dev.ferry.gateway.produce;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DedupeTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final Dedupe dedupe = new Dedupe(Duration.ofSeconds(10), 3, now::get);

  private static CompletableFuture<Delivery> stored(long offset) {
    return CompletableFuture.completedFuture(Delivery.stored("events", 0, offset));
  }

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void aSecondCopyGetsTheFirstOnesResult() {
    CompletableFuture<Delivery> first = new CompletableFuture<>();
    assertThat(dedupe.claim("events", "m1", first)).isNull();
    CompletableFuture<Delivery> again = dedupe.claim("events", "m1", new CompletableFuture<>());
    assertThat(again).isSameAs(first);
    first.complete(Delivery.stored("events", 0, 7));
    assertThat(dedupe.claim("events", "m1", new CompletableFuture<>()).join().offset())
        .isEqualTo(7);
    assertThat(dedupe.size()).isEqualTo(1);
  }

  @Test
  void theTopicIsPartOfTheId() {
    assertThat(dedupe.claim("events", "m1", stored(1))).isNull();
    assertThat(dedupe.claim("other", "m1", stored(2))).isNull();
    assertThat(dedupe.size()).isEqualTo(2);
  }

  @Test
  void idsAreForgottenAfterTheWindow() {
    assertThat(dedupe.claim("events", "m1", stored(1))).isNull();
    advance(Duration.ofSeconds(9));
    assertThat(dedupe.claim("events", "m2", stored(2))).isNull();
    assertThat(dedupe.claim("events", "m1", stored(3))).isNotNull();
    advance(Duration.ofSeconds(1));
    // m1 is 10 s old now: gone; m2 is 1 s old: still known.
    assertThat(dedupe.claim("events", "m1", stored(4))).isNull();
    assertThat(dedupe.claim("events", "m2", stored(5)).join().offset()).isEqualTo(2);
    advance(Duration.ofSeconds(30));
    assertThat(dedupe.claim("events", "m3", stored(6))).isNull();
    assertThat(dedupe.size()).isEqualTo(1);
  }

  @Test
  void aFailedAttemptIsForgotten() {
    CompletableFuture<Delivery> first = new CompletableFuture<>();
    assertThat(dedupe.claim("events", "m1", first)).isNull();
    first.complete(Delivery.failed("events", new Failure("kafka_unavailable", true, "no answer")));
    assertThat(dedupe.size()).isZero();
    CompletableFuture<Delivery> retry = new CompletableFuture<>();
    assertThat(dedupe.claim("events", "m1", retry)).isNull();
    retry.complete(Delivery.stored("events", 0, 9));
    assertThat(dedupe.claim("events", "m1", stored(10)).join().offset()).isEqualTo(9);
  }

  @Test
  void anExceptionalOrEmptyAttemptIsForgotten() {
    CompletableFuture<Delivery> broken = new CompletableFuture<>();
    assertThat(dedupe.claim("events", "m1", broken)).isNull();
    broken.completeExceptionally(new IllegalStateException("boom"));
    CompletableFuture<Delivery> empty = new CompletableFuture<>();
    assertThat(dedupe.claim("events", "m2", empty)).isNull();
    empty.complete(null);
    assertThat(dedupe.size()).isZero();
    assertThat(dedupe.claim("events", "m1", stored(1))).isNull();
    assertThat(dedupe.claim("events", "m2", stored(2))).isNull();
  }

  @Test
  void aForgottenFailureDoesNotForgetTheRetry() {
    CompletableFuture<Delivery> first = new CompletableFuture<>();
    assertThat(dedupe.claim("events", "m1", first)).isNull();
    first.complete(Delivery.failed("events", new Failure("kafka_error", false, "x")));
    assertThat(dedupe.claim("events", "m1", stored(5))).isNull();
    // Failed attempts of other ids, then time passing within the retry's window.
    for (int i = 0; i < 10; i++) {
      CompletableFuture<Delivery> f = new CompletableFuture<>();
      assertThat(dedupe.claim("events", "f" + i, f)).isNull();
      f.complete(Delivery.failed("events", new Failure("kafka_error", false, "x")));
    }
    advance(Duration.ofSeconds(5));
    assertThat(dedupe.claim("events", "m1", stored(6)).join().offset()).isEqualTo(5);
    assertThat(dedupe.size()).isEqualTo(1);
  }

  @Test
  void theOldestIdsGoBeyondMaxEntries() {
    for (int i = 1; i <= 4; i++) {
      assertThat(dedupe.claim("events", "m" + i, stored(i))).isNull();
      advance(Duration.ofMillis(1));
    }
    assertThat(dedupe.size()).isEqualTo(3);
    assertThat(dedupe.claim("events", "m4", stored(0)).join().offset()).isEqualTo(4);
    assertThat(dedupe.claim("events", "m2", stored(0)).join().offset()).isEqualTo(2);
    // m1 was forgotten to make room; claiming it again pushes m2 out.
    assertThat(dedupe.claim("events", "m1", stored(11))).isNull();
    assertThat(dedupe.size()).isEqualTo(3);
    assertThat(dedupe.claim("events", "m2", stored(12))).isNull();
  }

  @Test
  void disabledByAZeroWindowOrSize() {
    assertThat(dedupe.enabled()).isTrue();
    assertThat(new Dedupe(Duration.ZERO, 10).enabled()).isFalse();
    assertThat(new Dedupe(Duration.ofSeconds(1), 0).enabled()).isFalse();
  }
}
