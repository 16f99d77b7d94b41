package dev.ferry.http.auth;

import dev.ferry.http.Secret;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A static header on every request: an API key ({@code X-Api-Key: ...}) or a fixed token ({@code
 * Authorization: Bearer ...}). The value is never shown in logs or messages.
 */
public final class HeaderAuth implements Auth {
  /** Headers the JDK client sets itself and refuses from callers. */
  private static final Set<String> RESTRICTED =
      Set.of("connection", "content-length", "expect", "host", "upgrade");

  private static final String TOKEN_CHARS = "!#$%&'*+-.^_`|~";

  private final String headerName;
  private final Secret value;

  /**
   * @param headerName the header to send, such as {@code Authorization} or {@code X-Api-Key}
   * @param value its value, sent as given
   * @throws IllegalArgumentException when the name is not a valid header name or the value spans
   *     lines
   */
  public HeaderAuth(String headerName, Secret value) {
    Objects.requireNonNull(headerName, "headerName");
    Objects.requireNonNull(value, "value");
    if (!isToken(headerName)) {
      throw new IllegalArgumentException(
          "'" + headerName + "' is not a valid HTTP header name: use letters, digits and dashes");
    }
    if (RESTRICTED.contains(headerName.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "header '" + headerName + "' is set by the HTTP client and cannot carry credentials");
    }
    if (value.reveal().indexOf('\r') >= 0 || value.reveal().indexOf('\n') >= 0) {
      throw new IllegalArgumentException(
          "the value of header '" + headerName + "' holds a line break: remove it");
    }
    this.headerName = headerName;
    this.value = value;
  }

  @Override
  public Map<String, String> headers() {
    return Map.of(headerName, value.reveal());
  }

  private static boolean isToken(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || TOKEN_CHARS.indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "HeaderAuth[" + headerName + ": " + value + "]";
  }
}
