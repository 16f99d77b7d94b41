package dev.ferry.connect.sink.config;

import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Type.PASSWORD;
import static org.apache.kafka.common.config.ConfigDef.Type.STRING;

import dev.ferry.http.Secret;
import dev.ferry.http.tls.TlsSettings;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;

/** TLS towards the target: a private CA and a client certificate (mTLS). */
final class TlsConfig {
  static final String GROUP = "TLS";
  static final String TRUSTSTORE = "http.ssl.truststore.location";
  static final String TRUSTSTORE_PASSWORD = "http.ssl.truststore.password";
  static final String TRUSTSTORE_TYPE = "http.ssl.truststore.type";
  static final String KEYSTORE = "http.ssl.keystore.location";
  static final String KEYSTORE_PASSWORD = "http.ssl.keystore.password";
  static final String KEYSTORE_TYPE = "http.ssl.keystore.type";

  private TlsConfig() {}

  static void define(ConfigDef def) {
    int order = 0;
    ConfigDef.Validator types = Validators.oneOfIgnoringCase("PKCS12", "JKS", "PEM");
    def.define(
            TRUSTSTORE,
            STRING,
            "",
            MEDIUM,
            "A trust store with the CA certificates that sign the target's certificate; empty for"
                + " the JVM's default trust.",
            GROUP,
            ++order,
            ConfigDef.Width.LONG,
            "Trust store")
        .define(
            TRUSTSTORE_PASSWORD,
            PASSWORD,
            null,
            LOW,
            "The trust store's password.",
            GROUP,
            ++order,
            ConfigDef.Width.MEDIUM,
            "Trust store password")
        .define(
            TRUSTSTORE_TYPE,
            STRING,
            "PKCS12",
            types,
            LOW,
            "PKCS12, JKS or PEM (a file of CA certificates).",
            GROUP,
            ++order,
            ConfigDef.Width.SHORT,
            "Trust store type")
        .define(
            KEYSTORE,
            STRING,
            "",
            MEDIUM,
            "A key store with the client certificate and key, for mutual TLS; empty for none.",
            GROUP,
            ++order,
            ConfigDef.Width.LONG,
            "Key store")
        .define(
            KEYSTORE_PASSWORD,
            PASSWORD,
            null,
            LOW,
            "The key store's password.",
            GROUP,
            ++order,
            ConfigDef.Width.MEDIUM,
            "Key store password")
        .define(
            KEYSTORE_TYPE,
            STRING,
            "PKCS12",
            types,
            LOW,
            "PKCS12, JKS or PEM (a PKCS#8 private key followed by the certificate chain).",
            GROUP,
            ++order,
            ConfigDef.Width.SHORT,
            "Key store type");
  }

  static TlsSettings from(AbstractConfig c) {
    return new TlsSettings(
        path(c.getString(TRUSTSTORE)),
        c.getString(TRUSTSTORE_TYPE).toUpperCase(java.util.Locale.ROOT),
        secret(c.getPassword(TRUSTSTORE_PASSWORD)),
        path(c.getString(KEYSTORE)),
        c.getString(KEYSTORE_TYPE).toUpperCase(java.util.Locale.ROOT),
        secret(c.getPassword(KEYSTORE_PASSWORD)));
  }

  private static Optional<Path> path(String location) {
    return location == null || location.isBlank()
        ? Optional.empty()
        : Optional.of(Path.of(location));
  }

  private static Optional<Secret> secret(Password p) {
    return p == null ? Optional.empty() : Optional.of(Secret.of(p.value()));
  }
}
