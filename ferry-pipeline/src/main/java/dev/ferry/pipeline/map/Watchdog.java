package dev.ferry.pipeline.map;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one daemon thread that stops JavaScript calls running past their time limit. */
final class Watchdog {
  private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);

  private Watchdog() {}

  /** Created on first use. */
  private static final class Holder {
    static final ScheduledThreadPoolExecutor TIMER = create();

    private static ScheduledThreadPoolExecutor create() {
      ScheduledThreadPoolExecutor timer =
          new ScheduledThreadPoolExecutor(
              1,
              r -> {
                Thread thread = new Thread(r, "ferry-mapping-watchdog");
                thread.setDaemon(true);
                return thread;
              });
      timer.setRemoveOnCancelPolicy(true);
      return timer;
    }
  }

  /**
   * How often to look for calls past a time limit: a tenth of it, between 5 and 100 ms, so a call
   * is stopped at most that much after its limit.
   */
  static Duration period(Duration timeout) {
    long millis = Math.max(5, Math.min(100, timeout.toMillis() / 10));
    return Duration.ofMillis(millis);
  }

  /** Runs the check every period until the returned future is cancelled. */
  static ScheduledFuture<?> every(Duration period, Runnable check) {
    long nanos = period.toNanos();
    return Holder.TIMER.scheduleWithFixedDelay(
        () -> {
          try {
            check.run();
          } catch (RuntimeException e) { // an escaping exception would end the schedule
            LOG.warn("the mapping watchdog failed to check a call; it will look again", e);
          }
        },
        nanos,
        nanos,
        TimeUnit.NANOSECONDS);
  }
}
