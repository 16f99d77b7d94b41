package dev.ferry.connect.sink.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.connect.kafka.KafkaProfile;
import dev.ferry.connect.kafka.KafkaProfileConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeltaStoreClusterTest {
  private static final String PIPELINE = "pipeline-1:9092,pipeline-2:9092";
  private static final String WORKER = "worker-1:9093";
  private static final String SECRET = "store-Secret-1";

  @TempDir Path dir;

  private static KafkaProfile pipelineProfile() {
    return KafkaProfileConfig.from(
        Map.of(
            "kafka.bootstrap.servers", PIPELINE,
            "kafka.sasl.username", "pipeline-user",
            "kafka.sasl.password", SECRET));
  }

  private static KafkaProfile noProfile() {
    return KafkaProfileConfig.from(Map.of());
  }

  /** The system properties of a worker under bin/ferry up, with FILE when not null. */
  private static Map<String, String> worker(Path file) {
    Map<String, String> props = new HashMap<>();
    props.put(CatalogConfig.WORKER_BOOTSTRAP_PROPERTY, WORKER);
    if (file != null) {
      props.put(DeltaStoreCluster.WORKER_KAFKA_CONFIG_PROPERTY, file.toString());
    }
    return props;
  }

  private Path workerFile(String text) throws IOException {
    Path file = dir.resolve("worker-kafka.properties");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void theStoreOnThePipelinesClusterUsesTheConnectorsProfile() {
    DeltaStoreCluster store =
        DeltaStoreCluster.select(
            " PIPELINE-2:9092, pipeline-1:9092", pipelineProfile(), worker(null)::get);

    assertThat(store.source()).isEqualTo(DeltaStoreCluster.Source.CONNECTOR_PROFILE);
    assertThat(store.clientProps())
        .containsEntry("bootstrap.servers", "PIPELINE-2:9092, pipeline-1:9092")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "PLAIN");
    assertThat(store.clientProps().get("sasl.jaas.config")).contains(SECRET);
    assertThat(store.toString()).contains("the connector's kafka.* profile").doesNotContain(SECRET);
  }

  @Test
  void theStoreOnTheWorkersClusterUsesTheWorkersFileWithItsReferencesResolved() throws IOException {
    Path secrets = dir.resolve("secrets.properties");
    Files.writeString(secrets, "password=" + SECRET + "\n");
    Path file =
        workerFile(
            "kafka.bootstrap.servers=elsewhere:9092\n"
                + "kafka.sasl.mechanism=SCRAM-SHA-512\n"
                + "kafka.sasl.username=worker-user\n"
                + "kafka.sasl.password=${file:"
                + secrets
                + ":password}\n");

    // Empty delta.store.bootstrap.servers: CatalogConfig falls back to the worker's address.
    DeltaStoreCluster store = DeltaStoreCluster.select(WORKER, noProfile(), worker(file)::get);

    assertThat(store.source()).isEqualTo(DeltaStoreCluster.Source.WORKER);
    assertThat(store.clientProps())
        .containsEntry("bootstrap.servers", WORKER)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    assertThat(store.clientProps().get("sasl.jaas.config"))
        .contains("worker-user")
        .contains(SECRET);
    assertThat(store.toString()).contains(WORKER).doesNotContain(SECRET);

    assertThat(DeltaStoreCluster.select(WORKER, pipelineProfile(), worker(file)::get).source())
        .as("a connector reading another cluster still keeps the store on the worker's")
        .isEqualTo(DeltaStoreCluster.Source.WORKER);
  }

  @Test
  void anyOtherClusterOrAWorkerWithoutSettingsIsReachedByAddressAlone() throws IOException {
    Path file = workerFile("kafka.sasl.username=u\nkafka.sasl.password=p\n");

    DeltaStoreCluster other =
        DeltaStoreCluster.select("store:9092", pipelineProfile(), worker(file)::get);
    assertThat(other.source()).isEqualTo(DeltaStoreCluster.Source.ADDRESS_ONLY);
    assertThat(other.clientProps())
        .containsOnly(
            Map.entry("bootstrap.servers", "store:9092"),
            Map.entry("security.protocol", "PLAINTEXT"));

    DeltaStoreCluster embedded = DeltaStoreCluster.select(WORKER, noProfile(), worker(null)::get);
    assertThat(embedded.source()).isEqualTo(DeltaStoreCluster.Source.ADDRESS_ONLY);
    assertThat(embedded.clientProps())
        .containsOnly(
            Map.entry("bootstrap.servers", WORKER), Map.entry("security.protocol", "PLAINTEXT"));
  }

  @Test
  void aWorkerFileThatBreaksTheRulesIsReportedNamingTheKeyAndTheFix() throws IOException {
    Path plaintext =
        workerFile(
            "kafka.security.protocol=SASL_PLAINTEXT\nkafka.sasl.username=u\n"
                + "kafka.sasl.password="
                + SECRET
                + "\n");
    assertThatThrownBy(() -> DeltaStoreCluster.select(WORKER, noProfile(), worker(plaintext)::get))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining(plaintext.toString())
        .hasMessageContaining("kafka.allow.plaintext=true")
        .hasMessageNotContaining(SECRET);

    Path unresolved =
        workerFile("kafka.sasl.username=u\nkafka.sasl.password=${env:FERRY_TEST_SURELY_UNSET}\n");
    assertThatThrownBy(() -> DeltaStoreCluster.select(WORKER, noProfile(), worker(unresolved)::get))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("kafka.sasl.password refers to ${env:FERRY_TEST_SURELY_UNSET}");

    Path missing = dir.resolve("gone.properties");
    assertThatThrownBy(() -> DeltaStoreCluster.select(WORKER, noProfile(), worker(missing)::get))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("Cannot read")
        .hasMessageContaining(missing.toString());
  }

  @Test
  void brokerListsAreComparedAsSets() {
    assertThat(DeltaStoreCluster.sameServers("a:1,b:2", " B:2 , a:1 ")).isTrue();
    assertThat(DeltaStoreCluster.sameServers("a:1", "a:1,b:2")).isFalse();
    assertThat(DeltaStoreCluster.sameServers("", "")).isFalse();
    assertThat(DeltaStoreCluster.sameServers("a:1", null)).isFalse();
  }
}
