package dev.ferry.pipeline.deliver;

import static dev.ferry.pipeline.testing.Records.record;
import static dev.ferry.pipeline.testing.Records.tombstone;
import static dev.ferry.pipeline.testing.Records.withBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.http.HttpSender;
import dev.ferry.http.HttpSettings;
import dev.ferry.http.auth.Auth;
import dev.ferry.http.outcome.Outcome;
import dev.ferry.http.outcome.OutcomeClassifier;
import dev.ferry.http.outcome.StatusRules;
import dev.ferry.http.retry.BackoffSchedule;
import dev.ferry.pipeline.body.BodyFormat;
import dev.ferry.pipeline.body.GroupedBody;
import dev.ferry.pipeline.decode.DecodeException;
import dev.ferry.pipeline.decode.MessageDecoder;
import dev.ferry.pipeline.decode.RegisteredSchema;
import dev.ferry.pipeline.decode.SchemaSource;
import dev.ferry.pipeline.delta.Delta;
import dev.ferry.pipeline.delta.DeltaMode;
import dev.ferry.pipeline.delta.MemoryHashStore;
import dev.ferry.pipeline.map.Mapper;
import dev.ferry.pipeline.map.Mappers;
import dev.ferry.pipeline.map.MappingException;
import dev.ferry.pipeline.map.MappingLanguage;
import dev.ferry.pipeline.map.MessageMeta;
import dev.ferry.pipeline.record.PipelineRecord;
import dev.ferry.pipeline.request.RequestFactory;
import dev.ferry.pipeline.request.UrlTemplate;
import dev.ferry.pipeline.shape.Entity;
import dev.ferry.pipeline.shape.Shaper;
import dev.ferry.pipeline.testing.TestTarget;
import dev.ferry.pipeline.testing.TestTarget.Received;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine with its stages (decoding, mapping, delta) in the lanes, against a real HTTP target on
 * 127.0.0.1.
 */
class ShapedDeliveryTest {
  private static final String TOPIC = "orders";
  private static final PartitionRef P0 = new PartitionRef(TOPIC, 0);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern N = Pattern.compile("\"n\":(\\d+)");

  /**
   * Catalog messages to entities: {@code {"id", "name"}} is an upsert, {@code {"id", "deleted":
   * true}} a delete, and {@code {"items": [...]}} one entity per element.
   */
  private static final String ENTITIES =
      """
      $map($exists(items) ? items : [$], function($e) {
        $e.deleted = true
          ? {"type": "item", "id": $e.id, "op": "delete"}
          : {"type": "item", "id": $e.id, "data": {"name": $e.name}}
      })
      """;

  private static final String PRODUCT_SCHEMA =
      """
      {"type": "record", "name": "Product", "namespace": "shop", "fields": [
        {"name": "id", "type": "string"},
        {"name": "name", "type": "string"}]}
      """;

  private TestTarget target;
  private HttpSender sender;
  private DeliveryEngine engine;
  private Shaper shaper;
  private final Listener listener = new Listener();
  private final Map<PartitionRef, Long> committed = new HashMap<>();

  /** What the engine told its listener. */
  private static final class Listener implements DeliveryListener {
    final List<PipelineRecord> delivered = new CopyOnWriteArrayList<>();
    final List<PipelineRecord> skipped = new CopyOnWriteArrayList<>();
    final List<PipelineRecord> dropped = new CopyOnWriteArrayList<>();
    final List<String> dropReasons = new CopyOnWriteArrayList<>();
    final List<PipelineRecord> deadLettered = new CopyOnWriteArrayList<>();
    final List<Outcome.Failed> deadLetterFailures = new CopyOnWriteArrayList<>();
    final List<Integer> deadLetterAttempts = new CopyOnWriteArrayList<>();
    final List<Integer> retries = new CopyOnWriteArrayList<>();
    final List<Outcome.Failed> retryFailures = new CopyOnWriteArrayList<>();
    final List<Duration> retryWaits = new CopyOnWriteArrayList<>();
    final AtomicInteger unchanged = new AtomicInteger();

