package dev.ferry.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the target answered. */
public record Response(
    int status, Map<String, List<String>> headers, byte[] body, Duration latency) {

  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }

  /** The first value of a header, matched without regard to case. */
  public Optional<String> header(String name) {
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
        return Optional.of(e.getValue().get(0));
      }
    }
    return Optional.empty();
  }

  /** The start of the body as text, on one line, for error messages and dead-letter headers. */
  public String excerpt(int maxChars) {
    String text = new String(body, StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
    return text.length() <= maxChars ? text : text.substring(0, maxChars) + "…";
  }
}
