package dev.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.testkit.AvroFrames;
import dev.ferry.testkit.ReceivedRequest;
import dev.ferry.testkit.SchemaRegistryServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decode, map, grouped bodies, collapse, tombstones, flush defaults and compression. */
class CatalogSinkIT extends SinkTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String PRODUCT_SCHEMA =
      """
      {"type": "record", "name": "Product", "namespace": "dev.ferry.it", "fields": [
        {"name": "sku", "type": "string"},
        {"name": "price", "type": "double"},
        {"name": "tags", "type": {"type": "array", "items": "string"}},
        {"name": "note", "type": ["null", "string"], "default": null}
      ]}""";

  private static final String JSONATA_PRODUCTS =
      """
      removed
        ? [{"type": "item", "id": sku, "op": "delete"}]
        : $append(
            [{"type": "item", "id": sku, "data": {"name": title, "price": price}}],
            variants.{"type": "variation", "id": sku, "data": {"item_id": $$.sku, "size": size}}
          )""";

  private static final String JAVASCRIPT_PRODUCTS =
      """
      function map(message, meta) {
        if (message.fail) {
          throw new Error("bad product " + message.sku);
        }
        return {type: "item", id: message.sku,
                data: {name: message.title, topic: meta.topic, key: meta.key}};
      }""";

  /** A sink reading raw bytes, so Ferry decodes the values itself. */
  private Map<String, String> rawConfig(Map<String, String> config) {
    config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    return config;
  }

  private void produceValues(List<byte[]> values) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      records.add(
          new ProducerRecord<>(
              topic, 0, ("k" + i).getBytes(StandardCharsets.UTF_8), values.get(i)));
    }
    cluster.produce(topic, records);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void decodesJsonFramedJsonAvroAndTextAndDeadLettersWhatCannotBeDecoded() throws Exception {
    try (SchemaRegistryServer registry = SchemaRegistryServer.start()) {
      Schema schema = new Schema.Parser().parse(PRODUCT_SCHEMA);
      int id = registry.register(PRODUCT_SCHEMA);
      cluster.createTopic(topic, 1);
      String dlq = topic + "-dlq";
      Map<String, String> config = rawConfig(deadLetterConfig(dlq));
      config.put("body.format", "json_array");
      config.put("schema.registry.url", registry.url());
      run(config);

      produceValues(
          List.of(
              utf8("{\"a\":1}"),
              AvroFrames.frame(7, utf8("{\"b\":2}")),
              AvroFrames.frameJson(
                  id, schema, JSON.readTree("{\"sku\":\"X\",\"price\":1.5,\"tags\":[\"a\"]}")),
              utf8("hello world"),
              utf8("{\"broken\":"),
              new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF},
              AvroFrames.frame(999, new byte[] {2, 65}),
              AvroFrames.frameJson(
                  id,
                  schema,
                  JSON.readTree("{\"sku\":\"Y\",\"price\":2,\"tags\":[],\"note\":\"n\"}"))));

      await()
          .atMost(WAIT)
          .until(() -> target.received().stream().mapToInt(r -> r.jsonRecords().size()).sum() >= 5);
      List<JsonNode> received = new ArrayList<>();
      target.received().forEach(r -> received.addAll(r.jsonRecords()));
      assertThat(received)
          .containsExactly(
              JSON.readTree("{\"a\":1}"),
              JSON.readTree("{\"b\":2}"),
              JSON.readTree("{\"sku\":\"X\",\"price\":1.5,\"tags\":[\"a\"],\"note\":null}"),
              JSON.readTree("\"hello world\""),
              JSON.readTree("{\"sku\":\"Y\",\"price\":2.0,\"tags\":[],\"note\":\"n\"}"));
      assertThat(registry.schemaRequests())
          .as("one request per schema id: the known one is cached, the unknown one asked once")
          .isEqualTo(2);

      List<ConsumerRecord<byte[], byte[]>> dead = awaitDeadLetters(dlq, 3);
      assertThat(dead).hasSize(3);
      Map<String, String> reasonByValue = new java.util.HashMap<>();
      dead.forEach(
          r ->
              reasonByValue.put(
                  java.util.HexFormat.of().formatHex(r.value()), header(r, "ferry.error.reason")));
      assertThat(reasonByValue.get(java.util.HexFormat.of().formatHex(utf8("{\"broken\":"))))
          .contains("not valid JSON");
      assertThat(reasonByValue.get("c328ff")).contains("neither JSON");
      assertThat(reasonByValue.get("00000003e70241")).contains("999").contains("not found");
      cluster.awaitCommittedTotal(group(), topic, 8, WAIT);
    }
  }

  @Test
  void anUnreachableRegistryStopsTheTaskInsteadOfDeadLetteringAndLosesNothing() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    cluster.createTopic(topic, 1);
    String dlq = topic + "-dlq";
    Map<String, String> config = rawConfig(deadLetterConfig(dlq));
    config.put("body.format", "json_array");
    config.put("schema.registry.url", "http://127.0.0.1:" + closedPort);
    run(config);

    Schema schema = new Schema.Parser().parse(PRODUCT_SCHEMA);
    produceValues(
        List.of(
            utf8("{\"a\":1}"),
            AvroFrames.frameJson(
                1, schema, JSON.readTree("{\"sku\":\"X\",\"price\":1.5,\"tags\":[]}"))));

    String trace = cluster.awaitTaskFailed(connector, WAIT);
    assertThat(trace)
        .contains("schema registry at http://127.0.0.1:" + closedPort)
        .contains("unreachable")
        .contains(topic + "/0@1");
    assertThat(cluster.committedTotal(group(), topic))
        .as("the framed record is not committed: it is read again after a restart")
        .isLessThanOrEqualTo(1);
  }

  @Test
  void jsonataMapsProductsToGroupedItemsAndVariationsWithDeletesInTheirOwnRequest()
      throws Exception {
    cluster.createTopic(topic, 1);
    Map<String, String> config = rawConfig(sinkConfig("/catalog"));
    config.put("body.format", "grouped");
    config.put("mapping.language", "jsonata");
    config.put("mapping.source", JSONATA_PRODUCTS);
    config.put("batch.linger.ms", "1000");
    run(config);

    produceValues(
        List.of(
            utf8(
                "{\"sku\":\"P-1\",\"title\":\"Shoe\",\"price\":10,\"removed\":false,"
                    + "\"variants\":[{\"sku\":\"P-1-S\",\"size\":\"S\"},"
                    + "{\"sku\":\"P-1-M\",\"size\":\"M\"}]}"),
            utf8(
                "{\"sku\":\"P-2\",\"title\":\"Sock\",\"price\":2,\"removed\":false,"
                    + "\"variants\":[{\"sku\":\"P-2-L\",\"size\":\"L\"}]}"),
            utf8("{\"sku\":\"P-3\",\"removed\":true}")));
    target.awaitReceived(2, WAIT);

    List<ReceivedRequest> requests = target.received();
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).method()).isEqualTo("POST");
    assertThat(JSON.readTree(requests.get(0).body()))
        .isEqualTo(
            JSON.readTree(
                """
                {"items": [{"id": "P-1", "name": "Shoe", "price": 10},
                           {"id": "P-2", "name": "Sock", "price": 2}],
                 "variations": [{"id": "P-1-S", "item_id": "P-1", "size": "S"},
                                {"id": "P-1-M", "item_id": "P-1", "size": "M"},
                                {"id": "P-2-L", "item_id": "P-2", "size": "L"}]}"""));
    assertThat(requests.get(1).method()).isEqualTo("DELETE");
    assertThat(requests.get(1).path()).isEqualTo("/catalog");
    assertThat(JSON.readTree(requests.get(1).body()))
        .isEqualTo(JSON.readTree("{\"items\": [{\"id\": \"P-3\"}]}"));
    assertThat(requests.get(0).header("Idempotency-Key"))
        .isNotEqualTo(requests.get(1).header("Idempotency-Key"));
  }

  @Test
  void javascriptMapsWithMetaAndItsErrorsGoToTheDeadLetterTopic() throws Exception {
    cluster.createTopic(topic, 1);
    String dlq = topic + "-dlq";
    Map<String, String> config = rawConfig(deadLetterConfig(dlq));
    config.put("body.format", "grouped");
    config.put("mapping.language", "javascript");
    config.put("mapping.source", JAVASCRIPT_PRODUCTS);
    config.put("batch.linger.ms", "500");
    run(config);

    produceValues(
        List.of(
            utf8("{\"sku\":\"P-1\",\"title\":\"Shoe\"}"),
            utf8("{\"sku\":\"P-2\",\"fail\":true}"),
            utf8("{\"sku\":\"P-3\",\"title\":\"Hat\"}")));

    List<ConsumerRecord<byte[], byte[]>> dead = awaitDeadLetters(dlq, 1);
    assertThat(header(dead.get(0), "ferry.error.reason"))
        .contains("mapping failed")
        .contains("bad product P-2");
    await().atMost(WAIT).until(() -> itemsReceived().size() >= 2);
    assertThat(itemsReceived())
        .containsExactly(
            JSON.readTree(
                "{\"id\":\"P-1\",\"name\":\"Shoe\",\"topic\":\"" + topic + "\",\"key\":\"k0\"}"),
            JSON.readTree(
                "{\"id\":\"P-3\",\"name\":\"Hat\",\"topic\":\"" + topic + "\",\"key\":\"k2\"}"));
    cluster.awaitCommittedTotal(group(), topic, 3, WAIT);
  }

  @Test
  void collapseSendsOnlyTheLastChangeOfEachEntityAndTombstonesDeleteTheKeysEntity()
      throws Exception {
    cluster.createTopic(topic, 1);
    Map<String, String> config = rawConfig(sinkConfig("/catalog"));
    config.put("body.format", "grouped");
    config.put("delta.mode", "collapse");
    config.put("batch.linger.ms", "1500");
    run(config);

    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    String[] values = {
      "{\"type\":\"item\",\"id\":\"A\",\"data\":{\"v\":1}}",
      "{\"type\":\"item\",\"id\":\"B\",\"data\":{\"v\":1}}",
      "{\"type\":\"item\",\"id\":\"A\",\"data\":{\"v\":2}}",
      "{\"type\":\"item\",\"id\":\"B\",\"op\":\"delete\"}",
      "{\"type\":\"variation\",\"id\":\"C-1\",\"data\":{\"item_id\":\"C\"}}",
      null
    };
    for (int i = 0; i < values.length; i++) {
      records.add(
          new ProducerRecord<>(
              topic, 0, utf8(i == 5 ? "D" : "k" + i), values[i] == null ? null : utf8(values[i])));
    }
    cluster.produce(topic, records);
    target.awaitReceived(2, WAIT);

    List<ReceivedRequest> requests = target.received();
    assertThat(requests).hasSize(2);
    assertThat(JSON.readTree(requests.get(0).body()))
        .isEqualTo(
            JSON.readTree(
                "{\"items\":[{\"id\":\"A\",\"v\":2}],"
                    + "\"variations\":[{\"id\":\"C-1\",\"item_id\":\"C\"}]}"));
    assertThat(requests.get(1).method()).isEqualTo("DELETE");
    assertThat(JSON.readTree(requests.get(1).body()))
        .isEqualTo(JSON.readTree("{\"items\":[{\"id\":\"B\"},{\"id\":\"D\"}]}"));
    cluster.awaitCommittedTotal(group(), topic, 6, WAIT);
  }

  @Test
  void groupedBatchesDefaultToTenThousandMessagesOrSixtySeconds() {
    cluster.createTopic(topic, 1);
    Map<String, String> config = rawConfig(sinkConfig("/catalog"));
    config.put("body.format", "grouped");
    run(config);

    produce(1, 10_005, i -> "{\"type\":\"item\",\"id\":\"I-" + i + "\",\"data\":{}}");
    target.awaitReceived(1, WAIT);
    assertThat(target.received().get(0).jsonRecords().get(0).get("items")).hasSize(10_000);
    await("the last 5 wait for the 60 s linger")
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(() -> target.receivedCount() == 1);
  }

  @Test
  void gzipsRequestBodiesWhenAsked() throws IOException {
    cluster.createTopic(topic, 1);
    Map<String, String> config = sinkConfig("/gz");
    config.put("body.format", "json_array");
    config.put("http.compression", "gzip");
    run(config);

    produce(1, 3);
    target.awaitReceived(1, WAIT);
    ReceivedRequest request = target.received().get(0);
    assertThat(request.header("Content-Encoding")).isEqualTo("gzip");
    List<JsonNode> seqs = new ArrayList<>();
    JSON.readTree(gunzip(request.body())).forEach(seqs::add);
    assertThat(seqs).hasSizeGreaterThan(0).allSatisfy(n -> assertThat(n.has("seq")).isTrue());
  }

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "snappy", "lz4", "zstd"})
  void consumesTopicsWrittenWithEveryCompressionCodec(String codec) throws Exception {
    cluster.createTopic(topic, 2);
    Map<String, String> config = rawConfig(sinkConfig("/codec"));
    config.put("body.format", "json_array");
    run(config);

    Map<String, Object> props =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            cluster.bootstrapServers(),
            ProducerConfig.COMPRESSION_TYPE_CONFIG,
            codec,
            ProducerConfig.LINGER_MS_CONFIG,
            20);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        acks.add(
            producer.send(
                new ProducerRecord<>(
                    topic,
                    i % 2,
                    utf8("k" + i),
                    utf8("{\"seq\":" + i + ",\"codec\":\"" + codec + "\"}"))));
      }
      for (Future<RecordMetadata> ack : acks) {
        ack.get();
      }
    }
    target.awaitRecords(500, WAIT);
    List<Integer> seqs = new ArrayList<>();
    target.received().forEach(r -> r.jsonRecords().forEach(n -> seqs.add(n.get("seq").asInt())));
    assertThat(seqs).hasSize(500).doesNotHaveDuplicates();
    cluster.awaitCommittedTotal(group(), topic, 500, WAIT);
  }

  private List<JsonNode> itemsReceived() {
    List<JsonNode> items = new ArrayList<>();
    for (ReceivedRequest r : target.received()) {
      JsonNode body = r.jsonRecords().get(0);
      body.path("items").forEach(items::add);
    }
    return items;
  }

  private static byte[] gunzip(byte[] body) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
