package dev.ferry.http.tls;

import static dev.ferry.http.testing.TestPki.PASSWORD;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.http.Secret;
import dev.ferry.http.testing.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Store files that cannot be used: each error names the file, its type and what to check. */
class TlsStoreErrorsTest {
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

  @Test
  void wrongTrustStorePasswordNamesTheFileWithoutThePassword() {
    TlsSettings tls =
        new TlsSettings(
            Optional.of(pki.clientTrustStore),
            "PKCS12",
            Optional.of(Secret.of("not-the-password-31")),
            Optional.empty(),
            "PKCS12",
            Optional.empty());
    assertThatThrownBy(tls::sslContext)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trust store " + pki.clientTrustStore + " (type PKCS12)")
        .hasMessageContaining("the password is wrong: check the trust store password")
        .hasMessageNotContaining("not-the-password-31")
        .hasMessageNotContaining(PASSWORD)
        .hasCauseInstanceOf(IOException.class);
  }

  @Test
  void wrongKeyStorePasswordNamesTheFileWithoutThePassword() {
    TlsSettings tls =
        new TlsSettings(
            Optional.empty(),
            "PKCS12",
            Optional.empty(),
            Optional.of(pki.clientKeyStore),
            "PKCS12",
            Optional.of(Secret.of("not-the-password-32")));
    assertThatThrownBy(tls::sslContext)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key store " + pki.clientKeyStore + " (type PKCS12)")
        .hasMessageContaining("check the key store password")
        .hasMessageNotContaining("not-the-password-32");
  }

  @Test
  void missingTrustStoreNamesTheFile() {
    Path missing = dir.resolve("nowhere.p12");
    assertThatThrownBy(() -> trust(missing, "PKCS12").sslContext())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trust store " + missing + " (type PKCS12): the file does not exist")
        .hasMessageContaining("check the trust store path");
  }

  @Test
  void wrongStoreTypeSaysToCheckTheType() {
    assertThatThrownBy(() -> trust(pki.clientTrustPem, "PKCS12").sslContext())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(pki.clientTrustPem + " (type PKCS12): it cannot be read as a PKCS12")
        .hasMessageContaining("check the trust store type (PKCS12, JKS or PEM)");
    assertThatThrownBy(() -> trust(pki.clientTrustStore, "PEM").sslContext())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(pki.clientTrustStore + " (type PEM): it holds no")
        .hasMessageContaining("check the trust store type");
    assertThatThrownBy(() -> trust(pki.clientTrustStore, "PFX").sslContext())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("type 'PFX' is not supported: use PKCS12, JKS or PEM");
  }

  @Test
  void encryptedPemKeySaysHowToConvertIt() throws Exception {
    Path pem = dir.resolve("encrypted.pem");
    Files.writeString(
        pem,
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n",
        StandardCharsets.US_ASCII);
    TlsSettings tls =
        new TlsSettings(
            Optional.empty(),
            "PKCS12",
            Optional.empty(),
            Optional.of(pem),
            "PEM",
            Optional.empty());
    assertThatThrownBy(tls::sslContext)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key store " + pem + " (type PEM): its private key is encrypted")
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
  }
}
