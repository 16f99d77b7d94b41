package dev.ferry.connect.kafka;

import dev.ferry.connect.kafka.KafkaProfile.Mechanism;

/** SASL failures at the brokers: credentials refused, or a mechanism the listener lacks. */
final class SaslErrors {
  private SaslErrors() {}

  static String refused(KafkaProfile profile) {
    String failed = "authentication with " + KafkaErrors.where(profile) + " failed: ";
    Mechanism m = profile.mechanism().orElse(null);
    if (m == Mechanism.PLAIN) {
      return failed
          + "the API key or secret was refused: check kafka.sasl.username ("
          + profile.username()
          + ") and kafka.sasl.password (an expired or revoked key gives this too: create a new"
          + " key pair)";
    }
    if (m == Mechanism.SCRAM_SHA_256 || m == Mechanism.SCRAM_SHA_512) {
      return failed
          + "the "
          + m.kafkaName()
          + " user or password was refused: check kafka.sasl.username ("
          + profile.username()
          + ") and kafka.sasl.password, and that the cluster has "
          + m.kafkaName()
          + " credentials for this user (kafka-configs --alter --add-config '"
          + m.kafkaName()
          + "=[password=...]')";
    }
    if (m == Mechanism.OAUTHBEARER) {
      return "the brokers at "
          + KafkaErrors.where(profile)
          + " rejected the OAuth token of client id "
          + profile.clientId()
          + ": check kafka.oauth.cluster.id ("
          + orNotSet(profile.clusterId())
          + ") and kafka.oauth.identity.pool.id ("
          + orNotSet(profile.identityPoolId())
          + "), that the identity pool admits this client, and the token's audience and issuer"
          + " (kafka.oauth.scope)";
    }
    return failed + "check the SASL credentials";
  }

  static String mechanismNotEnabled(ErrorChain chain, KafkaProfile profile) {
    String where = KafkaErrors.where(profile);
    if (chain.mentions("enabled mechanisms are []")) {
      return "the listener at "
          + where
          + " does not use SASL: use its SASL listener (another port), or set"
          + " kafka.security.protocol to SSL (or PLAINTEXT) to match this one";
    }
    return "the brokers at "
        + where
        + " do not accept SASL mechanism "
        + profile.mechanism().map(Mechanism::kafkaName).orElse("(none)")
        + ": set kafka.sasl.mechanism to one the cluster enables (Confluent Cloud: PLAIN for"
        + " API keys, OAUTHBEARER for OAuth)";
  }

  private static String orNotSet(String s) {
    return s.isEmpty() ? "not set" : s;
  }
}