    @Override
    public void delivered(List<PipelineRecord> records) {
      delivered.addAll(records);
    }

    @Override
    public void retrying(int records, Outcome.Failed failure, int retry, Duration wait) {
      retries.add(retry);
      retryFailures.add(failure);
      retryWaits.add(wait);
    }

    @Override
    public void skipped(PipelineRecord record) {
      skipped.add(record);
    }

    @Override
    public void deltaApplied(int collapsed, int unchanged) {
      this.unchanged.addAndGet(unchanged);
    }

    @Override
    public void dropped(PipelineRecord record, String reason) {
      dropped.add(record);
      dropReasons.add(reason);
    }

    @Override
    public void deadLetter(PipelineRecord record, Outcome.Failed failure, int attempts) {
      deadLettered.add(record);
      deadLetterFailures.add(failure);
      deadLetterAttempts.add(attempts);
    }
  }

  /** A real mapper that counts its calls, to show each record is mapped once. */
  private static final class Counting implements Mapper {
    final Mapper mapper;
    final AtomicInteger calls = new AtomicInteger();

    Counting(Mapper mapper) {
      this.mapper = mapper;
    }

    @Override
    public List<JsonNode> map(JsonNode message, MessageMeta meta) throws MappingException {
      calls.incrementAndGet();
      return mapper.map(message, meta);
    }

    @Override
    public void close() {
      mapper.close();
    }
  }

  /** Engine settings with test defaults: one lane, batches of up to ten, a short linger. */
  private static final class Config {
    int maxRecords = 10;
    Duration linger = Duration.ofMillis(50);
    String schedule = "";
    ErrorStrategy strategy = ErrorStrategy.PROGRESS_BACK_OFF_DROP_MESSAGE;
    BodyFormat format = BodyFormat.JSON_ARRAY;
    Mapper mapper;
    SchemaSource schemas;
    Delta delta;

    DeliverySettings settings() {
      return new DeliverySettings(
          1,
          false,
          maxRecords,
          1_000_000,
          linger,
          Duration.ZERO,
          BackoffSchedule.parse(schedule, 0, Duration.ofSeconds(5)),
          strategy,
          false);
    }
  }

  @BeforeEach
  void startTarget() throws Exception {
    target = TestTarget.start();
    sender = new HttpSender(HttpSettings.defaults(), Auth.none());
  }

  @AfterEach
  void stopAll() throws Exception {
    target.release();
    if (engine != null) {
      engine.close();
    }
    if (shaper != null) {
      shaper.close();
    }
    sender.close();
    target.close();
  }

  private void start(Config config) {
    RequestFactory requests =
        new RequestFactory(
            UrlTemplate.parse(target.url("/catalog")),
            "POST",
            Map.of(),
            List.of(),
            config.format,
            config.format.defaultContentType());
    boolean grouped = config.format == BodyFormat.GROUPED;
    if (grouped) {
      requests =
          requests.withGrouped(
              new GroupedBody(Map.of("item", "items")),
              "DELETE",
              UrlTemplate.parse(target.url("/catalog/delete")));
    }
    shaper = new Shaper(new MessageDecoder(config.schemas), config.mapper, grouped, "item");
    engine =
        new DeliveryEngine(
            config.settings(),
            sender,
            requests,
            new OutcomeClassifier(StatusRules.defaults(), "retry", Clock.systemUTC()),
            listener,
            new Stages(shaper, config.delta),
            "shaped");
  }

  private static Mapper jsonata(String expression) throws MappingException {
    return Mappers.create(MappingLanguage.JSONATA, expression, Duration.ofSeconds(5));
  }

