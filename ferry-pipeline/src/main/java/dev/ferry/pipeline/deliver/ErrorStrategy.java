package dev.ferry.pipeline.deliver;

/**
 * What happens to records the target will not take: the seed's four strategies and dead-lettering.
 */
public enum ErrorStrategy {
  /** Retry on the back-off schedule, then drop the record (logged and counted). The default. */
  PROGRESS_BACK_OFF_DROP_MESSAGE(true, GiveUp.DROP),
  /** Retry on the back-off schedule, then stop the task; nothing is lost. */
  PROGRESS_BACK_OFF_STOP_TASK(true, GiveUp.STOP),
  /** No retries: drop a failing record at once (logged and counted). */
  DROP_MESSAGE(false, GiveUp.DROP),
  /** No retries: stop the task on the first failure; nothing is lost. */
  STOP_TASK(false, GiveUp.STOP),
  /**
   * Retry on the back-off schedule, then send the record to the dead-letter topic with the reason.
   */
  DEAD_LETTER(true, GiveUp.DEAD_LETTER);

  /** The end of the road for a failing record. */
  public enum GiveUp {
    DROP,
    STOP,
    DEAD_LETTER
  }

  private final boolean retries;
  private final GiveUp giveUp;

  ErrorStrategy(boolean retries, GiveUp giveUp) {
    this.retries = retries;
    this.giveUp = giveUp;
  }

  public boolean retries() {
    return retries;
  }

  public GiveUp giveUp() {
    return giveUp;
  }
}
