package dev.ferry.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.utils.Utils;

/**
 * A real single-node KRaft broker for tests of secure client connections, with one listener per way
 * of connecting. Start one per test class and close it afterwards.
 *
 * <ul>
 *   <li>{@value #INTERNAL} ({@code PLAINTEXT}): for setup; its principal {@code User:ANONYMOUS} is
 *       a super user. {@link #admin()} uses it.
 *   <li>{@value #SASL_SSL}: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, and OAUTHBEARER when {@link
 *       Builder#oauth} was given; principal {@code User:<user name>} (OAUTHBEARER: the {@code
 *       sub}).
 *   <li>{@value #SSL}: mutual TLS, a client certificate is required; principal {@code User:<CN>},
 *       e.g. {@value #CLIENT_CERTIFICATE_PRINCIPAL} for {@link #clientKeystore()}.
 *   <li>{@value #SASL_PLAINTEXT}: PLAIN without TLS, to test that clients refuse it.
 * </ul>
 *
 * <p>The server certificate (CN and SAN {@code localhost}, SAN {@code 127.0.0.1}) is signed by the
 * CA in {@link #truststore()} and {@link #caPem()}; unless the builder is given certificates, all
 * brokers of a JVM share one {@link TestCertificates}, made by the first (keytool takes seconds).
 * ACLs are enforced by Kafka's {@code StandardAuthorizer}, allowing what no ACL mentions.
 *
 * <pre>{@code
 * try (SecureKafka kafka =
 *     SecureKafka.builder().addPlainUser("alice", "alice-secret").messageMaxBytes(10_000).start()) {
 *   kafka.addScramUser("SCRAM-SHA-512", "bob", "bob-secret");
 *   kafka.createTopic("orders", 1);
 *   String bootstrap = kafka.bootstrap(SecureKafka.SASL_SSL);
 * }
 * }</pre>
 */
public final class SecureKafka implements AutoCloseable {
  /** The setup listener (PLAINTEXT, super user). */
  public static final String INTERNAL = "INTERNAL";

  /** The SASL over TLS listener. */
  public static final String SASL_SSL = "SASL_SSL";

  /** The mutual TLS listener. */
  public static final String SSL = "SSL";

  /** The SASL without TLS listener (PLAIN only). */
  public static final String SASL_PLAINTEXT = "SASL_PLAINTEXT";

  /** The principal of the client certificate in {@link #clientKeystore()} on {@value #SSL}. */
  public static final String CLIENT_CERTIFICATE_PRINCIPAL = "User:ferry-client";

  /** The JVM-wide list of URLs Kafka's OAUTHBEARER code may call. */
  public static final String ALLOWED_OAUTH_URLS = "org.apache.kafka.sasl.oauthbearer.allowed.urls";

  static final List<String> LISTENERS = List.of(INTERNAL, SASL_SSL, SSL, SASL_PLAINTEXT);

  private static TestCertificates sharedCertificates;

  private final Path dir;
  private final KraftNode node;
  private final ListenerPorts ports;
  private final TestCertificates pki;
  private final String recorderId;
  private final BrokerSetup setup;

  private SecureKafka(
      Path dir, KraftNode node, ListenerPorts ports, TestCertificates pki, String recorderId) {
    this.dir = dir;
    this.node = node;
    this.ports = ports;
    this.pki = pki;
    this.recorderId = recorderId;
    this.setup = new BrokerSetup(internalBootstrap());
  }

  /** A builder; call {@link Builder#start()} to start the broker. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Adds URLs to the system property {@value #ALLOWED_OAUTH_URLS}, which Kafka's OAUTHBEARER
   * clients and brokers check before calling a token or JWKS endpoint (none is allowed by default).
   */
  public static synchronized void allowOAuthUrls(String... urls) {
    Set<String> allowed = new LinkedHashSet<>();
    for (String url : System.getProperty(ALLOWED_OAUTH_URLS, "").split(",", -1)) {
      if (!url.isBlank()) {
        allowed.add(url.trim());
      }
    }
    allowed.addAll(List.of(urls));
    System.setProperty(ALLOWED_OAUTH_URLS, String.join(",", allowed));
  }

