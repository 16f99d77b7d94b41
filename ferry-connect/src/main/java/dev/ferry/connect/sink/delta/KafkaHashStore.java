package dev.ferry.connect.sink.delta;

import dev.ferry.connect.kafka.KafkaErrors;
import dev.ferry.connect.kafka.KafkaProfile;
import dev.ferry.connect.sink.config.DeltaStoreCluster;
import dev.ferry.pipeline.delta.MemoryHashStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delta's hashes in memory, persisted to a compacted topic: key = entity type and id, value =
 * the 8-byte hash of its data at the last delivery, a tombstone after a delete. Every task of the
 * connector reads the whole topic when it starts and again, up to its end, when it is given
 * partitions, so after a rebalance it knows what the previous owner delivered (that owner flushes
 * its writes before it lets go of its partitions).
 */
public final class KafkaHashStore extends MemoryHashStore {
  private static final Logger log = LoggerFactory.getLogger(KafkaHashStore.class);
  private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(60);

  private final String topic;
  private final KafkaProfile profile;
  private final KafkaProducer<byte[], byte[]> producer;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final AtomicReference<Exception> writeFailure = new AtomicReference<>();

  /**
   * Creates the topic when missing and loads it.
   *
   * @param cluster the store's cluster and the client settings (security included) to reach it
   */
  public KafkaHashStore(DeltaStoreCluster cluster, String topic, int maxEntries, String clientId) {
    super(maxEntries);
    this.topic = topic;
    this.profile = cluster.profile();
    log.info("Delta store {} on {}", topic, cluster);
    ensureTopic(cluster, topic);
    Map<String, Object> producerProps = new HashMap<>(cluster.clientProps());
    producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-delta-writer");
    producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
    producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    producerProps.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    producer =
        new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
    try {
      consumer = load(cluster, clientId);
    } catch (ConnectException e) {
      producer.close(Duration.ZERO);
      throw e;
    } catch (RuntimeException e) {
      producer.close(Duration.ZERO);
      throw failure("Cannot load the delta store topic " + topic, e);
    }
  }

  private KafkaConsumer<byte[], byte[]> load(DeltaStoreCluster cluster, String clientId) {
    Map<String, Object> consumerProps = new HashMap<>(cluster.clientProps());
    consumerProps.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-delta-reader");
    consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<byte[], byte[]> reader =
        new KafkaConsumer<>(
            consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    try {
      List<PartitionInfo> partitions = reader.partitionsFor(topic, LOAD_TIMEOUT);
      reader.assign(
          partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList());
      reader.seekToBeginning(reader.assignment());
      int loaded = read(reader);
      log.info("Delta store {}: {} entity hashes loaded", topic, loaded);
      return reader;
    } catch (RuntimeException e) {
      reader.close(Duration.ZERO);
      throw e;
    }
  }

  private static void ensureTopic(DeltaStoreCluster cluster, String topic) {
    String bootstrap = cluster.bootstrapServers();
    Map<String, Object> adminProps = new HashMap<>(cluster.clientProps());
    adminProps.put(AdminClientConfig.CLIENT_ID_CONFIG, "ferry-delta-store-admin");
    try (Admin admin = Admin.create(adminProps)) {
      NewTopic compacted =
          new NewTopic(topic, Optional.of(1), Optional.empty())
              .configs(
                  Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
      admin.createTopics(List.of(compacted)).all().get(30, TimeUnit.SECONDS);
      log.info("Created the delta store topic {} (compacted)", topic);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new ConnectException(
            "Cannot create the delta store topic "
                + topic
                + " on "
                + bootstrap
                + ": "
                + KafkaErrors.translateForTopic(e.getCause(), cluster.profile(), topic)
                + ". Create it (cleanup.policy=compact) or check delta.store.bootstrap.servers",
            e.getCause());
      }
    } catch (TimeoutException e) {
      throw new ConnectException(
          "The delta store cluster "
              + bootstrap
              + " did not answer within 30 s: check delta.store.bootstrap.servers",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectException("interrupted while creating the delta store topic", e);
    }
  }

  /**
   * Reads what others wrote, up to the topic's current end; returns how many entries it read. Lanes
   * wait meanwhile (they take the same lock), so no delivery lands between a read and its effect on
   * memory.
   */
  public synchronized int catchUp() {
    try {
      return read(consumer);
    } catch (ConnectException e) {
      throw e;
    } catch (RuntimeException e) {
      throw failure("Cannot read the delta store topic " + topic, e);
    }
  }

  private synchronized int read(KafkaConsumer<byte[], byte[]> reader) {
    Map<TopicPartition, Long> end = reader.endOffsets(reader.assignment(), LOAD_TIMEOUT);
    long deadline = System.nanoTime() + LOAD_TIMEOUT.toNanos();
    int read = 0;
    while (!reached(reader, end)) {
      if (System.nanoTime() > deadline) {
        throw new ConnectException(
            "Reading the delta store topic " + topic + " took more than " + LOAD_TIMEOUT);
      }
      Map<String, Long> batch = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
        if (r.key() == null) {
          continue;
        }
        String key = new String(r.key(), StandardCharsets.UTF_8);
        batch.put(key, r.value() == null ? null : ByteBuffer.wrap(r.value()).getLong());
        read++;
      }
      remember(batch);
    }
    return read;
  }

  private static boolean reached(
      KafkaConsumer<byte[], byte[]> reader, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (reader.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** Remembers and writes under one lock, so memory and topic see changes in the same order. */
  @Override
  public synchronized void delivered(Map<String, Long> changes) {
    remember(changes);
    changes.forEach(
        (key, hash) -> {
          // Failures are seen by the callback and reported by flush().
          var unused =
              producer.send(
                  new ProducerRecord<>(
                      topic,
                      key.getBytes(StandardCharsets.UTF_8),
                      hash == null ? null : ByteBuffer.allocate(8).putLong(hash).array()),
                  (meta, e) -> {
                    if (e != null) {
                      writeFailure.compareAndSet(null, e);
                    }
                  });
        });
  }

  /**
   * Waits until every hash handed over is stored; offsets may only be committed after this, or a
   * restart could skip an upsert the target never saw in its latest form.
   */
  public void flush() {
    producer.flush();
    Exception e = writeFailure.get();
    if (e != null) {
      throw failure("Could not write to the delta store topic " + topic, e);
    }
  }

  /** A Kafka failure of the store, as Ferry's answer for its cluster; never a raw message. */
  private ConnectException failure(String what, Throwable e) {
    return new ConnectException(
        what + ": " + KafkaErrors.translateForTopic(e, profile, topic) + " (the delta store)", e);
  }

  @Override
  public void close() {
    try {
      producer.close(Duration.ofSeconds(10));
    } finally {
      synchronized (this) {
        consumer.close(Duration.ofSeconds(5));
      }
    }
  }
}
