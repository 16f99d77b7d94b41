package dev.ferry.pipeline.decode;

/**
 * Why a record value could not be decoded. The message is short and actionable and never holds
 * payload bytes or secrets.
 *
 * <p>{@link #retriable()} is true when the cause lies outside the record (the schema registry is
 * unreachable, answers 5xx or refuses the credentials): such a record must not be dead-lettered;
 * the task stops and resumes later. Otherwise the record itself cannot be decoded.
 */
public class DecodeException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean retriable;

  public DecodeException(String message, boolean retriable) {
    super(message);
    this.retriable = retriable;
  }

  public DecodeException(String message, boolean retriable, Throwable cause) {
    super(message, cause);
    this.retriable = retriable;
  }

  /** Whether the cause is outside the record, so the record must be retried, not dead-lettered. */
  public boolean retriable() {
    return retriable;
  }
}