  /**
   * {@code localhost:<port>} of a listener: {@value #INTERNAL}, {@value #SASL_SSL}, {@value #SSL}
   * or {@value #SASL_PLAINTEXT} (case-insensitive).
   *
   * @throws IllegalArgumentException for another name
   */
  public String bootstrap(String listener) {
    return ports.bootstrap(listener);
  }

  /** {@code localhost:<port>} of the {@value #INTERNAL} listener (PLAINTEXT, super user). */
  public String internalBootstrap() {
    return ports.bootstrap(INTERNAL);
  }

  /** The trust store holding the CA of the broker's certificate. */
  public Pkcs12Store truststore() {
    return new Pkcs12Store(pki.trustStore(), pki.password());
  }

  /** The CA of the broker's certificate, as PEM. */
  public Path caPem() {
    return pki.caPem();
  }

  /**
   * A client key and certificate that {@value #SSL} accepts as the principal {@value
   * #CLIENT_CERTIFICATE_PRINCIPAL}.
   */
  public Pkcs12Store clientKeystore() {
    return new Pkcs12Store(pki.clientKeyStore(), pki.password());
  }

  /** All of the broker's certificates, e.g. to give an HTTP target the same CA. */
  public TestCertificates certificates() {
    return pki;
  }

  /** An admin client on the {@value #INTERNAL} listener (super user); closed with this broker. */
  public Admin admin() {
    return setup.admin();
  }

  /** Creates a topic with replication factor 1 and waits until each partition has a leader. */
  public void createTopic(String name, int partitions) {
    setup.createTopic(name, partitions);
  }

