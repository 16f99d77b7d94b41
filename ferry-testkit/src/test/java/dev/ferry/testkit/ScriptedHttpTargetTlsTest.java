package dev.ferry.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS with a self-signed certificate that the client trusts, with and without client auth. */
class ScriptedHttpTargetTlsTest {

  private static final String PASSWORD = "changeit";

  @TempDir static Path dir;
  private static Path keyStore;
  private static KeyStore store;

  @BeforeAll
  static void makeKeyStore() throws Exception {
    keyStore = dir.resolve("server.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD)
            .redirectErrorStream(true)
            .start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(keytool.getInputStream().readAllBytes());
    assertThat(keytool.exitValue()).as(output).isZero();
    store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      store.load(in, PASSWORD.toCharArray());
    }
  }

  private static HttpClient client(boolean presentCertificate) throws Exception {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, PASSWORD.toCharArray());
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(presentCertificate ? kmf.getKeyManagers() : null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1).build();
  }

  private static HttpResponse<String> post(HttpClient client, ScriptedHttpTarget target)
      throws Exception {
    return client.send(
        HttpRequest.newBuilder(target.uri("/secure"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesHttps() throws Exception {
    try (ScriptedHttpTarget target = ScriptedHttpTarget.startTls(keyStore, PASSWORD, false, null)) {
      assertThat(target.uri("/secure").getScheme()).isEqualTo("https");
      assertThat(post(client(false), target).statusCode()).isEqualTo(200);
      assertThat(target.received())
          .singleElement()
          .extracting(ReceivedRequest::path)
          .isEqualTo("/secure");
    }
  }

  @Test
  void requiresATrustedClientCertificateWhenAsked() throws Exception {
    // The self-signed certificate is both the client's identity and the server's trust anchor.
    try (ScriptedHttpTarget target =
        ScriptedHttpTarget.startTls(keyStore, PASSWORD, true, keyStore)) {
      assertThat(post(client(true), target).statusCode()).isEqualTo(200);
      assertThatThrownBy(() -> post(client(false), target)).isInstanceOf(IOException.class);
      assertThat(target.receivedCount()).isEqualTo(1);
    }
  }
}
