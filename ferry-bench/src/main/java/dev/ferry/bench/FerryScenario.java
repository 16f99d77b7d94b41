package dev.ferry.bench;

import java.net.URI;
import java.util.Map;

/** One configuration of Ferry's HTTP sink that {@link FerryThroughputRun} can time. */
interface FerryScenario {

  /** A short description for the result table. */
  String label();

  /** The prefix of the connector's name; each run adds a number. */
  String namePrefix();

  /** The connector config, reading {@code topic} and sending to {@code url}. */
  Map<String, String> connectorConfig(String topic, URI url);

  /**
   * True when each record arrives at the target as one JSON record, so the target's count shows
   * when all arrived; false when records become something else (entities in grouped bodies,
   * collapsed), so Ferry's own count of finished records (JMX) tells instead.
   */
  boolean countedAtTarget();
}
