package dev.ferry.http.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for TLS tests, made with the JDK's {@code keytool}: a self-signed server certificate
 * for localhost (EC), a self-signed client certificate (RSA), and the stores and PEM files that
 * trust them.
 */
public final class TestPki {
  public static final String PASSWORD = "store-pass-5e2b";

  /** Server key and certificate, PKCS12, for Jetty. */
  public final Path serverKeyStore;

  /** The server certificate, trusted by the client: PKCS12 and PEM. */
  public final Path clientTrustStore;

  public final Path clientTrustPem;

  public final Path clientTrustJks;

  /** The client key and certificate: PKCS12, and PEM (PKCS#8 key then certificate). */
  public final Path clientKeyStore;

  public final Path clientKeyPem;

  /** The client certificate, trusted by the server for mTLS: PKCS12. */
  public final Path serverTrustStore;

  public TestPki(Path dir) throws Exception {
    serverKeyStore = dir.resolve("server.p12");
    clientTrustStore = dir.resolve("client-trust.p12");
    clientTrustPem = dir.resolve("client-trust.pem");
    clientTrustJks = dir.resolve("client-trust.jks");
    clientKeyStore = dir.resolve("client.p12");
    clientKeyPem = dir.resolve("client.pem");
    serverTrustStore = dir.resolve("server-trust.p12");
    Path clientCert = dir.resolve("client-cert.pem");

    keytool(
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=dns:localhost",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        serverKeyStore,
        "-storepass",
        PASSWORD);
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "server",
        "-keystore",
        serverKeyStore,
        "-storepass",
        PASSWORD,
        "-file",
        clientTrustPem);
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "server",
        "-file",
        clientTrustPem,
        "-storetype",
        "PKCS12",
        "-keystore",
        clientTrustStore,
        "-storepass",
        PASSWORD);
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "server",
        "-file",
        clientTrustPem,
        "-storetype",
        "JKS",
        "-keystore",
        clientTrustJks,
        "-storepass",
        PASSWORD);

    keytool(
        "-genkeypair",
        "-alias",
        "client",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=ferry-client",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        clientKeyStore,
        "-storepass",
        PASSWORD);
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "client",
        "-keystore",
        clientKeyStore,
        "-storepass",
        PASSWORD,
        "-file",
        clientCert);
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "client",
        "-file",
        clientCert,
        "-storetype",
        "PKCS12",
        "-keystore",
        serverTrustStore,
        "-storepass",
        PASSWORD);
    writePem(clientKeyStore, "client", clientKeyPem);
  }

  /** Writes the key as unencrypted PKCS#8 PEM, followed by its certificate chain. */
  private static void writePem(Path store, String alias, Path pem)
      throws IOException, GeneralSecurityException {
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keyStore.load(in, PASSWORD.toCharArray());
    }
    Key key = keyStore.getKey(alias, PASSWORD.toCharArray());
    StringBuilder text = new StringBuilder(block("PRIVATE KEY", key.getEncoded()));
    for (Certificate certificate : keyStore.getCertificateChain(alias)) {
      text.append(block("CERTIFICATE", certificate.getEncoded()));
    }
    Files.writeString(pem, text, StandardCharsets.US_ASCII);
  }

  private static String block(String label, byte[] der) {
    Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
    return "-----BEGIN "
        + label
        + "-----\n"
        + base64.encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }

  private static void keytool(Object... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    for (Object arg : args) {
      command.add(arg.toString());
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("keytool " + String.join(" ", command) + " failed: " + output);
    }
  }
}
