package dev.ferry.testkit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerExtensionsValidatorCallback;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler;

/**
 * The broker's OAUTHBEARER validator in a {@link SecureKafka}: Kafka's own JWKS-based {@link
 * OAuthBearerValidatorCallbackHandler}, which also accepts every SASL extension a client sends and
 * records it with the token's principal.
 *
 * <p>Kafka instantiates this class by name, so a broker finds its record through the JAAS option
 * {@value #RECORDER_OPTION}, set by {@link SecureKafka} to an id from {@link #newRecorder()}.
 */
public class RecordingOAuthBearerValidator extends OAuthBearerValidatorCallbackHandler {
  /** The JAAS option of the broker's OAUTHBEARER login module that names the record. */
  static final String RECORDER_OPTION = "ferryRecorder";

  private static final Map<String, List<OAuthLogin>> RECORDS = new ConcurrentHashMap<>();

  private List<OAuthLogin> record = new CopyOnWriteArrayList<>();

  /** Registers an empty record and returns its id. */
  static String newRecorder() {
    String id = UUID.randomUUID().toString();
    RECORDS.put(id, new CopyOnWriteArrayList<>());
    return id;
  }

  /** The logins recorded under {@code id} so far, oldest first. */
  static List<OAuthLogin> logins(String id) {
    return List.copyOf(RECORDS.getOrDefault(id, List.of()));
  }

  /** Forgets the record {@code id}. */
  static void forget(String id) {
    RECORDS.remove(id);
  }

  @Override
  public void configure(
      Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasConfigEntries) {
    for (AppConfigurationEntry entry : jaasConfigEntries) {
      Object id = entry.getOptions().get(RECORDER_OPTION);
      if (id != null) {
        record = RECORDS.computeIfAbsent(id.toString(), k -> new CopyOnWriteArrayList<>());
      }
    }
    super.configure(configs, saslMechanism, jaasConfigEntries);
  }

  @Override
  public void handle(Callback[] callbacks) throws IOException, UnsupportedCallbackException {
    List<Callback> forKafka = new ArrayList<>(callbacks.length);
    for (Callback callback : callbacks) {
      if (callback instanceof OAuthBearerExtensionsValidatorCallback extensions) {
        acceptAndRecord(extensions);
      } else {
        forKafka.add(callback);
      }
    }
    if (!forKafka.isEmpty()) {
      super.handle(forKafka.toArray(new Callback[0]));
    }
  }

  /** Kafka asks this only for a token it already validated. */
  private void acceptAndRecord(OAuthBearerExtensionsValidatorCallback callback) {
    Map<String, String> sent = callback.inputExtensions().map();
    sent.keySet().forEach(callback::valid);
    record.add(new OAuthLogin(callback.token().principalName(), sent));
  }
}
