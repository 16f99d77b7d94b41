package dev.ferry.testkit;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A PKCS12 key or trust store file and its password (which is also the password of its keys).
 *
 * @param path the store file
 * @param password the store's (and its keys') password
 */
public record Pkcs12Store(Path path, String password) {

  public Pkcs12Store {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(password, "password");
  }

  /** The store type, for {@code ssl.keystore.type} or {@code ssl.truststore.type}. */
  public String type() {
    return "PKCS12";
  }
}