  /**
   * Creates or replaces a SCRAM credential and waits until {@value #SASL_SSL} accepts it (by
   * logging in with it).
   *
   * @param mechanism {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}, as in {@code sasl.mechanism}
   */
  public void addScramUser(String mechanism, String user, String password) {
    Map<String, Object> probe = new LinkedHashMap<>();
    probe.put("bootstrap.servers", bootstrap(SASL_SSL));
    probe.put("security.protocol", "SASL_SSL");
    probe.put("sasl.mechanism", mechanism);
    probe.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username="
            + SecureBrokerConfig.quoted(user)
            + " password="
            + SecureBrokerConfig.quoted(password)
            + ";");
    probe.put("ssl.truststore.type", truststore().type());
    probe.put("ssl.truststore.location", pki.trustStore().toString());
    probe.put("ssl.truststore.password", pki.password());
    setup.addScramUser(mechanism, user, password, probe);
  }

  /**
   * Denies {@code principal} (e.g. {@code User:alice}; a bare name means {@code User:<name>}) the
   * {@code operation} on a topic, and waits until the broker enforces it. Also allows every
   * principal everything on that topic (a DENY wins over it): with {@code
   * allow.everyone.if.no.acl.found}, the first ACL on a topic would otherwise deny all others.
   */
  public void denyTopic(String principal, String topic, AclOperation operation) {
    setup.denyTopic(principal.contains(":") ? principal : "User:" + principal, topic, operation);
  }

  /** Denies {@code principal} every operation on a topic; see {@link #denyTopic}. */
  public void denyAll(String principal, String topic) {
    denyTopic(principal, topic, AclOperation.ALL);
  }

  /** The OAUTHBEARER logins accepted so far (each one's principal and extensions), oldest first. */
  public List<OAuthLogin> oauthLogins() {
    return RecordingOAuthBearerValidator.logins(recorderId);
  }

  /** The SASL extensions of each OAUTHBEARER login accepted so far, oldest first. */
  public List<Map<String, String>> oauthExtensionsSeen() {
    List<Map<String, String>> out = new ArrayList<>();
    oauthLogins().forEach(login -> out.add(login.extensions()));
    return out;
  }

  /** Closes {@link #admin()}, stops the broker and deletes its data. */
  @Override
  public void close() {
    try {
      setup.close();
    } finally {
      RecordingOAuthBearerValidator.forget(recorderId);
      try {
        node.close();
      } finally {
        delete(dir);
      }
    }
  }

  private static void delete(Path dir) {
    try {
      Utils.delete(dir.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + dir, e);
    }
  }

  /** The certificates of brokers built without {@link Builder#certificates}, made once. */
  private static synchronized TestCertificates sharedCertificates() {
    if (sharedCertificates == null) {
      Path pkiDir = tempDir("ferry-secure-kafka-pki-");
      sharedCertificates = TestCertificates.create(pkiDir);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(pkiDir), "delete " + pkiDir));
    }
    return sharedCertificates;
  }

  private static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a temporary directory", e);
    }
  }

  /** Settings of a {@link SecureKafka}. */
  public static final class Builder {
    private final Map<String, String> plainUsers = new LinkedHashMap<>();
    private final Map<String, String> brokerProps = new LinkedHashMap<>();
    private SecureBrokerConfig.OAuth oauth;
    private int messageMaxBytes = 1_048_588; // Kafka's default
    private TestCertificates pki;

    private Builder() {}

    /**
     * A PLAIN user of {@value #SASL_SSL} and {@value #SASL_PLAINTEXT}. PLAIN users live in the
     * broker's JAAS configuration, so they are fixed at start. The name must be a JAAS token:
     * letters, digits, {@code _}, {@code -}, {@code .}.
     */
    public Builder addPlainUser(String user, String password) {
      if (!user.matches("[A-Za-z0-9_.-]+")) {
        throw new IllegalArgumentException(
            "PLAIN user name '" + user + "' must be letters, digits, '_', '-' or '.'");
      }
      plainUsers.put(user, Objects.requireNonNull(password, "password"));
      return this;
    }

    /**
     * Enables OAUTHBEARER on {@value #SASL_SSL}: tokens are JWTs checked against the keys at {@code
     * jwksUrl} and, unless {@code expectedAudience} is null, their {@code aud}. {@link #start()}
     * adds both URLs to {@value #ALLOWED_OAUTH_URLS}, for the broker and for clients.
     */
    public Builder oauth(String jwksUrl, String tokenUrl, String expectedAudience) {
      this.oauth =
          new SecureBrokerConfig.OAuth(
              Objects.requireNonNull(jwksUrl, "jwksUrl"),
              Objects.requireNonNull(tokenUrl, "tokenUrl"),
              expectedAudience);
      return this;
    }

    /** {@link #oauth(String, String, String)} without an audience check. */
    public Builder oauth(String jwksUrl, String tokenUrl) {
      return oauth(jwksUrl, tokenUrl, null);
    }

    /** The broker's {@code message.max.bytes}: the largest record batch it accepts. */
    public Builder messageMaxBytes(int bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("messageMaxBytes must be positive, not " + bytes);
      }
      this.messageMaxBytes = bytes;
      return this;
    }

    /** The certificates to use; by default all brokers of the JVM share one set. */
    public Builder certificates(TestCertificates certificates) {
      this.pki = Objects.requireNonNull(certificates, "certificates");
      return this;
    }

    /**
     * Adds or overrides a broker property; wins over this builder's settings. Per-listener keys
     * start with {@code listener.name.sasl_ssl.} (and e.g. {@code oauthbearer.} for a mechanism).
     */
    public Builder brokerProp(String key, String value) {
      brokerProps.put(key, value);
      return this;
    }

    /** Starts the broker and waits until it answers on {@value #INTERNAL}. */
    public SecureKafka start() {
      TestCertificates certificates = pki != null ? pki : sharedCertificates();
      if (oauth != null) {
        allowOAuthUrls(oauth.jwksUrl(), oauth.tokenUrl());
      }
      ListenerPorts ports = ListenerPorts.pick();
      String recorderId = RecordingOAuthBearerValidator.newRecorder();
      Map<String, String> props =
          SecureBrokerConfig.props(
              ports, certificates, plainUsers, oauth, recorderId, messageMaxBytes);
      props.putAll(brokerProps);
      Path dir = tempDir("ferry-secure-kafka-");
      KraftNode node;
      try {
        node = KraftNode.start(dir.resolve("kafka"), ListenerPorts.CONTROLLER, props);
      } catch (RuntimeException e) {
        RecordingOAuthBearerValidator.forget(recorderId);
        try {
          delete(dir);
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
      SecureKafka kafka = new SecureKafka(dir, node, ports, certificates, recorderId);
      try {
        kafka.setup.awaitBroker();
      } catch (RuntimeException e) {
        try {
          kafka.close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
      return kafka;
    }
  }
}
