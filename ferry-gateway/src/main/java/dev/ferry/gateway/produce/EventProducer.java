package dev.ferry.gateway.produce;

import dev.ferry.gateway.event.Envelope;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The gateway's one Kafka producer, shared by all requests: idempotent, {@code acks=all}, so an
 * acknowledged event is on every in-sync replica and a retried batch is not written twice. It also
 * bounds the bytes waiting for acknowledgement, so a slow or absent Kafka turns into 429s instead
 * of exhausting memory.
 */
public final class EventProducer implements AutoCloseable {

  private final Producer<byte[], byte[]> producer;
  private final long maxInFlightBytes;
  private final TopicCheck topics;
  private final AtomicLong inFlightBytes = new AtomicLong();
  private final Map<String, Long> missingTopics = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<?>> checks = new ConcurrentHashMap<>();
  private final Map<String, Warm> warm = new ConcurrentHashMap<>();
  private final long warmNanos;
  private final long batchSize;
  private final Metric bufferAvailable;
  private final long bufferMemory;

  /**
   * A topic Kafka stored an event in lately, so that the producer has its metadata.
   *
   * @param nanos when ({@link System#nanoTime})
   * @param partitions its partitions: a request can open a batch in each
   */
  private record Warm(long nanos, int partitions) {}

  /**
   * How long a topic Kafka said does not exist is answered {@code unknown_topic} at once, so that
   * events for it do not each hold a request thread for {@code max.block.ms}; a topic created
   * meanwhile is written to at most this long after.
   */
  public static final Duration MISSING_TOPIC_MEMORY = Duration.ofSeconds(10);

  private static final Duration ANSWER_WAIT = Duration.ofSeconds(5);

  /**
   * Asks Kafka whether a topic exists: the producer itself cannot tell a missing topic from an
   * unreachable Kafka (it waits {@code max.block.ms} for the topic's metadata either way).
   */
  @FunctionalInterface
  public interface TopicCheck {
    /** True or false when Kafka answered; completes exceptionally when it did not. */
    CompletableFuture<Boolean> exists(String topic);
  }

  /**
   * @param clientProps the Kafka client settings (bootstrap, security), then the user's producer
   *     overrides; the gateway's durability settings are applied last and cannot be weakened
   * @param maxInFlightBytes {@link #tryReserve} refuses above this
   * @param topics asked when a topic's metadata did not come, to tell {@code unknown_topic} from
   *     {@code kafka_unavailable}
   */
  public EventProducer(Map<String, Object> clientProps, long maxInFlightBytes, TopicCheck topics) {
    Map<String, Object> settings = settings(clientProps);
    this.producer = new KafkaProducer<>(settings);
    // A topic counts as warm for at most a minute, and well within metadata.max.idle.ms (5
    // minutes by default), after which the producer forgets the metadata of a topic it does not
    // write to and send() fetches it again.
    long idleMs = number(settings, ProducerConfig.METADATA_MAX_IDLE_CONFIG, 300_000);
    this.warmNanos = Duration.ofMillis(Math.min(60_000, idleMs / 2)).toNanos();
    this.batchSize = number(settings, ProducerConfig.BATCH_SIZE_CONFIG, 16_384);
    this.bufferAvailable = metric(producer, "buffer-available-bytes");
    this.bufferMemory = number(settings, ProducerConfig.BUFFER_MEMORY_CONFIG, 32 * 1024 * 1024);
    this.maxInFlightBytes = maxInFlightBytes;
    this.topics = topics;
  }

