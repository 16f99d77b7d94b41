package dev.ferry.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Fills a topic with {@code n} records of a {@link RecordSource} as fast as one batching producer
 * can (no compression, acks from the broker); the time it takes is the raw producer rate of this
 * machine.
 */
final class Preloader {
  private final String bootstrapServers;
  private final RecordSource source;

  Preloader(String bootstrapServers, RecordSource source) {
    this.bootstrapServers = bootstrapServers;
    this.source = source;
  }

  /** Produces records {@code 0..n-1} to {@code topic} and waits until all are acknowledged. */
  Throughput load(String topic, int partitions, long n) {
    AtomicReference<Exception> failure = new AtomicReference<>();
    long start = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props())) {
      for (long i = 0; i < n && failure.get() == null; i++) {
        ProducerRecord<byte[], byte[]> r = source.record(topic, partitions, i);
        Future<RecordMetadata> unused =
            producer.send(
                r,
                (meta, e) -> {
                  if (e != null) {
                    failure.compareAndSet(null, e);
                  }
                });
      }
      producer.flush();
    }
    long nanos = System.nanoTime() - start;
    if (failure.get() != null) {
      throw new IllegalStateException("could not pre-load " + topic, failure.get());
    }
    return new Throughput(n, nanos);
  }

  private Map<String, Object> props() {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.ACKS_CONFIG, "1");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 256L * 1024 * 1024);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Duration.ofMinutes(5).toMillis());
    return p;
  }
}
