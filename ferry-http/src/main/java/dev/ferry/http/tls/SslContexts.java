package dev.ferry.http.tls;

import dev.ferry.http.Secret;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.UnrecoverableKeyException;
import java.util.Collections;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds SSL contexts from {@link TlsSettings}: a trust store for the server's CA and a key store
 * for the client certificate (mTLS). Either may be absent: no trust store means the JVM's default
 * trust, no key store means no client certificate. Errors are {@link IllegalArgumentException}s
 * that name the file, its type and what to check, never a password.
 */
final class SslContexts {
  private SslContexts() {}

  static SSLContext create(TlsSettings settings) {
    KeyManager[] keyManagers =
        settings.keyStore().isPresent()
            ? keyManagers(
                settings.keyStore().get(), settings.keyStoreType(), settings.keyStorePassword())
            : null;
    TrustManager[] trustManagers =
        trustManagers(
            settings.trustStore(), settings.trustStoreType(), settings.trustStorePassword());
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers, trustManagers, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("Cannot set up TLS: " + e.getMessage(), e);
    }
  }

  private static TrustManager[] trustManagers(
      Optional<Path> file, String type, Optional<Secret> password) {
    KeyStore store = null;
    StoreFile source = null;
    if (file.isPresent()) {
      source = new StoreFile("trust store", file.get(), type);
      store = source.isPem() ? PemFiles.trustStore(source) : source.load(password);
      if (!hasCertificate(store)) {
        throw source.error(
            "it holds no certificate",
            source.isPem()
                ? "add the CA certificates as PEM blocks"
                : "check the trust store password (a PKCS12 store needs it to read certificates)"
                    + " and that this is the right file",
            null);
      }
    }
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory.getTrustManagers();
    } catch (GeneralSecurityException e) {
      if (source == null) {
        throw new IllegalArgumentException("Cannot load the JVM's default trust: " + e, e);
      }
      throw source.error("its certificates cannot be used", "check the certificates in it", e);
    }
  }

  private static KeyManager[] keyManagers(Path file, String type, Optional<Secret> password) {
    StoreFile source = new StoreFile("key store", file, type);
    KeyStore store;
    char[] keyPassword;
    if (source.isPem()) {
      keyPassword = PemFiles.IN_MEMORY_PASSWORD.clone();
      store = PemFiles.keyStore(source, keyPassword);
    } else {
      keyPassword = password.map(p -> p.reveal().toCharArray()).orElse(new char[0]);
      store = source.load(password);
    }
    if (!hasPrivateKey(store)) {
      throw source.error(
          "it holds no private key",
          "check that it holds the client certificate with its key, and the key store password",
          null);
    }
    try {
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, keyPassword);
      return factory.getKeyManagers();
    } catch (UnrecoverableKeyException e) {
      throw source.error(
          "its private key cannot be read with the key store password",
          "check the key store password"
              + (password.isEmpty() ? " (none is set)" : "")
              + "; the key's own password must be the same",
          e);
    } catch (GeneralSecurityException e) {
      throw source.error("its private key cannot be used", "check the key in it", e);
    }
  }

  private static boolean hasCertificate(KeyStore store) {
    try {
      for (String alias : Collections.list(store.aliases())) {
        if (store.getCertificate(alias) != null) {
          return true;
        }
      }
      return false;
    } catch (KeyStoreException e) {
      throw new IllegalStateException("key store not loaded", e);
    }
  }

  private static boolean hasPrivateKey(KeyStore store) {
    try {
      for (String alias : Collections.list(store.aliases())) {
        if (store.isKeyEntry(alias)) {
          return true;
        }
      }
      return false;
    } catch (KeyStoreException e) {
      throw new IllegalStateException("key store not loaded", e);
    }
  }
}
