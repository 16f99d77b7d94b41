package dev.ferry.gateway;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads what a topic holds now, the way a downstream consumer sees it (partition 0; the tests'
 * topics have one). One consumer, for one test thread.
 */
final class TopicReader implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final KafkaConsumer<byte[], byte[]> consumer;

  TopicReader(String bootstrap) {
    Map<String, Object> props =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false);
    this.consumer = new KafkaConsumer<>(props);
  }

  /** Every record of {@code topic}, up to its end offset now. */
  List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    TopicPartition tp = new TopicPartition(topic, 0);
    consumer.assign(List.of(tp));
    consumer.seekToBeginning(List.of(tp));
    long end = consumer.endOffsets(List.of(tp), WAIT).get(tp);
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    Instant deadline = Instant.now().plus(WAIT);
    while (consumer.position(tp, WAIT) < end) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(
            "read " + out.size() + " records of " + topic + ", not up to offset " + end);
      }
      consumer.poll(Duration.ofMillis(100)).records(tp).forEach(out::add);
    }
    return out;
  }

  /** The record at {@code offset} of {@code topic}. */
  ConsumerRecord<byte[], byte[]> at(String topic, long offset) {
    TopicPartition tp = new TopicPartition(topic, 0);
    consumer.assign(List.of(tp));
    consumer.seek(tp, offset);
    Instant deadline = Instant.now().plus(WAIT);
    while (Instant.now().isBefore(deadline)) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100)).records(tp)) {
        if (r.offset() == offset) {
          return r;
        }
        if (r.offset() > offset) {
          throw new AssertionError("no record at offset " + offset + " of " + topic);
        }
      }
    }
    throw new AssertionError("no record at offset " + offset + " of " + topic + " within " + WAIT);
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }

  static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : text(h.value());
  }
}
