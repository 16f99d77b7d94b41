package dev.ferry.http.tls;

import dev.ferry.http.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.UnrecoverableKeyException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** A trust or key store file with its type, and the errors that name both. */
final class StoreFile {
  private static final Set<String> TYPES = Set.of("PKCS12", "JKS", "PEM");

  private final String role;
  private final Path path;
  private final String type;

  /**
   * @param role "trust store" or "key store", for messages
   */
  StoreFile(String role, Path path, String type) {
    this.role = role;
    this.path = path;
    this.type = type == null ? "" : type.strip().toUpperCase(Locale.ROOT);
    if (!TYPES.contains(this.type)) {
      throw error("type '" + type + "' is not supported", "use PKCS12, JKS or PEM", null);
    }
  }

  boolean isPem() {
    return type.equals("PEM");
  }

  /** Reads a PKCS12 or JKS store. */
  KeyStore load(Optional<Secret> password) {
    KeyStore store;
    try {
      store = KeyStore.getInstance(type);
    } catch (KeyStoreException e) {
      throw error("this JVM cannot read " + type + " stores", "use PKCS12, JKS or PEM", e);
    }
    char[] chars = password.map(p -> p.reveal().toCharArray()).orElse(null);
    try (InputStream in = Files.newInputStream(path)) {
      store.load(in, chars);
      return store;
    } catch (NoSuchFileException e) {
      throw missing(e);
    } catch (AccessDeniedException e) {
      throw unreadable(e);
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException) {
        throw error(
            "the password is wrong",
            "check the " + role + " password" + (chars == null ? " (none is set)" : ""),
            e);
      }
      throw error(
          "it cannot be read as a " + type + " store (" + e.getMessage() + ")",
          "check the " + role + " type (PKCS12, JKS or PEM) and that the file is not damaged",
          e);
    } catch (GeneralSecurityException e) {
      throw error(
          "its content cannot be read (" + e.getMessage() + ")",
          "check the " + role + " type and password",
          e);
    }
  }

  /** Reads the whole file as text, for PEM. */
  String readText() {
    try {
      return Files.readString(path, java.nio.charset.StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw missing(e);
    } catch (AccessDeniedException e) {
      throw unreadable(e);
    } catch (IOException e) {
      throw error(
          "it cannot be read as PEM text (" + e.getMessage() + ")",
          "check the " + role + " type (PKCS12, JKS or PEM)",
          e);
    }
  }

  private IllegalArgumentException missing(IOException e) {
    return error("the file does not exist", "check the " + role + " path", e);
  }

  private IllegalArgumentException unreadable(IOException e) {
    return error("the file cannot be read", "check its permissions", e);
  }

  /** An error naming the file and its type: "Cannot use the trust store F (type T): what: fix". */
  IllegalArgumentException error(String what, String fix, Throwable cause) {
    return new IllegalArgumentException(
        "Cannot use the " + role + " " + path + " (type " + type + "): " + what + ": " + fix,
        cause);
  }
}
