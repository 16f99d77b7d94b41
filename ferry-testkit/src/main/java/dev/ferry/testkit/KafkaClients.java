package dev.ferry.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;

/** The shared producer and admin client of a {@link ConnectTestCluster}, made on first use. */
final class KafkaClients implements AutoCloseable {

  private final EmbeddedKafkaCluster kafka;
  private KafkaProducer<byte[], byte[]> producer;
  private Admin admin;

  KafkaClients(EmbeddedKafkaCluster kafka) {
    this.kafka = kafka;
  }

  /** Sends all records and waits until each is acknowledged. */
  void produce(String topic, List<ProducerRecord<byte[], byte[]>> records) {
    KafkaProducer<byte[], byte[]> p = producer();
    List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
    for (ProducerRecord<byte[], byte[]> r : records) {
      if (!topic.equals(r.topic())) {
        throw new IllegalArgumentException("record for " + r.topic() + " in a batch for " + topic);
      }
      acks.add(p.send(r));
    }
    p.flush();
    for (Future<RecordMetadata> ack : acks) {
      get(ack, "produce to " + topic);
    }
  }

  /** The offsets committed by {@code groupId}, without partitions that have none. */
  Map<TopicPartition, OffsetAndMetadata> committedOffsets(String groupId) {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        get(
            admin().listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata(),
            "read the offsets of " + groupId);
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    offsets.forEach(
        (tp, om) -> {
          if (om != null) {
            out.put(tp, om);
          }
        });
    return out;
  }

  private synchronized KafkaProducer<byte[], byte[]> producer() {
    if (producer == null) {
      Map<String, Object> props = new HashMap<>();
      props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
      props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
      props.put(ProducerConfig.ACKS_CONFIG, "all");
      producer = kafka.createProducer(props);
    }
    return producer;
  }

  private synchronized Admin admin() {
    if (admin == null) {
      admin = kafka.createAdminClient();
    }
    return admin;
  }

  private static <T> T get(Future<T> future, String what) {
    try {
      return future.get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while trying to " + what, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not " + what, e);
    }
  }

  @Override
  public synchronized void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
      producer = null;
    }
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
      admin = null;
    }
  }
}
