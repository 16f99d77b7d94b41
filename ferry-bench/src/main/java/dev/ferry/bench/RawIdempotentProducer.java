package dev.ferry.bench;

import dev.ferry.gateway.GatewayConfig;
import dev.ferry.gateway.event.Envelope;
import dev.ferry.gateway.event.EventReader;
import dev.ferry.gateway.produce.EventProducer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;

/**
 * The ceiling of {@code ferry-bench gateway}: one {@link KafkaProducer} with the gateway's own
 * producer settings ({@code EventProducer.settings}: idempotent, {@code acks=all}, the same linger,
 * batch size and compression) sending, from one thread and as fast as it takes them, the very
 * records the gateway would write for the benchmark's events (envelope, key, headers, built before
 * the clock starts), then waiting for every acknowledgement.
 */
final class RawIdempotentProducer {
  /** The client id, which names the producer's I/O thread for the CPU table. */
  static final String CLIENT_ID = "ferry-bench-raw";

  private final Map<String, Object> props;
  private final List<Outgoing> pool;

  private record Outgoing(byte[] key, byte[] value, List<Header> headers) {}

  /**
   * @param config the gateway's config, for the envelope (topic routes, key fields)
   * @param events the events, each wrapped once into a record of the pool
   */
  RawIdempotentProducer(String bootstrapServers, GatewayConfig config, GatewayEvents events) {
    // As the gateway builds its producer: client settings, then its gateway.producer.* overrides.
    Map<String, Object> client = new HashMap<>();
    client.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    client.putAll(config.producerOverrides());
    client.put(ProducerConfig.CLIENT_ID_CONFIG, CLIENT_ID);
    this.props = new HashMap<>(EventProducer.settings(client));
    Envelope envelope = new Envelope(config);
    EventReader reader =
        new EventReader(config.maxEventBytes(), config.maxEventsPerRequest(), config.keyFields());
    Envelope.Received now = Envelope.Received.of(Instant.now());
    this.pool = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      Envelope.Outgoing out;
      try {
        out = envelope.wrap(reader.read(events.event(i), false).get(0).event(), now);
      } catch (EventReader.BadBody e) {
        throw new IllegalStateException("a benchmark event is not JSON", e);
      }
      pool.add(new Outgoing(out.key(), out.value(), List.copyOf(EventProducer.headers(out))));
    }
  }

  /** The settings that matter for throughput, as {@code key=value} pairs. */
  String describeSettings() {
    StringBuilder s = new StringBuilder();
    for (String key :
        new String[] {
          ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
          ProducerConfig.ACKS_CONFIG,
          ProducerConfig.LINGER_MS_CONFIG,
          ProducerConfig.BATCH_SIZE_CONFIG,
          ProducerConfig.COMPRESSION_TYPE_CONFIG
        }) {
      if (s.length() > 0) {
        s.append(", ");
      }
      s.append(key).append('=').append(props.get(key));
    }
    return s.toString();
  }

  /** The average size of the records' values (the envelopes) in bytes. */
  double averageValueBytes() {
    long total = 0;
    for (Outgoing o : pool) {
      total += o.value().length;
    }
    return (double) total / pool.size();
  }

  /**
   * Sends {@code n} records to {@code topic} with a fresh producer and waits for every
   * acknowledgement; timed from the first send to the last acknowledgement (the producer's start,
   * metadata included, is not timed: the gateway's producer is running before its first request).
   */
  GatewayResult.Raw measure(String topic, long n) {
    AtomicReference<Exception> failure = new AtomicReference<>();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      if (producer.partitionsFor(topic).isEmpty()) {
        throw new IllegalStateException("topic " + topic + " has no partitions");
      }
      CpuSnapshot before = CpuSnapshot.take();
      long start = System.nanoTime();
      for (long i = 0; i < n && failure.get() == null; i++) {
        Outgoing o = pool.get((int) (i % pool.size()));
        Future<RecordMetadata> unused =
            producer.send(
                new ProducerRecord<>(topic, null, null, o.key(), o.value(), o.headers()),
                (meta, e) -> {
                  if (e != null) {
                    failure.compareAndSet(null, e);
                  }
                });
      }
      producer.flush();
      long nanos = System.nanoTime() - start;
      GatewayCpu cpu = GatewayCpu.between(before, CpuSnapshot.take(), 0);
      if (failure.get() != null) {
        throw new IllegalStateException("the raw producer failed", failure.get());
      }
      return new GatewayResult.Raw(n, nanos, cpu);
    }
  }
}
