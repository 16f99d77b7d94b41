package dev.ferry.connect.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.connect.kafka.KafkaProfile;
import dev.ferry.connect.kafka.KafkaProfileConfig;
import java.util.Map;

/**
 * Turns a Ferry connector's {@code kafka.*} profile into Connect's client overrides: {@code
 * consumer.override.*} for sinks. Keys the profile does not produce are left alone, so a user's own
 * overrides still apply.
 */
public final class ProfileOverrides {
  /** Connector classes whose Kafka clients read the profile, by the prefix of their overrides. */
  private static final Map<String, String> PREFIX_BY_CONNECTOR =
      Map.of(
          "HttpSinkConnector", "consumer.override.",
          "dev.ferry.connect.sink.HttpSinkConnector", "consumer.override.");

  private ProfileOverrides() {}

  /** True when {@code connectorClass} (as given in connector.class) is a Ferry connector. */
  static boolean isFerryConnector(String connectorClass) {
    return connectorClass != null && PREFIX_BY_CONNECTOR.containsKey(connectorClass.strip());
  }

  /**
   * Adds the overrides for the profile in {@code config}, if it has one and belongs to a Ferry
   * connector; true when it changed anything.
   */
  public static boolean apply(ObjectNode config) {
    String connectorClass = config.path("connector.class").asText("").strip();
    String prefix = PREFIX_BY_CONNECTOR.get(connectorClass);
    if (prefix == null || !config.hasNonNull(KafkaProfileConfig.BOOTSTRAP)) {
      return false;
    }
    KafkaProfile profile;
    try {
      profile = KafkaProfileConfig.from(ProfileOverridesFilter.asStrings(config));
    } catch (RuntimeException e) {
      return false; // invalid values: validation reports them on their keys
    }
    if (!profile.isSet()) {
      return false;
    }
    profile.withPrefix(prefix).forEach(config::put);
    return true;
  }
}
