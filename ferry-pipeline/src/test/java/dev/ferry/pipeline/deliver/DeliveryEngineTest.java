package dev.ferry.pipeline.deliver;

import static dev.ferry.pipeline.testing.Records.record;
import static dev.ferry.pipeline.testing.Records.tombstone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ferry.http.HttpSender;
import dev.ferry.http.HttpSettings;
import dev.ferry.http.Request;
import dev.ferry.http.auth.Auth;
import dev.ferry.http.outcome.Outcome;
import dev.ferry.http.outcome.OutcomeClassifier;
import dev.ferry.http.outcome.StatusRules;
import dev.ferry.http.retry.BackoffSchedule;
import dev.ferry.pipeline.body.BodyFormat;
import dev.ferry.pipeline.record.PipelineRecord;
import dev.ferry.pipeline.request.RequestFactory;
import dev.ferry.pipeline.request.UrlTemplate;
import dev.ferry.pipeline.testing.TestTarget;
import dev.ferry.pipeline.testing.TestTarget.Received;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine against a real HTTP target on 127.0.0.1. */
class DeliveryEngineTest {
  private static final String TOPIC = "orders";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Pattern STATUS = Pattern.compile("\"status\":(\\d{3})");
  private static final Pattern N = Pattern.compile("\"n\":(\\d+)");

  private TestTarget target;
  private HttpSender sender;
  private DeliveryEngine engine;
  private final Listener listener = new Listener();
  private final Map<PartitionRef, Long> committed = new HashMap<>();

  /** What the engine told its listener. */
  private static final class Listener implements DeliveryListener {
    final List<PipelineRecord> delivered = new CopyOnWriteArrayList<>();
    final List<PipelineRecord> dropped = new CopyOnWriteArrayList<>();
    final List<String> dropReasons = new CopyOnWriteArrayList<>();
    final List<PipelineRecord> deadLettered = new CopyOnWriteArrayList<>();
    final List<Outcome.Failed> deadLetterFailures = new CopyOnWriteArrayList<>();
    final List<Integer> deadLetterAttempts = new CopyOnWriteArrayList<>();
    final List<Integer> retries = new CopyOnWriteArrayList<>();

    @Override
    public void delivered(List<PipelineRecord> records) {
      delivered.addAll(records);
    }

