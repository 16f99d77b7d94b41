package dev.ferry.connect.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.security.auth.login.LoginException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.IllegalSaslStateException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;
import org.apache.kafka.common.security.oauthbearer.JwtRetrieverException;

/**
 * Kafka failures as one message a user can act on: what failed, which key to check, what to do.
 * Messages are built from fixed texts and safe fields (addresses, ids, topic names, sizes); the raw
 * messages of errors are never repeated, for they may hold secrets.
 */
public final class KafkaErrors {
  private static final Pattern SERIALIZED_SIZE =
      Pattern.compile("message is (\\d+) bytes when serialized which is larger than (\\d+)");
  private static final Pattern BUFFER_SIZE =
      Pattern.compile("message is (\\d+) bytes when serialized which is larger than the total");
  private static final Pattern MILLIS = Pattern.compile("(\\d+) ?ms");

  /** Where the Kafka clients' own errors live (Connect's, in org.apache.kafka.connect, do not). */
  private static final String[] CLIENT_PACKAGES = {
    "org.apache.kafka.common.", "org.apache.kafka.clients."
  };

  private KafkaErrors() {}

  /** One actionable message for {@code error}, a failure of a client built from {@code profile}. */
  public static String translate(Throwable error, KafkaProfile profile) {
    return translate(error, profile, null, null);
  }

  /** As {@link #translate(Throwable, KafkaProfile)}, for an operation on {@code topic}. */
  public static String translateForTopic(Throwable error, KafkaProfile profile, String topic) {
    return translate(error, profile, topic, null);
  }

  /**
   * As {@link #translate(Throwable, KafkaProfile)}; {@code topic} and {@code waited} (both
   * optional) name the topic and the time waited, when the caller knows them.
   */
  static String translate(Throwable error, KafkaProfile given, String topic, Duration waited) {
    KafkaProfile profile = orWorkers(given);
    ErrorChain chain = ErrorChain.of(error);
    return specific(chain, profile, topic, waited).orElseGet(() -> lastResort(chain, profile));
  }

  /**
   * The message for a failure printed as a stack trace (as Connect shows a failed task's), by the
   * classes and messages of the error and its causes ({@link ErrorChain#ofTrace}). Empty when the
   * trace is not a failure of a Kafka client, or not one with a more precise answer than "see the
   * log": then the trace says more than Ferry could.
   */
  public static Optional<String> translateTrace(String trace, KafkaProfile profile) {
    ErrorChain chain = ErrorChain.ofTrace(trace, KafkaErrors.class.getClassLoader());
    if (chain.isEmpty() || !chain.hasClassIn(CLIENT_PACKAGES)) {
      return Optional.empty();
    }
    return specific(chain, orWorkers(profile), null, null);
  }

  private static KafkaProfile orWorkers(KafkaProfile given) {
    return given == null ? KafkaProfileConfig.from(Map.of()) : given;
  }

  /** The message for a failure Ferry recognises; empty for any other. */
  private static Optional<String> specific(
      ErrorChain chain, KafkaProfile profile, String topic, Duration waited) {
    String where = where(profile);
    if (chain.has(RecordTooLargeException.class)) {
      return Optional.of(recordTooLarge(chain));
    }
    if (chain.has(AuthorizationException.class)) {
      return Optional.of(AccessErrors.denied(chain, profile, topic));
    }
    if (chain.has(UnknownTopicOrPartitionException.class)) {
      return Optional.of(AccessErrors.unknownTopic(profile, topic));
    }
    if (chain.mentions("org/jose4j/", "org.jose4j.")) {
      return Optional.of(
          "Kafka's OAuth login needs the jose4j library, which this JVM lacks: put the jose4j"
              + " jar of the Kafka distribution (libs/) on the worker's classpath");
    }
    if (isLoginFailure(chain)) {
      return Optional.of(TokenEndpointErrors.translate(chain, profile));
    }
    if (isMechanismNotEnabled(chain)) {
      return Optional.of(SaslErrors.mechanismNotEnabled(chain, profile));
    }
    if (chain.has(SaslAuthenticationException.class)) {
      return Optional.of(SaslErrors.refused(profile));
    }
    if (chain.has(SslAuthenticationException.class) || chain.mentions("javax.net.ssl.")) {
      return Optional.of(TlsErrors.handshake(chain, profile, where));
    }
    if (chain.mentions("failed to load ssl keystore", "failed to load pem ssl keystore")) {
      return Optional.of(TlsErrors.storeLoad(chain, profile));
    }
    if (chain.mentions("no resolvable bootstrap urls")) {
      return Optional.of(
          "none of the brokers in kafka.bootstrap.servers ("
              + where
              + ") resolves to an address: check the host names (and the DNS of this machine)");
    }
    if (chain.has(AuthenticationException.class)) {
      return Optional.of(
          "authentication with "
              + where
              + " failed: check the credentials (kafka.sasl.*, kafka.oauth.* or"
              + " kafka.ssl.keystore.*)");
    }
    if (chain.mentions("not present in metadata")) {
      return Optional.of(AccessErrors.notInMetadata(profile, topic, within(chain, waited)));
    }
    if (isUnreachable(chain)) {
      return Optional.of(unreachable(chain, profile, where, waited));
    }
    return Optional.empty();
  }