  private static ConditionFactory eventually() {
    return await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(10)).pollInSameThread();
  }

  /** Adds what the engine now says is committable to {@link #committed}, like a task would. */
  private Map<PartitionRef, Long> commit() {
    committed.putAll(engine.committable());
    return committed;
  }

  private void awaitCommitted(long next) {
    eventually().until(() -> Long.valueOf(next).equals(commit().get(P0)));
  }

  private static void awaitTrue(BooleanSupplier condition) {
    eventually().until(condition::getAsBoolean);
  }

  private boolean failed() {
    try {
      engine.throwIfFailed();
      return false;
    } catch (DeliveryFailedException expected) {
      return true;
    }
  }

  private static List<Long> offsets(List<PipelineRecord> records) {
    List<Long> offsets = new ArrayList<>();
    for (PipelineRecord r : records) {
      offsets.add(r.offset());
    }
    return offsets;
  }

  /** The "n" numbers in a request body. */
  private static List<Long> carried(Received request) {
    List<Long> numbers = new ArrayList<>();
    Matcher m = N.matcher(request.text());
    while (m.find()) {
      numbers.add(Long.parseLong(m.group(1)));
    }
    return numbers;
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The ids of the items in a grouped body. */
  private static List<String> ids(Received request) {
    List<String> ids = new ArrayList<>();
    for (JsonNode item : json(request.text()).path("items")) {
      ids.add(item.get("id").asText());
    }
    return ids;
  }

  private static String key(String id) {
    return Entity.delete("item", id).key();
  }

  private static PipelineRecord upsert(long offset, String id, String name) {
    return record(TOPIC, 0, offset, id, "{\"id\":\"" + id + "\",\"name\":\"" + name + "\"}");
  }

  private static PipelineRecord delete(long offset, String id) {
    return record(TOPIC, 0, offset, id, "{\"id\":\"" + id + "\",\"deleted\":true}");
  }

  /** Confluent's wire format: magic byte 0, the schema id, the payload. */
  private static byte[] framed(int id, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
    out.writeBytes(payload);
    return out.toByteArray();
  }

  private static byte[] product(String id, String name) throws IOException {
    Schema schema = new Schema.Parser().parse(PRODUCT_SCHEMA);
    GenericRecord product = new GenericData.Record(schema);
    product.put("id", id);
    product.put("name", name);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(product, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  @Test
  void aRecordWhoseMappingFailsIsDeadLetteredWhileTheRestOfItsBatchIsDelivered() throws Exception {
    Config config = new Config();
    config.schedule = "0.05";
    config.strategy = ErrorStrategy.DEAD_LETTER;
    config.mapper = jsonata("{\"n\": n, \"total\": $sum(lines)}");
    start(config);
    PipelineRecord broken = record(TOPIC, 0, 2, "k2", "{\"n\":2,\"lines\":\"oops\"}");

    engine.submit(
        List.of(
            record(TOPIC, 0, 0, "k0", "{\"n\":0,\"lines\":[1,2]}"),
            record(TOPIC, 0, 1, "k1", "{\"n\":1,\"lines\":[3]}"),
            broken,
            record(TOPIC, 0, 3, "k3", "{\"n\":3,\"lines\":[]}")));
    awaitCommitted(4);

    assertThat(listener.deadLettered).containsExactly(broken);
    assertThat(listener.deadLetterFailures)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.status()).isZero();
              assertThat(f.kind()).isEqualTo(Outcome.Kind.PERMANENT);
              assertThat(f.reason())
                  .contains("mapping failed")
                  .contains("T0412")
                  .contains("must be an array")
                  .contains("orders/0@2");
            });
    awaitTrue(() -> listener.delivered.size() >= 3);
    assertThat(offsets(listener.delivered)).containsExactly(0L, 1L, 3L);
    assertThat(target.received())
        .extracting(ShapedDeliveryTest::carried)
        .containsExactly(List.of(0L, 1L, 3L));
    assertThat(listener.retries).as("a mapping failure is not retried").isEmpty();
    assertThat(listener.dropped).isEmpty();
    assertThat(engine.buffered()).isZero();
  }

  @Test
  void aRecordMappedToNothingIsSkippedWithoutARequestAlsoAloneInItsBatch() throws Exception {
    Config config = new Config();
    config.mapper = jsonata("skip = false ? {\"n\": n}");
    start(config);
    PipelineRecord skippedInBatch = record(TOPIC, 0, 1, "k1", "{\"n\":1,\"skip\":true}");
    PipelineRecord skippedAlone = record(TOPIC, 0, 3, "k3", "{\"n\":3,\"skip\":true}");

    engine.submit(
        List.of(
            record(TOPIC, 0, 0, "k0", "{\"n\":0,\"skip\":false}"),
            skippedInBatch,
            record(TOPIC, 0, 2, "k2", "{\"n\":2,\"skip\":false}")));
    awaitCommitted(3);
    assertThat(listener.skipped).containsExactly(skippedInBatch);

    engine.submit(List.of(skippedAlone));
    awaitCommitted(4);
    // A record is finished just before the listener hears of it.
    awaitTrue(() -> listener.skipped.size() >= 2);
    assertThat(listener.skipped).containsExactly(skippedInBatch, skippedAlone);
    assertThat(engine.buffered()).isZero();

    // A marker after it: the lane sends in order, so any request for the skipped record would
    // have come before this one.
    engine.submit(List.of(record(TOPIC, 0, 4, "k4", "{\"n\":4,\"skip\":false}")));
    awaitCommitted(5);

    assertThat(target.received())
        .extracting(ShapedDeliveryTest::carried)
        .containsExactly(List.of(0L, 2L), List.of(4L));
    awaitTrue(() -> listener.delivered.size() >= 3);
    assertThat(offsets(listener.delivered)).containsExactly(0L, 2L, 4L);
    assertThat(listener.dropped).isEmpty();
    assertThat(listener.deadLettered).isEmpty();
  }

  @Test
  void groupedBatchIsRetriedWholeWhenItsDeleteFailsAndThenSkipsUnchangedUpserts() throws Exception {
    MemoryHashStore store = new MemoryHashStore(1000);
    Config config = new Config();
    config.format = BodyFormat.GROUPED;
    config.schedule = "0.05,0.05,0.05";
    config.mapper = jsonata(ENTITIES);
    config.delta = new Delta(DeltaMode.SKIP_UNCHANGED, store);
    AtomicInteger deleteFailures = new AtomicInteger(1);
    target.answer(
        r -> r.method().equals("DELETE") && deleteFailures.getAndDecrement() > 0 ? 500 : 200);
    start(config);

    engine.submit(List.of(upsert(0, "P-1", "Shoe"), upsert(1, "P-2", "Boot"), delete(2, "P-3")));
    awaitCommitted(3);

    List<Received> requests = target.received();
    assertThat(requests)
        .extracting(Received::method)
        .containsExactly("POST", "DELETE", "POST", "DELETE");
    assertThat(requests)
        .extracting(Received::path)
        .containsExactly("/catalog", "/catalog/delete", "/catalog", "/catalog/delete");
    assertThat(json(requests.get(0).text()))
        .isEqualTo(
            json(
                "{\"items\":[{\"id\":\"P-1\",\"name\":\"Shoe\"},{\"id\":\"P-2\",\"name\":\"Boot\"}]}"));
    assertThat(json(requests.get(1).text())).isEqualTo(json("{\"items\":[{\"id\":\"P-3\"}]}"));
    assertThat(requests.get(2).text()).isEqualTo(requests.get(0).text());
    assertThat(requests.get(3).text()).isEqualTo(requests.get(1).text());
    assertThat(requests.get(2).header(RequestFactory.IDEMPOTENCY_KEY))
        .as("a retry carries the same idempotency keys")
        .isEqualTo(requests.get(0).header(RequestFactory.IDEMPOTENCY_KEY))
        .endsWith("-1");
    assertThat(requests.get(3).header(RequestFactory.IDEMPOTENCY_KEY))
        .isEqualTo(requests.get(1).header(RequestFactory.IDEMPOTENCY_KEY))
        .endsWith("-2");
    assertThat(listener.retries).containsExactly(1);
    awaitTrue(() -> listener.delivered.size() >= 3);
    assertThat(offsets(listener.delivered)).containsExactly(0L, 1L, 2L);

    assertThat(store.size()).isEqualTo(2);
    assertThat(store.get(key("P-1"))).isNotNull();
    assertThat(store.get(key("P-2"))).isNotNull().isNotEqualTo(store.get(key("P-1")));
    assertThat(store.get(key("P-3"))).isNull();

    engine.submit(List.of(upsert(3, "P-1", "Shoe"), upsert(4, "P-2", "Boot"), delete(5, "P-3")));
    awaitCommitted(6);

    List<Received> again = target.received().subList(4, target.received().size());
    assertThat(again)
        .as("unchanged upserts are not sent again, deletes always are")
        .extracting(Received::method)
        .containsExactly("DELETE");
    assertThat(ids(again.get(0))).containsExactly("P-3");
    assertThat(listener.unchanged).hasValue(2);
    awaitTrue(() -> listener.delivered.size() >= 6);
    assertThat(offsets(listener.delivered)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    assertThat(store.size()).isEqualTo(2);
  }

  @Test
  void upsertsTakenByTheTargetBecomeUnknownWhenTheBatchsDeleteIsRejected() throws Exception {
    MemoryHashStore store = new MemoryHashStore(1000);
    Config config = new Config();
    config.format = BodyFormat.GROUPED;
    config.schedule = "0.05";
    config.strategy = ErrorStrategy.PROGRESS_BACK_OFF_DROP_MESSAGE;
    config.mapper = jsonata(ENTITIES);
    config.delta = new Delta(DeltaMode.SKIP_UNCHANGED, store);
    target.answer(r -> r.method().equals("DELETE") ? 400 : 200);
    start(config);

    // P-1 is delivered as "Shoe": the store knows it.
    engine.submit(List.of(upsert(0, "P-1", "Shoe")));
    awaitCommitted(1);
    assertThat(store.get(key("P-1"))).isNotNull();

    // One record: P-1 becomes "Boot", P-2 is new, P-3 is deleted. The target takes the upserts,
    // then refuses the delete for good, so the record is dropped.
    PipelineRecord mixed =
        record(
            TOPIC,
            0,
            1,
            "mixed",
            "{\"items\":[{\"id\":\"P-1\",\"name\":\"Boot\"},{\"id\":\"P-2\",\"name\":\"Sock\"},"
                + "{\"id\":\"P-3\",\"deleted\":true}]}");
    engine.submit(List.of(mixed));
    awaitCommitted(2);
    assertThat(listener.dropped).containsExactly(mixed);
    assertThat(listener.dropReasons).singleElement().asString().contains("HTTP 400");
    assertThat(store.size()).as("what the target holds is unknown").isZero();

    // Replayed: "Shoe" must go out although it was once delivered (the target now has "Boot"),
    // and "Sock" although the target took it (its delivery was never confirmed).
    engine.submit(
        List.of(
            record(
                TOPIC,
                0,
                2,
                "replay",
                "{\"items\":[{\"id\":\"P-1\",\"name\":\"Shoe\"},{\"id\":\"P-2\",\"name\":\"Sock\"}]}")));
    awaitCommitted(3);

    List<Received> requests = target.received();
    assertThat(requests)
        .extracting(Received::method)
        .containsExactly("POST", "POST", "DELETE", "POST");
    assertThat(ids(requests.get(1))).containsExactly("P-1", "P-2");
    assertThat(ids(requests.get(2))).containsExactly("P-3");
    assertThat(json(requests.get(3).text()))
        .isEqualTo(
            json(
                "{\"items\":[{\"id\":\"P-1\",\"name\":\"Shoe\"},{\"id\":\"P-2\",\"name\":\"Sock\"}]}"));
    assertThat(listener.unchanged).hasValue(0);
    assertThat(listener.retries).as("a 400 is not retried").isEmpty();
    awaitTrue(() -> listener.delivered.size() >= 2);
    assertThat(offsets(listener.delivered)).containsExactly(0L, 2L);
    assertThat(store.size()).isEqualTo(2);
  }

  @Test
  void aRejectedGroupedBatchIsSplitUntilOnlyThePoisonRecordIsGivenUp() throws Exception {
    MemoryHashStore store = new MemoryHashStore(1000);
    Counting mapper = new Counting(jsonata(ENTITIES));
    Config config = new Config();
    config.format = BodyFormat.GROUPED;
    config.maxRecords = 8;
    config.linger = Duration.ofMillis(100);
    config.schedule = "0.05";
    config.strategy = ErrorStrategy.DEAD_LETTER;
    config.mapper = mapper;
    config.delta = new Delta(DeltaMode.SKIP_UNCHANGED, store);
    target.answer(r -> r.text().contains("\"P-5\"") ? 400 : 200);
    start(config);
    List<PipelineRecord> records = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      records.add(upsert(i, "P-" + i, "product " + i));
    }

    engine.submit(records);
    awaitCommitted(8);

    assertThat(listener.deadLettered).containsExactly(records.get(5));
    assertThat(listener.deadLetterFailures)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.status()).isEqualTo(400);
              assertThat(f.kind()).isEqualTo(Outcome.Kind.PERMANENT);
            });
    assertThat(listener.deadLetterAttempts).containsExactly(1);
    awaitTrue(() -> listener.delivered.size() >= 7);
    assertThat(offsets(listener.delivered)).containsExactly(0L, 1L, 2L, 3L, 4L, 6L, 7L);
    assertThat(target.received())
        .extracting(ShapedDeliveryTest::ids)
        .containsExactly(
            List.of("P-0", "P-1", "P-2", "P-3", "P-4", "P-5", "P-6", "P-7"),
            List.of("P-0", "P-1", "P-2", "P-3"),
            List.of("P-4", "P-5", "P-6", "P-7"),
            List.of("P-4", "P-5"),
            List.of("P-4"),
            List.of("P-5"),
            List.of("P-6", "P-7"));
    assertThat(mapper.calls).as("each record is mapped once, splits reuse it").hasValue(8);
    assertThat(listener.retries).as("a permanent failure is not retried").isEmpty();
    assertThat(listener.dropped).isEmpty();
    assertThat(store.size()).isEqualTo(7);
    assertThat(store.get(key("P-5"))).isNull();
  }

  @Test
  void aRegistryOutageIsRetriedOnTheScheduleThenTheRecordIsDelivered() throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    Config config = new Config();
    config.schedule = "0.1,0.1,0.1";
    config.strategy = ErrorStrategy.DEAD_LETTER;
    config.schemas =
        id -> {
          if (lookups.incrementAndGet() <= 2) {
            throw new DecodeException("registry down", true);
          }
          return new RegisteredSchema(id, "AVRO", PRODUCT_SCHEMA);
        };
    start(config);

    long submitted = System.nanoTime();
    engine.submit(
        List.of(
            withBytes(TOPIC, 0, 0, framed(7, product("P-1", "Shoe"))),
            withBytes(TOPIC, 0, 1, framed(7, product("P-2", "Boot")))));
    awaitCommitted(2);

    List<Received> requests = target.received();
    assertThat(requests).hasSize(1);
    assertThat(json(requests.get(0).text()))
        .isEqualTo(json("[{\"id\":\"P-1\",\"name\":\"Shoe\"},{\"id\":\"P-2\",\"name\":\"Boot\"}]"));
    assertThat(requests.get(0).nanos() - submitted)
        .as("two waits of the schedule passed first")
        .isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
    assertThat(listener.retries).containsExactly(1, 2);
    assertThat(listener.retryWaits).containsOnly(Duration.ofMillis(100));
    assertThat(listener.retryFailures)
        .allSatisfy(
            f -> {
              assertThat(f.status()).isZero();
              assertThat(f.reason()).contains("registry down");
            });
    assertThat(lookups).as("the schema, once fetched, is kept").hasValue(3);
    awaitTrue(() -> listener.delivered.size() >= 2);
    assertThat(offsets(listener.delivered)).containsExactly(0L, 1L);
    assertThat(listener.deadLettered).as("an outage never dead-letters").isEmpty();
    assertThat(listener.dropped).isEmpty();
  }

  @Test
  void aRegistryOutageThatOutlastsTheScheduleStopsTheEngineBeforeTheRecord() throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    Config config = new Config();
    config.schedule = "0.05,0.05";
    config.strategy = ErrorStrategy.DEAD_LETTER;
    config.schemas =
        id -> {
          lookups.incrementAndGet();
          throw new DecodeException("registry down", true);
        };
    start(config);

    engine.submit(List.of(record(TOPIC, 0, 0, "k0", "{\"n\":0}")));
    awaitCommitted(1);

    engine.submit(
        List.of(
            withBytes(TOPIC, 0, 1, framed(7, product("P-1", "Shoe"))),
            record(TOPIC, 0, 2, "k2", "{\"n\":2}")));
    awaitTrue(this::failed);

    assertThatThrownBy(engine::throwIfFailed)
        .isInstanceOf(DeliveryFailedException.class)
        .hasMessageContaining("registry down")
        .hasMessageContaining("orders/0@1")
        .hasMessageContaining("back-off schedule ran out");
    assertThat(lookups).as("the first try and two retries").hasValue(3);
    assertThat(listener.retries).containsExactly(1, 2);
    assertThat(engine.committable())
        .as("the record and those after it are not committable")
        .containsEntry(P0, 1L);
    assertThat(commit()).containsEntry(P0, 1L);
    assertThat(engine.buffered()).isEqualTo(2);
    assertThat(target.received())
        .extracting(ShapedDeliveryTest::carried)
        .containsExactly(List.of(0L));
    assertThat(listener.deadLettered).isEmpty();
    assertThat(listener.dropped).isEmpty();
    assertThatThrownBy(() -> engine.submit(List.of(record(TOPIC, 0, 3, "k3", "{\"n\":3}"))))
        .isInstanceOf(DeliveryFailedException.class);
  }

  @Test
  void aTombstoneBecomesAnEntityDeleteOfItsKey() throws Exception {
    Counting mapper = new Counting(jsonata(ENTITIES));
    Config config = new Config();
    config.format = BodyFormat.GROUPED;
    config.mapper = mapper;
    start(config);

    engine.submit(List.of(tombstone(TOPIC, 0, 0, "P-9")));
    awaitCommitted(1);

    List<Received> requests = target.received();
    assertThat(requests).hasSize(1);
    assertThat(requests.get(0).method()).isEqualTo("DELETE");
    assertThat(requests.get(0).path()).isEqualTo("/catalog/delete");
    assertThat(json(requests.get(0).text())).isEqualTo(json("{\"items\":[{\"id\":\"P-9\"}]}"));
    assertThat(requests.get(0).header(RequestFactory.IDEMPOTENCY_KEY)).isEqualTo("orders-0-0");

    // Batched like any other record: the upsert goes first, then the delete.
    engine.submit(List.of(upsert(1, "P-1", "Shoe"), tombstone(TOPIC, 0, 2, "P-2")));
    awaitCommitted(3);

    requests = target.received();
    assertThat(requests).extracting(Received::method).containsExactly("DELETE", "POST", "DELETE");
    assertThat(json(requests.get(1).text()))
        .isEqualTo(json("{\"items\":[{\"id\":\"P-1\",\"name\":\"Shoe\"}]}"));
    assertThat(json(requests.get(2).text())).isEqualTo(json("{\"items\":[{\"id\":\"P-2\"}]}"));
    assertThat(mapper.calls).as("mappings never see tombstones").hasValue(1);
    awaitTrue(() -> listener.delivered.size() >= 3);
    assertThat(offsets(listener.delivered)).containsExactly(0L, 1L, 2L);
    assertThat(listener.dropped).isEmpty();
  }
}
