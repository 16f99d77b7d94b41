package dev.ferry.http.tls;

import dev.ferry.http.Secret;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * TLS towards the target: an optional trust store (to trust a private CA) and an optional key store
 * (a client certificate, for mTLS). The server's certificate must always match the host name.
 *
 * @param trustStore trust store file, empty for the JVM's default trust
 * @param trustStoreType PKCS12, JKS or PEM (a text file of one or more X.509 CA certificates)
 * @param trustStorePassword the trust store's password; not used for PEM
 * @param keyStore key store file holding the client certificate and key, empty for none
 * @param keyStoreType PKCS12, JKS or PEM (an unencrypted PKCS#8 {@code -----BEGIN PRIVATE KEY-----}
 *     followed by the certificate chain, the client's certificate first)
 * @param keyStorePassword the key store's password, also the key's; not used for PEM
 */
public record TlsSettings(
    Optional<Path> trustStore,
    String trustStoreType,
    Optional<Secret> trustStorePassword,
    Optional<Path> keyStore,
    String keyStoreType,
    Optional<Secret> keyStorePassword) {

  public static TlsSettings systemDefault() {
    return new TlsSettings(
        Optional.empty(), "PKCS12", Optional.empty(), Optional.empty(), "PKCS12", Optional.empty());
  }

  public boolean isSystemDefault() {
    return trustStore.isEmpty() && keyStore.isEmpty();
  }

  /** Builds the SSL context; errors name the store and what to check. */
  public SSLContext sslContext() {
    return SslContexts.create(this);
  }
}