  private static String lastResort(ErrorChain chain, KafkaProfile profile) {
    return "Kafka at "
        + where(profile)
        + " failed with "
        + chain.rootType()
        + ": test the profile with bin/ferry check-connection, or see the worker log (DEBUG for"
        + " org.apache.kafka)";
  }

  /** The SASL login (an OAuth token fetch) failed in the client, before a broker was asked. */
  private static boolean isLoginFailure(ErrorChain chain) {
    return chain.has(LoginException.class)
        || chain.has(JwtRetrieverException.class)
        || chain.mentions(TokenEndpointErrors.ALLOWED_URLS, "token endpoint");
  }

  private static boolean isMechanismNotEnabled(ErrorChain chain) {
    return chain.has(UnsupportedSaslMechanismException.class)
        || chain.has(IllegalSaslStateException.class);
  }

  private static boolean isUnreachable(ErrorChain chain) {
    return chain.has(TimeoutException.class)
        || chain.has(java.util.concurrent.TimeoutException.class)
        || chain.has(NetworkException.class)
        || chain.has(DisconnectException.class);
  }

  private static String recordTooLarge(ErrorChain chain) {
    Optional<long[]> sizes = chain.numbers(SERIALIZED_SIZE);
    if (sizes.isPresent()) {
      return "a record of "
          + sizes.get()[0]
          + " bytes exceeds the limit of "
          + sizes.get()[1]
          + " bytes (max.request.size; the topic's max.message.bytes, default 1 MB, applies"
          + " too): send smaller records, or raise both limits";
    }
    Optional<Long> buffered = chain.number(BUFFER_SIZE);
    if (buffered.isPresent()) {
      return "a record of "
          + buffered.get()
          + " bytes exceeds the producer's buffer.memory: send smaller records, or raise"
          + " buffer.memory and max.request.size";
    }
    return "a record exceeds the size limit of the topic (max.message.bytes, default 1 MB) or"
        + " of the client (max.request.size): check the payload sizes, or raise both limits";
  }

  private static String unreachable(
      ErrorChain chain, KafkaProfile profile, String where, Duration waited) {
    String base =
        "could not reach the brokers at "
            + where
            + within(chain, waited)
            + ": check the address and port (Confluent Cloud listens on 9092; self-managed TLS"
            + " listeners often on 9093), firewalls and network policies";
    return profile.isSet()
        ? base + ", and that kafka.security.protocol=" + profile.protocol() + " fits the listener"
        : base + " (the worker's bootstrap.servers)";
  }

  private static String within(ErrorChain chain, Duration waited) {
    Optional<Long> seconds =
        waited != null
            ? Optional.of(Math.max(1, waited.toSeconds()))
            : chain.number(MILLIS).map(ms -> Math.max(1, ms / 1000));
    return seconds.map(s -> " within " + s + " s").orElse("");
  }

  /** The cluster the profile names; no secret ever appears in it. */
  static String where(KafkaProfile profile) {
    return profile == null || !profile.isSet()
        ? "the worker's own cluster"
        : profile.bootstrapServers();
  }
}
