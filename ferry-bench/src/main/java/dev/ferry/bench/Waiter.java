package dev.ferry.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds or a deadline passes, printing a progress line now and then so a
 * long phase shows it is alive.
 */
final class Waiter {
  private static final long PROGRESS_EVERY_NANOS = Duration.ofSeconds(5).toNanos();

  private final PrintStream log;

  Waiter(PrintStream log) {
    this.log = log;
  }

  /**
   * Waits until {@code condition} holds, checking every {@code interval}.
   *
   * @param what what is awaited, for messages
   * @param progress the progress line printed every few seconds; it may throw to abort the wait
   * @throws TimeoutException when {@code timeout} passed first
   */
  void until(
      String what,
      Duration timeout,
      Duration interval,
      BooleanSupplier condition,
      Supplier<String> progress)
      throws TimeoutException {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    long nextProgress = start + PROGRESS_EVERY_NANOS;
    while (!condition.getAsBoolean()) {
      long now = System.nanoTime();
      if (now - deadline > 0) {
        throw new TimeoutException(
            "gave up after "
                + timeout.toSeconds()
                + " s waiting for "
                + what
                + ": "
                + progress.get());
      }
      if (now - nextProgress > 0) {
        log.printf("    ... %s: %s%n", what, progress.get());
        nextProgress = now + PROGRESS_EVERY_NANOS;
      }
      LockSupport.parkNanos(interval.toNanos());
    }
  }
}