    @Override
    public void retrying(int records, Outcome.Failed failure, int retry, Duration wait) {
      retries.add(retry);
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

  /** Engine settings with test defaults: one lane, one record per request, no waiting. */
  private static final class Config {
    int lanes = 1;
    int maxRecords = 1;
    Duration linger = Duration.ZERO;
    Duration requestDelay = Duration.ZERO;
    String schedule = "";
    ErrorStrategy strategy = ErrorStrategy.PROGRESS_BACK_OFF_DROP_MESSAGE;
    boolean ignoreTombstones;
    String path = "/ingest";

    DeliverySettings settings() {
      return new DeliverySettings(
          lanes,
          false,
          maxRecords,
          1_000_000,
          linger,
          requestDelay,
          BackoffSchedule.parse(schedule, 0, Duration.ofSeconds(5)),
          strategy,
          ignoreTombstones);
    }

    BodyFormat format() {
      return maxRecords > 1 ? BodyFormat.JSON_ARRAY : BodyFormat.SINGLE;
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
    sender.close();
    target.close();
  }

  private void start(Config config) {
    RequestFactory requests =
        new RequestFactory(
            UrlTemplate.parse(target.url(config.path)),
            "POST",
            Map.of(),
            List.of(),
            config.format(),
            config.format().defaultContentType());
    engine =
        new DeliveryEngine(
            config.settings(),
            sender,
            requests,
            new OutcomeClassifier(StatusRules.defaults(), "retry", Clock.systemUTC()),
            listener,
            "test");
  }

  /** Opens the connection and warms the client up, so timings measure the engine only. */
  private void warmUp() throws Exception {
    sender.send(new Request("GET", target.uri("/warm-up"), List.of(), new byte[0]));
    target.forget();
  }

  private static ConditionFactory eventually() {
    return await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(10)).pollInSameThread();
  }

  /** Adds what the engine now says is committable to {@link #committed}, like a task would. */
  private Map<PartitionRef, Long> commit() {
    committed.putAll(engine.committable());
    return committed;
  }

  private void awaitCommitted(PartitionRef partition, long next) {
    eventually().until(() -> Long.valueOf(next).equals(commit().get(partition)));
  }

  private static void awaitTrue(BooleanSupplier condition) {
    eventually().until(condition::getAsBoolean);
  }

  private static List<PipelineRecord> values(int partition, long from, int count) {
    List<PipelineRecord> records = new ArrayList<>();
    for (long offset = from; offset < from + count; offset++) {
      records.add(record(TOPIC, partition, offset, "k" + offset, "{\"n\":" + offset + "}"));
    }
    return records;
  }

  /**
   * The offsets the listener heard delivered, once it heard of {@code count} records: records
   * become committable just before the listener hears of them.
   */
  private List<Long> delivered(int count) {
    awaitTrue(() -> listener.delivered.size() >= count);
    return offsets(listener.delivered);
  }

  private static List<Long> offsets(List<PipelineRecord> records) {
    List<Long> offsets = new ArrayList<>();
    for (PipelineRecord r : records) {
      offsets.add(r.offset());
    }
    return offsets;
  }

  /** The "n" numbers in a request body, i.e. the offsets it carried. */
  private static List<Long> carried(Received request) {
    List<Long> numbers = new ArrayList<>();
    Matcher m = N.matcher(request.text());
    while (m.find()) {
      numbers.add(Long.parseLong(m.group(1)));
    }
    return numbers;
  }

  /** Answers with the status written in the body as {@code "status":NNN}, else 200. */
  private static int statusInBody(Received request) {
    Matcher m = STATUS.matcher(request.text());
    return m.find() ? Integer.parseInt(m.group(1)) : 200;
  }

  @Test
  void batchesUpToMaxRecordsAndLingersForTheRest() throws Exception {
    Config config = new Config();
    config.maxRecords = 3;
    config.linger = Duration.ofMillis(800);
    start(config);
    warmUp();
    PartitionRef p0 = new PartitionRef(TOPIC, 0);

    long submitted = System.nanoTime();
    engine.submit(values(0, 0, 7));
    awaitCommitted(p0, 7);

    List<Received> requests = target.received();
    assertThat(requests)
        .extracting(Received::text)
        .containsExactly(
            "[{\"n\":0},{\"n\":1},{\"n\":2}]", "[{\"n\":3},{\"n\":4},{\"n\":5}]", "[{\"n\":6}]");
    assertThat(requests)
        .allSatisfy(
            r -> {
              assertThat(r.method()).isEqualTo("POST");
              assertThat(r.header("Content-Type")).isEqualTo("application/json");
            });
    assertThat(requests.get(1).nanos() - submitted)
        .as("full batches do not linger")
        .isLessThan(config.linger.toNanos());
    assertThat(requests.get(2).nanos() - submitted)
        .as("the partial batch lingers")
        .isGreaterThanOrEqualTo(config.linger.toNanos());
    assertThat(delivered(7)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(engine.buffered()).isZero();
  }

  @Test
  void committableStopsBeforeARetryingRecordWhileAnotherPartitionAdvances() {
    Config config = new Config();
    config.lanes = 4;
    config.maxRecords = 10;
    config.linger = Duration.ofMillis(20);
    config.schedule = "0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2";
    config.path = "/ingest/${partition}";
    int slow = 0;
    int fast = 1; // partitions take lanes in turn as they are first seen: slow first, then fast
    PartitionRef slowPartition = new PartitionRef(TOPIC, slow);
    PartitionRef fastPartition = new PartitionRef(TOPIC, fast);
    AtomicBoolean slowFails = new AtomicBoolean(true);
    String slowPath = "/ingest/" + slow;
    target.answer(r -> r.path().equals(slowPath) && slowFails.get() ? 500 : 200);
    start(config);

    engine.submit(values(slow, 0, 3));
    engine.submit(values(fast, 0, 5));

    awaitCommitted(fastPartition, 5);
    awaitTrue(() -> target.received().stream().filter(r -> r.path().equals(slowPath)).count() >= 3);
    assertThat(commit()).doesNotContainKey(slowPartition);
    assertThat(engine.buffered()).isEqualTo(3);
    assertThat(listener.retries).isNotEmpty();

    engine.submit(values(fast, 5, 2));
    awaitCommitted(fastPartition, 7);
    assertThat(commit()).doesNotContainKey(slowPartition);

    slowFails.set(false);
    awaitCommitted(slowPartition, 3);
    assertThat(engine.committable())
        .as("the same offsets again, nothing beyond them")
        .containsEntry(slowPartition, 3L)
        .containsEntry(fastPartition, 7L);
    assertThat(delivered(10)).hasSize(10);
    assertThat(listener.dropped).isEmpty();
    assertThat(engine.buffered()).isZero();
  }

  @Test
  void permanentRejectionSplitsTheBatchSoOnlyThePoisonRecordIsDeadLettered() {
    Config config = new Config();
    config.maxRecords = 8;
    config.linger = Duration.ofMillis(50);
    config.schedule = "0.05";
    config.strategy = ErrorStrategy.DEAD_LETTER;
    target.answer(r -> r.text().contains("poison") ? 400 : 200);
    start(config);
    List<PipelineRecord> records = new ArrayList<>(values(0, 0, 8));
    PipelineRecord poison = record(TOPIC, 0, 5, "k5", "{\"n\":5,\"poison\":true}");
    records.set(5, poison);

    engine.submit(records);
    awaitCommitted(new PartitionRef(TOPIC, 0), 8);

    assertThat(listener.deadLettered).containsExactly(poison);
    assertThat(listener.deadLetterFailures)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.status()).isEqualTo(400);
              assertThat(f.kind()).isEqualTo(Outcome.Kind.PERMANENT);
            });
    assertThat(listener.deadLetterAttempts).containsExactly(1);
    assertThat(delivered(7)).containsExactly(0L, 1L, 2L, 3L, 4L, 6L, 7L);
    assertThat(listener.dropped).isEmpty();
    assertThat(listener.retries).as("a permanent failure is not retried").isEmpty();
    assertThat(target.received())
        .extracting(DeliveryEngineTest::carried)
        .containsExactly(
            List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L),
            List.of(0L, 1L, 2L, 3L),
            List.of(4L, 5L, 6L, 7L),
            List.of(4L, 5L),
            List.of(4L),
            List.of(5L),
            List.of(6L, 7L));
  }

  @Test
  void dropStrategyCountsEachDroppedRecordAndCommitsPastIt() {
    Config config = new Config();
    config.schedule = "0.05,0.05";
    config.strategy = ErrorStrategy.PROGRESS_BACK_OFF_DROP_MESSAGE;
    target.answer(DeliveryEngineTest::statusInBody);
    start(config);
    PipelineRecord notFound = record(TOPIC, 0, 1, "k1", "{\"n\":1,\"status\":404}");
    PipelineRecord broken = record(TOPIC, 0, 2, "k2", "{\"n\":2,\"status\":500}");

    engine.submit(
        List.of(
            record(TOPIC, 0, 0, "k0", "{\"n\":0}"),
            notFound,
            broken,
            record(TOPIC, 0, 3, "k3", "{\"n\":3}")));
    awaitCommitted(new PartitionRef(TOPIC, 0), 4);

    assertThat(listener.dropped).containsExactly(notFound, broken);
    assertThat(listener.dropReasons.get(0)).contains("HTTP 404").endsWith("after 1 attempt(s)");
    assertThat(listener.dropReasons.get(1)).contains("HTTP 500").endsWith("after 3 attempt(s)");
    assertThat(delivered(2)).containsExactly(0L, 3L);
    assertThat(listener.deadLettered).isEmpty();
    assertThat(target.received())
        .extracting(DeliveryEngineTest::carried)
        .containsExactly(
            List.of(0L), List.of(1L), List.of(2L), List.of(2L), List.of(2L), List.of(3L));
    assertThat(engine.buffered()).isZero();
  }

  @Test
  void dropMessageStrategyDropsWithoutRetrying() {
    Config config = new Config();
    config.schedule = "0.05,0.05";
    config.strategy = ErrorStrategy.DROP_MESSAGE;
    target.script(500);
    start(config);

    engine.submit(values(0, 0, 2));
    awaitCommitted(new PartitionRef(TOPIC, 0), 2);

    assertThat(offsets(listener.dropped)).containsExactly(0L);
    assertThat(listener.dropReasons).singleElement().asString().endsWith("after 1 attempt(s)");
    assertThat(delivered(1)).containsExactly(1L);
    assertThat(target.received()).hasSize(2);
  }

  @Test
  void stopStrategyFailsNamingTheRecordAndStatus() {
    Config config = new Config();
    config.strategy = ErrorStrategy.STOP_TASK;
    target.answer(DeliveryEngineTest::statusInBody);
    start(config);

    engine.submit(
        List.of(
            record(TOPIC, 0, 0, "k0", "{\"n\":0}"),
            record(TOPIC, 0, 1, "k1", "{\"n\":1,\"status\":400}"),
            record(TOPIC, 0, 2, "k2", "{\"n\":2}")));

    awaitTrue(
        () -> {
          try {
            engine.throwIfFailed();
            return false;
          } catch (DeliveryFailedException expected) {
            return true;
          }
        });
    assertThatThrownBy(engine::throwIfFailed)
        .isInstanceOf(DeliveryFailedException.class)
        .hasMessageContaining("orders/0@1")
        .hasMessageContaining("HTTP 400")
        .hasMessageContaining("after 1 attempt(s)")
        .hasMessageContaining("error.strategy=STOP_TASK")
        .hasMessageContaining("status 400");
    assertThat(engine.committable().getOrDefault(new PartitionRef("orders", 0), 1L))
        .as("what was delivered before the failure stays committable, the failed record not")
        .isEqualTo(1L);
    assertThatThrownBy(() -> engine.submit(values(0, 3, 1)))
        .isInstanceOf(DeliveryFailedException.class);
    assertThat(target.received())
        .as("nothing is sent after the failure")
        .extracting(DeliveryEngineTest::carried)
        .containsExactly(List.of(0L), List.of(1L));
    assertThat(listener.dropped).isEmpty();
    assertThat(listener.deadLettered).isEmpty();
  }

  @Test
  void retryThenStopStatusStopsOnceTheScheduleIsExhaustedWhateverTheStrategy() {
    Config config = new Config();
    config.schedule = "0.05";
    config.strategy = ErrorStrategy.PROGRESS_BACK_OFF_DROP_MESSAGE;
    target.answer(r -> 401);
    start(config);

    engine.submit(values(0, 7, 1));

    awaitTrue(
        () -> {
          try {
            engine.throwIfFailed();
            return false;
          } catch (DeliveryFailedException expected) {
            return true;
          }
        });
    assertThatThrownBy(engine::throwIfFailed)
        .isInstanceOf(DeliveryFailedException.class)
        .hasMessageContaining("HTTP 401")
        .hasMessageContaining("orders/0@7")
        .hasMessageContaining("after 2 attempt(s)")
        .hasMessageContaining("the back-off schedule is exhausted");
    assertThat(target.received()).hasSize(2);
    assertThat(listener.dropped).isEmpty();
  }

  @Test
  void ignoredTombstonesAreCommittableWithoutARequest() {
    Config config = new Config();
    config.ignoreTombstones = true;
    start(config);
    PartitionRef p0 = new PartitionRef(TOPIC, 0);

    engine.submit(List.of(tombstone(TOPIC, 0, 0, "a"), tombstone(TOPIC, 0, 1, "b")));

    assertThat(engine.committable()).containsExactlyEntriesOf(Map.of(p0, 2L));
    assertThat(engine.buffered()).isZero();
    assertThat(offsets(listener.dropped)).containsExactly(0L, 1L);
    assertThat(listener.dropReasons).allSatisfy(reason -> assertThat(reason).contains("tombstone"));
    assertThat(target.received()).isEmpty();
  }

  @Test
  void anIgnoredTombstoneWaitsForTheRecordsBeforeIt() {
    Config config = new Config();
    config.ignoreTombstones = true;
    start(config);
    PartitionRef p0 = new PartitionRef(TOPIC, 0);
    target.hold();

    engine.submit(List.of(record(TOPIC, 0, 0, "a", "{\"n\":0}"), tombstone(TOPIC, 0, 1, "b")));
    awaitTrue(() -> target.received().size() == 1);

    assertThat(commit()).doesNotContainKey(p0);
    assertThat(engine.buffered()).isEqualTo(1);

    target.release();
    awaitCommitted(p0, 2);
    assertThat(target.received()).hasSize(1);
  }

  @Test
  void tombstonesAreSentAsDeleteWhenNotIgnored() {
    Config config = new Config();
    config.maxRecords = 5;
    config.path = "/items/${key}";
    start(config);

    engine.submit(
        List.of(
            record(TOPIC, 0, 0, "a", "{\"n\":0}"),
            tombstone(TOPIC, 0, 1, "a"),
            record(TOPIC, 0, 2, "a", "{\"n\":2}")));
    awaitCommitted(new PartitionRef(TOPIC, 0), 3);

    List<Received> requests = target.received();
    assertThat(requests).extracting(Received::method).containsExactly("POST", "DELETE", "POST");
    assertThat(requests).extracting(Received::path).containsOnly("/items/a");
    Received delete = requests.get(1);
    assertThat(delete.text()).isEmpty();
    assertThat(delete.header("Content-Type")).isNull();
    assertThat(delete.header(RequestFactory.IDEMPOTENCY_KEY)).isEqualTo("orders-0-1");
    assertThat(listener.dropped).isEmpty();
  }

  @Test
  void revokeForgetsThePartitionsRecords() {
    Config config = new Config();
    config.maxRecords = 10;
    config.schedule = "0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2";
    config.path = "/ingest/${partition}";
    AtomicBoolean p0Fails = new AtomicBoolean(true);
    target.answer(r -> r.path().equals("/ingest/0") && p0Fails.get() ? 500 : 200);
    start(config);
    PartitionRef p0 = new PartitionRef(TOPIC, 0);
    PartitionRef p1 = new PartitionRef(TOPIC, 1);

    engine.submit(values(0, 0, 2));
    awaitTrue(() -> target.received().size() >= 2);
    engine.revoke(List.of(p0));

    assertThat(engine.buffered()).isZero();
    assertThat(commit()).doesNotContainKey(p0);

    p0Fails.set(false);
    engine.submit(values(1, 0, 1));
    awaitCommitted(p1, 1);
    assertThat(delivered(1)).hasSize(1);
    assertThat(listener.delivered).extracting(PipelineRecord::partition).containsOnly(1);
    assertThat(listener.dropped).isEmpty();
    assertThat(listener.deadLettered).isEmpty();
    assertThat(commit()).doesNotContainKey(p0);

    engine.submit(values(0, 0, 2));
    awaitCommitted(p0, 2);
    assertThat(delivered(3)).hasSize(3);
    assertThat(listener.delivered)
        .filteredOn(r -> r.partition() == 0)
        .extracting(PipelineRecord::offset)
        .containsExactly(0L, 1L);
  }

  @Test
  void requestDelayHoldsRecordsUntilTheirTimestampPlusTheDelay() {
    Config config = new Config();
    config.requestDelay = Duration.ofMillis(700);
    start(config);
    PartitionRef p0 = new PartitionRef(TOPIC, 0);
    long now = System.currentTimeMillis();
    PipelineRecord old = record(TOPIC, 0, 0, now - 60_000, "a", "{\"n\":0}", List.of());
    PipelineRecord fresh = record(TOPIC, 0, 1, now, "b", "{\"n\":1}", List.of());

    engine.submit(List.of(old, fresh));
    assertThat(commit()).as("the fresh record is held").doesNotContainEntry(p0, 2L);
    awaitCommitted(p0, 2);

    List<Received> requests = target.received();
    assertThat(requests)
        .extracting(DeliveryEngineTest::carried)
        .containsExactly(List.of(0L), List.of(1L));
    assertThat(requests.get(0).millis()).as("an old record is due at once").isLessThan(now + 700);
    assertThat(requests.get(1).millis()).isGreaterThanOrEqualTo(now + 700);
  }

  @Test
  void awaitCapacityReturnsFalseWhileTheBufferIsFull() throws Exception {
    Config config = new Config();
    start(config);
    target.hold();

    engine.submit(values(0, 0, 2));
    awaitTrue(() -> target.received().size() == 1);

    assertThat(engine.buffered()).isEqualTo(2);
    long before = System.nanoTime();
    assertThat(engine.awaitCapacity(2, Duration.ofMillis(150))).isFalse();
    assertThat(System.nanoTime() - before).isGreaterThanOrEqualTo(Duration.ofMillis(150).toNanos());
    assertThat(engine.awaitCapacity(3, Duration.ofMillis(150))).isTrue();

    target.release();
    assertThat(engine.awaitCapacity(1, TIMEOUT)).isTrue();
    assertThat(engine.buffered()).isZero();
    assertThat(delivered(2)).containsExactly(0L, 1L);
  }
}
