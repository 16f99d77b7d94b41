package dev.ferry.bench;

import dev.ferry.testkit.Answer;
import dev.ferry.testkit.ReceivedRequest;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A {@link dev.ferry.testkit.ScriptedHttpTarget#respondWith} hook that notes when the first and the
 * latest request arrived, and leaves the answer to the target's default.
 *
 * <p>The target consults the hook before it counts the request's records, so once the target has
 * counted all records, {@link #lastNanos()} is the arrival of the request that carried the last.
 */
final class DeliveryClock implements Function<ReceivedRequest, Answer> {
  private final AtomicLong first = new AtomicLong();
  private final AtomicLong last = new AtomicLong();

  @Override
  public Answer apply(ReceivedRequest request) {
    long now = System.nanoTime();
    first.compareAndSet(0, now);
    last.accumulateAndGet(now, Math::max);
    return null;
  }

  /** {@link System#nanoTime()} when the first request arrived; 0 before that. */
  long firstNanos() {
    return first.get();
  }

  /** {@link System#nanoTime()} when the latest request arrived; 0 before the first. */
  long lastNanos() {
    return last.get();
  }
}
