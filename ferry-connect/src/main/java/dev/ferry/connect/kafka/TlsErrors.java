package dev.ferry.connect.kafka;

import java.util.Locale;

/** TLS failures: handshakes the broker or the client refused, and stores that do not load. */
final class TlsErrors {
  private TlsErrors() {}

  static String handshake(ErrorChain chain, KafkaProfile profile, String where) {
    String failed = "TLS handshake with " + where + " failed: ";
    if (chain.mentions("no subject alternative", "no name matching", "subject alternative name")) {
      return failed
          + "the brokers' certificate does not name the host connected to: use a host name the"
          + " certificate lists in kafka.bootstrap.servers";
    }
    if (chain.mentions("pkix", "certification path", "validatorexception", "certpath")) {
      String trust = profile.trustSource();
      return failed
          + "the broker's certificate is not trusted (or has expired): check"
          + " kafka.ssl.truststore.location (or kafka.ssl.ca.pem)"
          + (trust.isEmpty()
              ? "; neither is set, so only the JVM's default CAs are trusted: set kafka.ssl.ca.pem"
                  + " to the CA that signs the brokers' certificates"
              : "; " + trust + " must hold the CA that signs the brokers' certificates");
    }
    if (chain.mentions(
        "bad_certificate",
        "certificate_required",
        "certificate_unknown",
        "unknown_ca",
        "certificate_expired",
        "empty client certificate")) {
      String keystore = profile.keystore().location();
      return failed
          + "the brokers require a client certificate they trust: check"
          + " kafka.ssl.keystore.location ("
          + (keystore.isEmpty() ? "not set" : keystore)
          + ") and kafka.ssl.keystore.password; the certificate must be signed by a CA the"
          + " brokers trust and not be expired";
    }
    if (chain.mentions(
        "unrecognized ssl message",
        "plaintext connection",
        "remote host terminated",
        "unexpected end of file",
        "connection reset")) {
      return failed
          + "the connection broke off, as when the port is not a TLS listener: check the port,"
          + " and that kafka.security.protocol="
          + profile.protocol()
          + " fits the listener";
    }
    if (chain.mentions("protocol_version", "no appropriate protocol", "no cipher suites")) {
      return failed + "client and brokers share no TLS version or cipher suite";
    }
    return failed
        + "check kafka.ssl.truststore.location (or kafka.ssl.ca.pem) for the brokers'"
        + " certificate, and kafka.ssl.keystore.location if they require a client certificate";
  }

  static String storeLoad(ErrorChain chain, KafkaProfile profile) {
    KafkaProfile.Store keystore = profile.keystore();
    boolean isKeystore =
        keystore.isSet() && chain.mentions(keystore.location().toLowerCase(Locale.ROOT));
    String prefix = isKeystore ? "kafka.ssl.keystore" : "kafka.ssl.truststore";
    String path = isKeystore ? keystore.location() : profile.trustSource();
    String key =
        isKeystore || profile.caPem().isEmpty() ? prefix + ".location" : KafkaProfileConfig.CA_PEM;
    String head = "cannot load " + key + " (" + path + "): ";
    if (chain.mentions("nosuchfile", "filenotfound", "no such file", "accessdenied")) {
      return head + "the file does not exist or cannot be read by the worker";
    }
    if (chain.mentions("failed to load pem")) {
      return head
          + "it is not a valid PEM file (CA certificates; for a key store, a PKCS#8 private key"
          + " and its certificate chain, with "
          + prefix
          + ".password if the key is encrypted)";
    }
    if (chain.mentions("password", "unrecoverablekey", "badpadding")) {
      return head + "the password is wrong: check " + prefix + ".password";
    }
    return head + "it is not a valid store of its type: check " + prefix + ".type";
  }
}
