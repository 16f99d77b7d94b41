package dev.ferry.runtime;

/**
 * A start-up failure the user can fix. Its message is one line that names the address or setting at
 * fault and the fix; {@link UpCommand} prints it without a stack trace.
 */
final class StartupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  StartupException(String message) {
    super(message);
  }

  StartupException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The message of the innermost cause, which is usually the one that names what went wrong. */
  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
