package dev.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.testkit.AvroFrames;
import dev.ferry.testkit.ReceivedRequest;
import dev.ferry.testkit.SchemaRegistryServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** The example catalog of {@code examples/catalog}, through the built plugin. */
class CatalogExamplesIT extends SinkTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path EXAMPLES =
      Path.of("").toAbsolutePath().getParent().resolve("examples/catalog");
  private static final Map<String, String> NAMES =
      Map.of("item", "items", "variation", "variations");

  private static List<JsonNode> products() throws IOException {
    List<JsonNode> products = new ArrayList<>();
    for (String line : Files.readAllLines(EXAMPLES.resolve("products.ndjson"))) {
      if (!line.isBlank()) {
        products.add(JSON.readTree(line));
      }
    }
    return products;
  }

  private Map<String, String> catalogConfig(String language, String file) {
    Map<String, String> config = sinkConfig("/catalog");
    config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    config.put("body.format", "grouped");
    config.put("mapping.language", language);
    config.put("mapping.source", "file:" + EXAMPLES.resolve(file));
    return config;
  }

  /** Produces the catalog, each product keyed by its sku, in one partition. */
  private void replay(List<byte[]> values, List<JsonNode> products) {
    replay(values, products, 1);
  }

  /** Produces the catalog keyed by sku; a product's messages always go to the same partition. */
  private void replay(List<byte[]> values, List<JsonNode> products, int partitions) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      String sku = products.get(i).get("sku").asText();
      int partition = Math.floorMod(sku.hashCode(), partitions);
      records.add(
          new ProducerRecord<>(
              topic, partition, sku.getBytes(StandardCharsets.UTF_8), values.get(i)));
    }
    cluster.produce(topic, records);
  }

  private static List<byte[]> asJson(List<JsonNode> products) throws IOException {
    List<byte[]> values = new ArrayList<>();
    for (JsonNode p : products) {
      values.add(JSON.writeValueAsBytes(p));
    }
    return values;
  }

  private List<ReceivedRequest> requests(String method) {
    return target.received().stream().filter(r -> r.method().equals(method)).toList();
  }

  @Test
  void replayingTheCatalogWithSkipUnchangedSendsNoUpsertsTheSecondTimeAlsoAfterARestart()
      throws IOException {
    cluster.createTopic(topic, 1);
    Map<String, String> config = catalogConfig("jsonata", "mapping.jsonata");
    config.put("delta.mode", "skip_unchanged");
    config.put("delta.store.bootstrap.servers", cluster.bootstrapServers());
    config.put("delta.store.topic", topic + "-delta");
    config.put("batch.linger.ms", "1500");
    run(config);
    List<JsonNode> products = products();
    int n = products.size();

    replay(asJson(products), products);
    cluster.awaitCommittedTotal(group(), topic, n, WAIT);
    assertThat(requests("POST")).as("the first replay sends upserts").isNotEmpty();
    assertThat(requests("DELETE")).as("and the removals").isNotEmpty();
    int upserted = grouped("POST").values().stream().mapToInt(List::size).sum();

    target.clear();
    replay(asJson(products), products);
    cluster.awaitCommittedTotal(group(), topic, 2L * n, WAIT);
    assertThat(requests("POST")).as("second replay: nothing changed, no upserts").isEmpty();
    assertThat(deletedIds()).contains("P-1005", "P-1005-BLK", "P-1003-M-OLV");
    assertThat(taskMetric("entities-unchanged-total"))
        .as("each entity upserted by the first replay is counted as unchanged once")
        .isEqualTo(upserted);
    assertThat(taskMetric("entities-collapsed-total")).isPositive();

    cluster.restartWorker();
    cluster.awaitConnectorRunning(connector, 1, WAIT);
    target.clear();
    replay(asJson(products), products);
    cluster.awaitCommittedTotal(group(), topic, 3L * n, WAIT);
    assertThat(requests("POST")).as("third replay, after a worker restart: no upserts").isEmpty();

    JsonNode latest = null;
    for (JsonNode p : products) {
      if (p.get("sku").asText().equals("P-1001")) {
        latest = p;
      }
    }
    ObjectNode changed = latest.deepCopy();
    ((ObjectNode) changed.get("price")).put("amount", 99.5);
    target.clear();
    replay(List.of(JSON.writeValueAsBytes(changed)), List.of(changed));
    cluster.awaitCommittedTotal(group(), topic, 3L * n + 1, WAIT);
    List<ReceivedRequest> upserts = requests("POST");
    assertThat(upserts).hasSize(1);
    JsonNode body = JSON.readTree(upserts.get(0).body());
    assertThat(body.get("items")).hasSize(1);
    assertThat(body.get("items").get(0).get("id").asText()).isEqualTo("P-1001");
    assertThat(body.get("items").get(0).get("price").asDouble()).isEqualTo(99.5);
    assertThat(body.has("variations")).as("the unchanged variations are skipped").isFalse();
  }

  @Test
  void theDeltaStoreIsSharedByTasksSoARebalanceSkipsWhatAnotherTaskDelivered() throws IOException {
    cluster.createTopic(topic, 2);
    Map<String, String> config = catalogConfig("jsonata", "mapping.jsonata");
    config.put("delta.mode", "skip_unchanged");
    config.put("delta.store.bootstrap.servers", cluster.bootstrapServers());
    config.put("batch.linger.ms", "1500");
    run(config);
    List<JsonNode> products = products();
    int n = products.size();

    replay(asJson(products), products, 2);
    cluster.awaitCommittedTotal(group(), topic, n, WAIT);
    assertThat(requests("POST")).isNotEmpty();

    // Two tasks now: the partitions are dealt out afresh to tasks that never saw them.
    config.put("tasks.max", "2");
    run(config);
    target.clear();
    replay(asJson(products), products, 2);
    cluster.awaitCommittedTotal(group(), topic, 2L * n, WAIT);
    assertThat(requests("POST")).as("nothing changed: no upserts from either task").isEmpty();
  }

  @Test
  void theAvroCatalogMappedInJavaScriptGivesTheSameEntitiesAsTheJsonOneInJsonata()
      throws IOException {
    try (SchemaRegistryServer registry = SchemaRegistryServer.start()) {
      String schemaText = Files.readString(EXAMPLES.resolve("product.avsc"));
      Schema schema = new Schema.Parser().parse(schemaText);
      int id = registry.register(schemaText);
      cluster.createTopic(topic, 1);
      Map<String, String> config = catalogConfig("javascript", "mapping.js");
      config.put("schema.registry.url", registry.url());
      config.put("batch.linger.ms", "200");
      run(config);

      List<JsonNode> products = products();
      List<byte[]> values = new ArrayList<>();
      for (JsonNode p : products) {
        values.add(AvroFrames.frameJson(id, schema, p));
      }
      replay(values, products);
      cluster.awaitCommittedTotal(group(), topic, products.size(), WAIT);

      Map<String, List<JsonNode>> expectedUpserts = new LinkedHashMap<>();
      Map<String, List<JsonNode>> expectedDeletes = new LinkedHashMap<>();
      for (String line : Files.readAllLines(EXAMPLES.resolve("expected-entities.ndjson"))) {
        for (JsonNode e : JSON.readTree(line)) {
          String name = NAMES.get(e.get("type").asText());
          ObjectNode element = JSON.createObjectNode().put("id", e.get("id").asText());
          if ("delete".equals(e.path("op").asText())) {
            expectedDeletes.computeIfAbsent(name, k -> new ArrayList<>()).add(element);
          } else {
            e.get("data").fields().forEachRemaining(f -> element.set(f.getKey(), f.getValue()));
            expectedUpserts.computeIfAbsent(name, k -> new ArrayList<>()).add(element);
          }
        }
      }
      assertThat(grouped("POST")).isEqualTo(expectedUpserts);
      assertThat(grouped("DELETE")).isEqualTo(expectedDeletes);
    }
  }

  /** The elements of every body of this method's requests, by group name, in order. */
  private Map<String, List<JsonNode>> grouped(String method) throws IOException {
    Map<String, List<JsonNode>> groups = new LinkedHashMap<>();
    for (ReceivedRequest r : requests(method)) {
      JSON.readTree(r.body())
          .fields()
          .forEachRemaining(
              f ->
                  f.getValue()
                      .forEach(
                          e -> groups.computeIfAbsent(f.getKey(), k -> new ArrayList<>()).add(e)));
    }
    return groups;
  }

  private List<String> deletedIds() throws IOException {
    List<String> ids = new ArrayList<>();
    grouped("DELETE").values().forEach(list -> list.forEach(e -> ids.add(e.get("id").asText())));
    return ids;
  }
}