  /**
   * The producer settings: sensible defaults, the given ones, then the fixed durability ones.
   * Public for the benchmark's raw producer, which must run with exactly these.
   */
  public static Map<String, Object> settings(Map<String, Object> clientProps) {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "ferry-gateway");
    // Each answer waits for the linger in sync mode; concurrent requests fill the batches anyway
    // (1 ms: 3.4 times the events/s of 5 ms with one-event requests, the same with 100-event ones).
    props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    props.putAll(clientProps);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return props;
  }

  /**
   * Reserves room for {@code bytes} of events not yet acknowledged; false when the gateway already
   * waits on too many (answer 429). A request larger than the whole allowance passes when nothing
   * else is waiting. Give the room back with {@link #release}.
   */
  public boolean tryReserve(long bytes) {
    while (true) {
      long now = inFlightBytes.get();
      if (now > 0 && now + bytes > maxInFlightBytes) {
        return false;
      }
      if (inFlightBytes.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  public void release(long bytes) {
    inFlightBytes.addAndGet(-bytes);
  }

  /**
   * Whether {@link #send} may wait for {@code events} events of {@code topic}: for the metadata of
   * a topic Kafka has not stored an event in lately ({@code KafkaProducer.send} fetches it, up to
   * {@code max.block.ms} for a topic that does not exist), or for room in the producer's buffer
   * when a batch in each partition they may go to would leave less than a quarter of it free.
   */
  public boolean mayBlock(String topic, int events) {
    Warm w = warm.get(topic);
    if (w == null || System.nanoTime() - w.nanos() > warmNanos) {
      return true;
    }
    if (bufferAvailable == null) {
      return false;
    }
    double available = ((Number) bufferAvailable.metricValue()).doubleValue();
    return available - (double) Math.min(events, w.partitions()) * batchSize < bufferMemory / 4.0;
  }

  /**
   * Notes that Kafka stored an event in {@code topic} (so its metadata is at hand). Call it where
   * waiting is allowed: now and then it asks the producer for the topic's partitions.
   */
  public void stored(String topic) {
    long now = System.nanoTime();
    Warm w = warm.get(topic);
    if (w == null || now - w.nanos() > warmNanos / 8) {
      try {
        warm.put(topic, new Warm(now, producer.partitionsFor(topic).size()));
      } catch (RuntimeException e) {
        warm.remove(topic); // the metadata is gone after all
      }
    }
  }

  /** Bytes of events waiting for Kafka's acknowledgement. */
  public long inFlightBytes() {
    return inFlightBytes.get();
  }

  /**
   * Sends one event; the future completes when Kafka acknowledged it or gave up. An event for a
   * topic Kafka said does not exist, less than {@link #MISSING_TOPIC_MEMORY} ago, fails at once
   * instead of waiting {@code max.block.ms} for the topic again.
   */
  public CompletableFuture<Delivery> send(Envelope.Outgoing event, boolean mayWait) {
    CompletableFuture<Delivery> result = new CompletableFuture<>();
    send(event, result::complete, mayWait);
    return result;
  }

  /**
   * As {@link #send(Envelope.Outgoing, boolean)}, telling {@code done} instead of completing a
   * future: once, on Kafka's I/O thread (or on this thread when the event fails before it is sent).
   * The request path uses this one: no future to make and complete per event.
   *
   * @param mayWait false on a thread that must not wait beyond what {@link #mayBlock} foresees
   */
  public void send(Envelope.Outgoing event, Consumer<Delivery> done, boolean mayWait) {
    Long missingSince = missingTopics.get(event.topic());
    if (missingSince != null) {
      long ago = System.nanoTime() - missingSince;
      if (ago < MISSING_TOPIC_MEMORY.toNanos()) {
        done.accept(Delivery.failed(event.topic(), Failure.stillMissing(event.topic(), ago)));
        return;
      }
      missingTopics.remove(event.topic(), missingSince);
    }
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            event.topic(),
            null,
            event.timestamp() == Envelope.Outgoing.PRODUCER_CLOCK ? null : event.timestamp(),
            event.key(),
            event.value(),
            headers(event));
    try {
      Future<RecordMetadata> sent =
          producer.send(
              record,
              (metadata, error) -> {
                if (error != null) {
                  fail(event.topic(), error, done);
                } else {
                  done.accept(
                      Delivery.stored(metadata.topic(), metadata.partition(), metadata.offset()));
                }
              });
      CompletableFuture<?> check = mayWait && sent.isDone() ? checks.get(event.topic()) : null;
      if (check != null) {
        // The producer gave up before sending: its wait for the topic's metadata timed out (it
        // then calls back on this thread and returns a failed future). This request thread
        // already waited max.block.ms: wait for Kafka's answer whether the topic exists too, so
        // that the request's next events for it are answered from memory instead of waiting.
        awaitQuietly(check);
      }
    } catch (RuntimeException e) {
      // send() itself throws for a closed producer.
      fail(event.topic(), e, done);
    }
  }

  private static long number(Map<String, Object> settings, String key, long fallback) {
    Object value = settings.get(key);
    try {
      return value == null ? fallback : Long.parseLong(String.valueOf(value).strip());
    } catch (NumberFormatException e) {
      return fallback; // KafkaProducer accepted it, so it is a number of another spelling
    }
  }

  private static Metric metric(Producer<?, ?> producer, String name) {
    return producer.metrics().entrySet().stream()
        .filter(
            e -> e.getKey().name().equals(name) && e.getKey().group().equals("producer-metrics"))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }

  private static void awaitQuietly(CompletableFuture<?> result) {
    try {
      var unused = result.get(ANSWER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // The event's own result says what happened; only the wait is over.
    }
  }

  private static UnknownTopicOrPartitionException missing(String topic) {
    return new UnknownTopicOrPartitionException("topic " + topic + " does not exist");
  }

  /**
   * Completes {@code result} with the failure; when the topic's metadata never came, asks Kafka
   * whether the topic exists first (without blocking the producer's thread).
   */
  private void fail(String topic, Throwable error, Consumer<Delivery> done) {
    if (!Failure.isMissingMetadata(error)) {
      done.accept(Delivery.failed(topic, Failure.of(error, topic)));
      return;
    }
    warm.remove(topic); // the next requests for it are sent where waiting is allowed
    CompletableFuture<Boolean> exists;
    try {
      exists = topics.exists(topic);
    } catch (RuntimeException e) {
      exists = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Boolean> check =
        exists.whenComplete(
            (known, checkError) -> {
              boolean absent = Boolean.FALSE.equals(known);
              if (absent) {
                missingTopics.put(topic, System.nanoTime());
              }
              Throwable cause = absent ? missing(topic) : error;
              done.accept(Delivery.failed(topic, Failure.of(cause, topic)));
            });
    checks.put(topic, check);
    var unused = check.whenComplete((known, checkError) -> checks.remove(topic, check));
  }

  /**
   * The seed's headers of an event's message — content-type, event_type and event_name — and the
   * request headers named by {@code gateway.forward.headers}.
   */
  public static List<Header> headers(Envelope.Outgoing event) {
    return MessageHeaders.of(event);
  }

  @Override
  public void close() {
    producer.close();
  }
}
