package dev.ferry.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The ceiling: a plain {@link KafkaConsumer} with byte-array deserializers that reads a topic from
 * the beginning and does nothing with the records. Timed from the first poll that returns records
 * to the last record, like the Ferry runs are timed from the first request to the last record.
 */
final class RawConsumerCeiling {
  private static final Duration POLL = Duration.ofMillis(500);

  private final String bootstrapServers;

  RawConsumerCeiling(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  /** Reads {@code n} records of {@code topic} from offset 0 of every partition. */
  Throughput measure(String topic, int partitions, long n, Duration timeout) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props())) {
      List<TopicPartition> all = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        all.add(new TopicPartition(topic, p));
      }
      consumer.assign(all);
      consumer.seekToBeginning(all);
      long deadline = System.nanoTime() + timeout.toNanos();
      long count = 0;
      long bytes = 0;
      long first = 0;
      CpuSnapshot cpuStart = null;
      while (count < n) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the raw consumer read " + count + " of " + n + " records within " + timeout);
        }
        ConsumerRecords<byte[], byte[]> batch = consumer.poll(POLL);
        if (batch.isEmpty()) {
          continue;
        }
        if (first == 0) {
          first = System.nanoTime();
          cpuStart = CpuSnapshot.take();
        }
        for (ConsumerRecord<byte[], byte[]> r : batch) {
          count++;
          bytes += r.value().length;
        }
      }
      long nanos = System.nanoTime() - first;
      CpuUsage cpu = CpuUsage.between(cpuStart, CpuSnapshot.take());
      if (bytes <= 0) {
        throw new IllegalStateException("read " + count + " records without bytes");
      }
      return new Throughput(count, nanos, cpu);
    }
  }

  private Map<String, Object> props() {
    Map<String, Object> p = new HashMap<>(ConsumerTuning.props());
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return p;
  }
}
