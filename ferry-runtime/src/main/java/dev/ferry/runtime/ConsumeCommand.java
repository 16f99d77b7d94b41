package dev.ferry.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ferry consume}: prints what a topic holds now, with keys and headers, e.g. a dead-letter
 * topic and the reasons Ferry put on its records. Reads without a consumer group and stops at the
 * end of the topic.
 */
@Command(
    name = "consume",
    mixinStandardHelpOptions = true,
    description = "Print a topic's records (key, headers, value) from the start to its end.")
final class ConsumeCommand implements Callable<Integer> {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  @Mixin TopicOptions kafka;

  @Option(
      names = "--max",
      paramLabel = "N",
      defaultValue = "1000",
      description = "Print at most N records (default: ${DEFAULT-VALUE}).")
  int max;

  @Override
  public Integer call() {
    Map<String, Object> props =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> partitions = consumer.partitionsFor(kafka.topic, TIMEOUT);
      if (partitions.isEmpty()) {
        System.err.println(
            "ferry consume: no topic " + kafka.topic + " on " + kafka.bootstrapServers);
        return 1;
      }
      List<TopicPartition> assigned =
          partitions.stream().map(p -> new TopicPartition(kafka.topic, p.partition())).toList();
      consumer.assign(assigned);
      consumer.seekToBeginning(assigned);
      Map<TopicPartition, Long> end = consumer.endOffsets(assigned, TIMEOUT);
      int printed = 0;
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (printed < max && !reached(consumer, end) && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (printed == max) {
            break;
          }
          print(r);
          printed++;
        }
      }
      System.out.println(printed + " record(s) from " + kafka.topic);
      return 0;
    } catch (org.apache.kafka.common.KafkaException e) {
      System.err.println("ferry consume: " + e.getMessage());
      return 1;
    }
  }

  private static boolean reached(
      KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static void print(ConsumerRecord<byte[], byte[]> r) {
    StringBuilder line = new StringBuilder();
    line.append(r.topic()).append('/').append(r.partition()).append('@').append(r.offset());
    line.append(" key=").append(text(r.key()));
    for (Header h : r.headers()) {
      line.append("\n  ").append(h.key()).append(": ").append(text(h.value()));
    }
    line.append("\n  ").append(text(r.value()));
    System.out.println(line);
  }

  private static String text(byte[] bytes) {
    return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
  }
}
