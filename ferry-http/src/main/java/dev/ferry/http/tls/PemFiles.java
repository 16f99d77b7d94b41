package dev.ferry.http.tls;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads PEM files: CA certificates for trust, and an unencrypted PKCS#8 key with its chain. */
final class PemFiles {
  /** Protects the key inside the in-memory store built from a PEM file. */
  static final char[] IN_MEMORY_PASSWORD = "ferry-pem".toCharArray();

  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
  private static final List<String> KEY_ALGORITHMS =
      List.of("RSA", "EC", "EdDSA", "RSASSA-PSS", "DSA");
  private static final String PKCS8_FIX =
      "convert the key to unencrypted PKCS#8 with `openssl pkcs8 -topk8 -nocrypt -in KEY`";

  /** One {@code -----BEGIN label-----} block, its base64 body not yet decoded. */
  private record Block(String label, String base64) {
    byte[] der(StoreFile file) {
      try {
        return Base64.getMimeDecoder().decode(base64.strip());
      } catch (IllegalArgumentException e) {
        throw file.error(
            "a '" + label + "' block is not valid base64", "check that the file is not damaged", e);
      }
    }
  }

  private PemFiles() {}

  /** A trust store holding every certificate in the file. */
  static KeyStore trustStore(StoreFile file) {
    List<Certificate> certificates = certificates(file, blocks(file));
    if (certificates.isEmpty()) {
      throw file.error(
          "it holds no '-----BEGIN CERTIFICATE-----' block",
          "check the trust store type (PKCS12, JKS or PEM): PEM expects CA certificates as text",
          null);
    }
    try {
      KeyStore store = emptyStore();
      for (int i = 0; i < certificates.size(); i++) {
        store.setCertificateEntry("ca-" + i, certificates.get(i));
      }
      return store;
    } catch (GeneralSecurityException e) {
      throw file.error("its certificates cannot be stored", "check the certificates", e);
    }
  }

  /** A key store holding the file's private key with its certificate chain. */
  static KeyStore keyStore(StoreFile file, char[] keyPassword) {
    List<Block> blocks = blocks(file);
    PrivateKey key = null;
    for (Block block : blocks) {
      switch (block.label()) {
        case "PRIVATE KEY":
          key = privateKey(file, block.der(file));
          break;
        case "ENCRYPTED PRIVATE KEY":
          throw file.error("its private key is encrypted", PKCS8_FIX, null);
        case "RSA PRIVATE KEY":
        case "EC PRIVATE KEY":
        case "DSA PRIVATE KEY":
          throw file.error("its key is a '" + block.label() + "', not PKCS#8", PKCS8_FIX, null);
        default:
          break;
      }
    }
    if (key == null) {
      throw file.error(
          "it holds no '-----BEGIN PRIVATE KEY-----' block",
          "check the key store type (PKCS12, JKS or PEM): PEM expects an unencrypted PKCS#8 key"
              + " followed by the certificate chain",
          null);
    }
    List<Certificate> chain = certificates(file, blocks);
    if (chain.isEmpty()) {
      throw file.error(
          "it holds a key but no certificate",
          "append the client certificate, then its CA chain, after the key",
          null);
    }
    try {
      KeyStore store = emptyStore();
      store.setKeyEntry("client", key, keyPassword, chain.toArray(new Certificate[0]));
      return store;
    } catch (GeneralSecurityException e) {
      throw file.error(
          "its key and certificates cannot be stored together (" + e.getMessage() + ")",
          "check that the first certificate belongs to the key",
          e);
    }
  }

  private static List<Block> blocks(StoreFile file) {
    List<Block> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(file.readText());
    while (m.find()) {
      blocks.add(new Block(m.group(1), m.group(2)));
    }
    return blocks;
  }

  private static List<Certificate> certificates(StoreFile file, List<Block> blocks) {
    List<Certificate> certificates = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Block block : blocks) {
        if (block.label().equals("CERTIFICATE")) {
          certificates.add(factory.generateCertificate(new ByteArrayInputStream(block.der(file))));
        }
      }
    } catch (CertificateException e) {
      throw file.error(
          "a certificate cannot be parsed (" + e.getMessage() + ")",
          "check that the file holds X.509 certificates in PEM",
          e);
    }
    return certificates;
  }

  private static PrivateKey privateKey(StoreFile file, byte[] der) {
    GeneralSecurityException last = null;
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw file.error(
        "its private key cannot be read as RSA, EC or EdDSA PKCS#8",
        "check that the key is an unencrypted PKCS#8 key; " + PKCS8_FIX,
        last);
  }

  private static KeyStore emptyStore() throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot create an in-memory key store", e);
    }
    return store;
  }
}
