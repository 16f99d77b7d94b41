package dev.ferry.pipeline.shape;

/**
 * Why a message could not be decoded or mapped. A retriable failure lies outside the message (a
 * schema registry that cannot be reached): the task stops and resumes later instead of
 * dead-lettering the message.
 */
public final class ShapeException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean retriable;

  public ShapeException(String message, boolean retriable) {
    super(message);
    this.retriable = retriable;
  }

  public ShapeException(String message, boolean retriable, Throwable cause) {
    super(message, cause);
    this.retriable = retriable;
  }

  public boolean retriable() {
    return retriable;
  }
}
