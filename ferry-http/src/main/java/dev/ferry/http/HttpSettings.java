package dev.ferry.http;

import dev.ferry.http.tls.TlsSettings;
import java.time.Duration;

/** How to reach a target: timeouts and TLS. */
public record HttpSettings(Duration connectTimeout, Duration requestTimeout, TlsSettings tls) {
  public static HttpSettings defaults() {
    return new HttpSettings(
        Duration.ofSeconds(10), Duration.ofSeconds(30), TlsSettings.systemDefault());
  }
}
