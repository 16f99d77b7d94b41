package dev.ferry.bench;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The consumer settings shared by the raw consumer (the ceiling) and Ferry's task consumer (through
 * {@code consumer.override.*}), so that both fetch alike and the gap between them is Ferry's.
 */
final class ConsumerTuning {
  static final int MAX_POLL_RECORDS = 2000;
  static final int MAX_PARTITION_FETCH_BYTES = 8 * 1024 * 1024;
  static final int FETCH_MAX_BYTES = 64 * 1024 * 1024;

  private ConsumerTuning() {}

  /** The settings as consumer properties. */
  static Map<String, String> props() {
    return Map.of(
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(MAX_POLL_RECORDS),
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
            Integer.toString(MAX_PARTITION_FETCH_BYTES),
        ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(FETCH_MAX_BYTES));
  }
}
