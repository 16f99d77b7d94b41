package dev.ferry.runtime;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Start/stop coordination shared by {@link EmbeddedBroker} and {@link ConnectWorker}. */
final class Lifecycle {
  /** How long a stop waits for a start in progress before stopping anyway. */
  static final Duration STOP_WAITS_FOR_START = Duration.ofSeconds(30);

  private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

  private Lifecycle() {}

  /**
   * Takes {@code startLock} for a stop, waiting a bounded time for a start in progress.
   *
   * @return whether the lock was taken (the caller unlocks it); {@code false} after the wait ran
   *     out
   */
  static boolean lockForStop(ReentrantLock startLock) {
    try {
      if (startLock.tryLock(STOP_WAITS_FOR_START.toMillis(), TimeUnit.MILLISECONDS)) {
        return true;
      }
      log.warn("Still starting after {} s: stopping anyway", STOP_WAITS_FOR_START.toSeconds());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }
}
