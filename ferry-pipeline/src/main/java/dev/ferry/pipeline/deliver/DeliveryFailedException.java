package dev.ferry.pipeline.deliver;

/** Delivery stopped, as the error strategy asked; the message says why and what to do. */
public final class DeliveryFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DeliveryFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
