package dev.ferry.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces records at a steady rate, each stamped with {@link BenchClock#nanos()} just before it is
 * handed to the producer (the moment its Kafka timestamp is taken), for latency phases.
 */
final class SteadyProducer implements AutoCloseable {
  private static final long TICK_NANOS = Duration.ofMillis(1).toNanos();

  private final KafkaProducer<byte[], byte[]> producer;
  private final RecordValues values;
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private long nextSeq;

  SteadyProducer(String bootstrapServers, RecordValues values) {
    this.values = values;
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.ACKS_CONFIG, "1");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    this.producer = new KafkaProducer<>(p);
  }

  /**
   * Sends {@code rate} records per second for {@code duration}, spread round-robin over the
   * partitions, then flushes.
   *
   * @return the records sent
   */
  long produce(String topic, int partitions, int rate, Duration duration) {
    long total = Math.max(1, rate * duration.toNanos() / 1_000_000_000L);
    long start = System.nanoTime();
    long sent = 0;
    while (sent < total) {
      long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L + 1);
      for (; sent < due; sent++) {
        long seq = nextSeq++;
        byte[] value = values.timedValue(seq, BenchClock.nanos());
        Future<RecordMetadata> unused =
            producer.send(
                new ProducerRecord<>(topic, (int) (seq % partitions), RecordValues.key(seq), value),
                (meta, e) -> {
                  if (e != null) {
                    failure.compareAndSet(null, e);
                  }
                });
      }
      LockSupport.parkNanos(TICK_NANOS);
    }
    producer.flush();
    if (failure.get() != null) {
      throw new IllegalStateException("could not produce to " + topic, failure.get());
    }
    return sent;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
