package dev.ferry.http.tls;

import static dev.ferry.http.testing.TestPki.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.http.HttpSender;
import dev.ferry.http.HttpSettings;
import dev.ferry.http.Request;
import dev.ferry.http.Secret;
import dev.ferry.http.auth.Auth;
import dev.ferry.http.testing.TargetServer;
import dev.ferry.http.testing.TestPki;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SslContextsTest {
  @TempDir static Path dir;
  private static TestPki pki;

  @BeforeAll
  static void makeCertificates() throws Exception {
    pki = new TestPki(dir);
  }

  private static TlsSettings trust(Path file, String type) {
    return new TlsSettings(
        Optional.of(file),
        type,
        Optional.of(Secret.of(PASSWORD)),
        Optional.empty(),
        "PKCS12",
        Optional.empty());
  }

  private static TlsSettings trustAndKey(Path keyStore, String keyType) {
    return new TlsSettings(
        Optional.of(pki.clientTrustStore),
        "PKCS12",
        Optional.of(Secret.of(PASSWORD)),
        Optional.of(keyStore),
        keyType,
        keyType.equals("PEM") ? Optional.empty() : Optional.of(Secret.of(PASSWORD)));
  }

  private static SslContextFactory.Server serverTls(boolean needClientCert) {
    SslContextFactory.Server tls = new SslContextFactory.Server();
    tls.setKeyStorePath(pki.serverKeyStore.toString());
    tls.setKeyStorePassword(PASSWORD);
    tls.setKeyStoreType("PKCS12");
    if (needClientCert) {
      tls.setNeedClientAuth(true);
      tls.setTrustStorePath(pki.serverTrustStore.toString());
      tls.setTrustStorePassword(PASSWORD);
      tls.setTrustStoreType("PKCS12");
    }
    return tls;
  }

  /** Sends one request to the target over HTTPS to "localhost", the certificate's name. */
  private static int send(TargetServer target, TlsSettings tls) throws Exception {
    HttpSettings settings = new HttpSettings(Duration.ofSeconds(5), Duration.ofSeconds(10), tls);
    try (HttpSender sender = new HttpSender(settings, Auth.none())) {
      return sender
          .send(new Request("GET", target.uri("localhost"), List.of(), new byte[0]))
          .status();
    }
  }

  @Test
  void trustsTheServerThroughAPkcs12TrustStore() throws Exception {
    try (TargetServer target = TargetServer.https(serverTls(false))) {
      assertThat(send(target, trust(pki.clientTrustStore, "PKCS12"))).isEqualTo(200);
    }
  }

  @Test
  void trustsTheServerThroughAJksTrustStore() throws Exception {
    try (TargetServer target = TargetServer.https(serverTls(false))) {
      assertThat(send(target, trust(pki.clientTrustJks, "jks"))).isEqualTo(200);
    }
  }

  @Test
  void trustsTheServerThroughAPemTrustStore() throws Exception {
    try (TargetServer target = TargetServer.https(serverTls(false))) {
      assertThat(send(target, trust(pki.clientTrustPem, "PEM"))).isEqualTo(200);
    }
  }

  @Test
  void refusesAServerOutsideTheJvmDefaultTrust() throws Exception {
    try (TargetServer target = TargetServer.https(serverTls(false))) {
      assertThatThrownBy(() -> send(target, TlsSettings.systemDefault()))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void refusesAServerWhoseCertificateNamesAnotherHost() throws Exception {
    HttpSettings settings =
        new HttpSettings(
            Duration.ofSeconds(5), Duration.ofSeconds(10), trust(pki.clientTrustStore, "PKCS12"));
    try (TargetServer target = TargetServer.https(serverTls(false));
        HttpSender sender = new HttpSender(settings, Auth.none())) {
      // the certificate is for "localhost" only, not for the address 127.0.0.1
      assertThatThrownBy(
              () -> sender.send(new Request("GET", target.uri(), List.of(), new byte[0])))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("127.0.0.1");
    }
  }

  @Test
  void sendsTheClientCertificateFromAPkcs12KeyStore() throws Exception {
    try (TargetServer target = TargetServer.https(serverTls(true))) {
      assertThat(send(target, trustAndKey(pki.clientKeyStore, "PKCS12"))).isEqualTo(200);
    }
  }

  @Test
  void sendsTheClientCertificateFromAPemKeyFile() throws Exception {
    try (TargetServer target = TargetServer.https(serverTls(true))) {
      assertThat(send(target, trustAndKey(pki.clientKeyPem, "PEM"))).isEqualTo(200);
    }
  }

  @Test
  void failsWithoutAClientCertificateWhenTheServerRequiresOne() throws Exception {
    try (TargetServer target = TargetServer.https(serverTls(true))) {
      assertThatThrownBy(() -> send(target, trust(pki.clientTrustStore, "PKCS12")))
          .isInstanceOf(IOException.class);
      assertThat(target.authorizations()).isEmpty();
    }
  }
}
