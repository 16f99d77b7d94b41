package dev.ferry.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small private PKI for TLS tests, made with the JDK's {@code keytool}: a CA, a server
 * certificate for {@code localhost} and {@code 127.0.0.1} and a client certificate, both signed by
 * the CA (EC P-256 keys, valid for two days).
 *
 * <p>All stores are PKCS12 and share {@link #password()}, which is also the password of their keys:
 *
 * <ul>
 *   <li>{@link #serverKeyStore()}: the server's key and its chain (server, CA), for the target;
 *   <li>{@link #clientKeyStore()}: the client's key and its chain (client, CA), for mutual TLS;
 *   <li>{@link #trustStore()}: the CA certificate alone, trusted by both sides;
 *   <li>{@link #caPem()}: the CA certificate as PEM.
 * </ul>
 *
 * <pre>{@code
 * TestCertificates pki = TestCertificates.create(tempDir);
 * try (ScriptedHttpTarget target =
 *     ScriptedHttpTarget.startTls(pki.serverKeyStore(), pki.password(), true, pki.trustStore())) {
 *   // ... a client trusting pki.trustStore() and presenting pki.clientKeyStore() ...
 * }
 * }</pre>
 */
public final class TestCertificates {
  private static final String PASSWORD = "ferry-test-pki-9c1d";

  private final Path serverKeyStore;
  private final Path clientKeyStore;
  private final Path trustStore;
  private final Path caPem;

  private TestCertificates(Path dir) {
    serverKeyStore = dir.resolve("server.p12");
    clientKeyStore = dir.resolve("client.p12");
    trustStore = dir.resolve("truststore.p12");
    caPem = dir.resolve("ca.pem");
  }

  /**
   * Generates the CA and both certificates into {@code dir} (created if missing); takes a few
   * seconds, as each step is a {@code keytool} process.
   *
   * @throws IllegalStateException when {@code keytool} fails
   */
  public static TestCertificates create(Path dir) {
    TestCertificates pki = new TestCertificates(dir);
    try {
      Files.createDirectories(dir);
      pki.generate(dir);
    } catch (IOException e) {
      throw new IllegalStateException("could not create test certificates in " + dir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating test certificates", e);
    }
    return pki;
  }

  /** Generates the certificates into a new temporary directory. */
  public static TestCertificates create() {
    try {
      return create(Files.createTempDirectory("ferry-pki-"));
    } catch (IOException e) {
      throw new IllegalStateException("could not create a temporary directory", e);
    }
  }

  /** The server's key store (PKCS12): key and chain for CN=localhost, SAN localhost, 127.0.0.1. */
  public Path serverKeyStore() {
    return serverKeyStore;
  }

  /** The client's key store (PKCS12): key and chain for CN=ferry-client. */
  public Path clientKeyStore() {
    return clientKeyStore;
  }

  /** The trust store (PKCS12) holding the CA certificate. */
  public Path trustStore() {
    return trustStore;
  }

  /** The CA certificate as a PEM file. */
  public Path caPem() {
    return caPem;
  }

  /** The password of every store and key. */
  public String password() {
    return PASSWORD;
  }

  private void generate(Path dir) throws IOException, InterruptedException {
    Path caStore = dir.resolve("ca.p12");
    keytool(
        "-genkeypair -alias ca -keyalg EC -groupname secp256r1 -dname %s -ext bc:c -validity 2"
            + " -storetype PKCS12 -keystore %s -storepass %s",
        "CN=Ferry Test CA", caStore, PASSWORD);
    keytool(
        "-exportcert -rfc -alias ca -keystore %s -storepass %s -file %s", caStore, PASSWORD, caPem);
    keytool(
        "-importcert -noprompt -alias ca -file %s -storetype PKCS12 -keystore %s -storepass %s",
        caPem, trustStore, PASSWORD);
    signed(dir, caStore, "server", "CN=localhost", serverKeyStore, "serverAuth");
    signed(dir, caStore, "client", "CN=ferry-client", clientKeyStore, "clientAuth");
  }

  /**
   * Makes a key pair in {@code store} and replaces its self-signed certificate by one the CA signs
   * for {@code usage}; server certificates name {@code localhost} and {@code 127.0.0.1}.
   */
  private void signed(Path dir, Path caStore, String alias, String dname, Path store, String usage)
      throws IOException, InterruptedException {
    Path csr = dir.resolve(alias + ".csr");
    Path cert = dir.resolve(alias + ".pem");
    Path chain = dir.resolve(alias + "-chain.pem");
    keytool(
        "-genkeypair -alias %s -keyalg EC -groupname secp256r1 -dname %s -validity 2"
            + " -storetype PKCS12 -keystore %s -storepass %s",
        alias, dname, store, PASSWORD);
    keytool("-certreq -alias %s -keystore %s -storepass %s -file %s", alias, store, PASSWORD, csr);
    String san = usage.equals("serverAuth") ? " -ext SAN=dns:localhost,ip:127.0.0.1" : "";
    keytool(
        "-gencert -rfc -alias ca -keystore %s -storepass %s -infile %s -outfile %s -validity 2"
            + " -ext EKU=%s"
            + san,
        caStore,
        PASSWORD,
        csr,
        cert,
        usage);
    Files.writeString(
        chain, Files.readString(cert) + Files.readString(caPem), StandardCharsets.US_ASCII);
    keytool(
        "-importcert -noprompt -alias %s -file %s -keystore %s -storepass %s",
        alias, chain, store, PASSWORD);
  }

  /**
   * Runs {@code keytool}; {@code template} is split on spaces, then each {@code %s} in it takes the
   * next of {@code values} (which may contain spaces).
   */
  private static void keytool(String template, Object... values)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    int next = 0;
    for (String token : template.split(" ", -1)) {
      command.add(token.contains("%s") ? token.replace("%s", values[next++].toString()) : token);
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("keytool " + String.join(" ", command) + " failed: " + output);
    }
  }
}
