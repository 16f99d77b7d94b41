package dev.ferry.runtime;

import java.io.PrintStream;
import java.nio.file.Path;

/** The short start-up banner: what is running where. */
final class Banner {
  private Banner() {}

  /**
   * Prints the banner.
   *
   * @param broker the embedded broker, or {@code null} when using an existing cluster
   * @param bootstrapServers the Kafka address in use
   * @param kafkaSettings the one-line description of --kafka-config's profile (no secret), or
   *     {@code null}
   * @param worker the running Connect worker, or {@code null} when not run
   * @param gateway the running event gateway, or {@code null} when not run
   * @param dataDir Ferry's data directory
   * @param pluginPath the Connect plugin path
   * @param startupMillis time from launch to REST ready
   */
  static void print(
      PrintStream out,
      EmbeddedBroker broker,
      String bootstrapServers,
      String kafkaSettings,
      ConnectWorker worker,
      GatewayRunner gateway,
      Path dataDir,
      Path pluginPath,
      long startupMillis) {
    String kafka =
        broker == null
            ? bootstrapServers + " (existing cluster)"
            : bootstrapServers + " (embedded KRaft, cluster " + broker.clusterId() + ")";
    out.println();
    out.println("  ferry is up (" + startupMillis + " ms)");
    out.println("    Kafka         " + kafka);
    if (kafkaSettings != null) {
      out.println("    Kafka client  " + kafkaSettings);
    }
    if (worker != null) {
      out.println("    Connect REST  " + worker.restUrl());
    }
    if (gateway != null) {
      out.println("    Event gateway " + gateway.uri() + "/v1/events");
      if (gateway.devKey() != null) {
        // Printed on purpose (never logged): the key a newcomer needs for the first curl.
        out.println(
            "    API key       "
                + gateway.devKey()
                + "  (development key, kept in "
                + gateway.devKeyFile()
                + "; set FERRY_GATEWAY_API_KEYS for your own)");
      } else if (gateway.config().authRequired()) {
        out.println(
            "    API keys      "
                + gateway.config().apiKeys().size()
                + " configured (FERRY_GATEWAY_API_KEYS / gateway.api.keys)");
      } else {
        out.println("    API keys      none required (gateway.auth=none)");
      }
    }
    out.println("    data dir      " + (broker == null ? "(unused) " : "") + dataDir);
    out.println("    plugin path   " + pluginPath);
    out.println("  Ctrl-C to stop.");
    out.println();
    out.flush();
  }
}
