package dev.ferry.http.tls;

import javax.net.ssl.SSLContext;

/** Builds SSL contexts from {@link TlsSettings}. */
final class SslContexts {
  private SslContexts() {}

  static SSLContext create(TlsSettings settings) {
    throw new UnsupportedOperationException("TLS stores are not supported yet");
  }
}
