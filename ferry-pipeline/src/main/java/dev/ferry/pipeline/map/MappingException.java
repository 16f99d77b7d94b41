package dev.ferry.pipeline.map;

/** A mapping that does not compile, or that fails for one message; the message says where. */
public class MappingException extends Exception {
  private static final long serialVersionUID = 1L;

  public MappingException(String message) {
    super(message);
  }

  public MappingException(String message, Throwable cause) {
    super(message, cause);
  }
}
