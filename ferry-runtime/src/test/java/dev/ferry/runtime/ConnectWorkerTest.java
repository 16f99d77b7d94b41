package dev.ferry.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectWorkerTest {
  private static final Map<String, String> SCRAM =
      Map.of(
          "bootstrap.servers", "broker:9093",
          "security.protocol", "SASL_SSL",
          "sasl.mechanism", "SCRAM-SHA-512",
          "sasl.jaas.config", "ScramLoginModule required username=\"u\" password=\"p\";",
          "ssl.truststore.type", "PEM",
          "ssl.truststore.location", "/etc/ca.pem");

  private static ConnectWorker worker(Map<String, String> clientProps) {
    return new ConnectWorker(
        "broker:9093", clientProps, "ferry", 8083, Path.of("plugins"), (short) -1);
  }

  @Test
  void theClientSettingsGoToTheWorkerAndPrefixedToTheClientsItMakesForTasks() {
    Map<String, String> config = worker(SCRAM).config();

    SCRAM.forEach(
        (key, value) -> {
          assertThat(config).containsEntry(key, value);
          if (!key.equals("bootstrap.servers")) {
            assertThat(config)
                .containsEntry("producer." + key, value)
                .containsEntry("consumer." + key, value)
                .containsEntry("admin." + key, value);
          }
        });
    assertThat(config)
        .doesNotContainKeys("producer.bootstrap.servers", "consumer.bootstrap.servers");
    assertThat(config).containsEntry("group.id", "ferry");
  }

  @Test
  void withoutSettingsTheWorkerHasTheAddressAlone() {
    Map<String, String> config = worker(Map.of()).config();

    assertThat(config).containsEntry("bootstrap.servers", "broker:9093");
    assertThat(config.keySet())
        .noneMatch(k -> k.contains("security.protocol") || k.contains("sasl."));
  }
}
