package dev.ferry.bench;

import org.apache.kafka.clients.producer.ProducerRecord;

/** The records a {@link Preloader} writes: record {@code i} of a topic, built on demand. */
@FunctionalInterface
interface RecordSource {

  /**
   * Record {@code i} (called with {@code i = 0, 1, 2, ...} in order, from one thread).
   *
   * @param partitions the topic's partitions, for sources that choose the partition themselves
   */
  ProducerRecord<byte[], byte[]> record(String topic, int partitions, long i);
}
