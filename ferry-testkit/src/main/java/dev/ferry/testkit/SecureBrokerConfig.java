package dev.ferry.testkit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The broker properties of a {@link SecureKafka}: listeners, TLS, SASL (JAAS per listener and
 * mechanism), OAUTHBEARER validation and authorization. KRaft basics are {@link KraftNode}'s.
 */
final class SecureBrokerConfig {
  private static final String SASL_SSL = "listener.name.sasl_ssl.";
  private static final String SASL_PLAINTEXT = "listener.name.sasl_plaintext.";
  private static final String PLAIN_MODULE =
      "org.apache.kafka.common.security.plain.PlainLoginModule";
  private static final String SCRAM_MODULE =
      "org.apache.kafka.common.security.scram.ScramLoginModule";
  private static final String OAUTH_MODULE =
      "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule";

  /** Where a broker validates OAUTHBEARER tokens; {@code audience} may be null (not checked). */
  record OAuth(String jwksUrl, String tokenUrl, String audience) {}

  private SecureBrokerConfig() {}

  /**
   * @param recorderId the record of {@link RecordingOAuthBearerValidator}; used with {@code oauth}
   * @param oauth null for a broker without OAUTHBEARER
   */
  static Map<String, String> props(
      ListenerPorts ports,
      TestCertificates pki,
      Map<String, String> plainUsers,
      OAuth oauth,
      String recorderId,
      int messageMaxBytes) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("controller.quorum.voters", KraftNode.NODE_ID + "@" + ports.controller());
    p.put("listeners", ports.listeners());
    p.put("advertised.listeners", ports.advertised());
    p.put("listener.security.protocol.map", ports.protocolMap());
    p.put("inter.broker.listener.name", SecureKafka.INTERNAL);
    p.put("message.max.bytes", Integer.toString(messageMaxBytes));
    tls(p, pki);
    authorization(p);
    String plainJaas = PLAIN_MODULE + " required" + plainUserOptions(plainUsers) + ";";
    p.put(
        SASL_SSL + "sasl.enabled.mechanisms",
        "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512" + (oauth == null ? "" : ",OAUTHBEARER"));
    p.put(SASL_SSL + "plain.sasl.jaas.config", plainJaas);
    p.put(SASL_SSL + "scram-sha-256.sasl.jaas.config", SCRAM_MODULE + " required;");
    p.put(SASL_SSL + "scram-sha-512.sasl.jaas.config", SCRAM_MODULE + " required;");
    if (oauth != null) {
      oauthBearer(p, oauth, recorderId);
    }
    p.put(SASL_PLAINTEXT + "sasl.enabled.mechanisms", "PLAIN");
    p.put(SASL_PLAINTEXT + "plain.sasl.jaas.config", plainJaas);
    return p;
  }

  /** One server certificate for every TLS listener; the SSL listener also requires a client's. */
  private static void tls(Map<String, String> p, TestCertificates pki) {
    p.put("ssl.keystore.type", "PKCS12");
    p.put("ssl.keystore.location", pki.serverKeyStore().toString());
    p.put("ssl.keystore.password", pki.password());
    p.put("ssl.key.password", pki.password());
    p.put("ssl.truststore.type", "PKCS12");
    p.put("ssl.truststore.location", pki.trustStore().toString());
    p.put("ssl.truststore.password", pki.password());
    p.put("listener.name.ssl.ssl.client.auth", "required");
    // User:CN=ferry-client becomes User:ferry-client.
    p.put("listener.name.ssl.ssl.principal.mapping.rules", "RULE:^CN=([^,]+)$/$1/,DEFAULT");
  }

  /** ACLs on, allowing what no ACL mentions; INTERNAL and CONTROLLER clients are super users. */
  private static void authorization(Map<String, String> p) {
    p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    p.put("allow.everyone.if.no.acl.found", "true");
    p.put("super.users", "User:ANONYMOUS");
  }

  private static void oauthBearer(Map<String, String> p, OAuth oauth, String recorderId) {
    String prefix = SASL_SSL + "oauthbearer.";
    // The broker logs in too, with Kafka's unsecured login handler, which needs a subject; the
    // token it makes is never used (clients do not authenticate the broker with OAUTHBEARER).
    p.put(
        prefix + "sasl.jaas.config",
        OAUTH_MODULE
            + " required unsecuredLoginStringClaim_sub=\"broker\" "
            + RecordingOAuthBearerValidator.RECORDER_OPTION
            + "="
            + quoted(recorderId)
            + ";");
    p.put(
        prefix + "sasl.server.callback.handler.class",
        RecordingOAuthBearerValidator.class.getName());
    p.put(prefix + "sasl.oauthbearer.jwks.endpoint.url", oauth.jwksUrl());
    if (oauth.audience() != null) {
      p.put(prefix + "sasl.oauthbearer.expected.audience", oauth.audience());
    }
  }

  private static String plainUserOptions(Map<String, String> users) {
    StringBuilder out = new StringBuilder();
    users.forEach(
        (user, password) -> out.append(" user_").append(user).append('=').append(quoted(password)));
    return out.toString();
  }

  /** A JAAS option value in double quotes, with {@code \} and {@code "} escaped. */
  static String quoted(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
