package dev.ferry.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;

/**
 * The records of a topic: end offsets less start offsets, summed over its partitions. Exact for the
 * idempotent, non-transactional producers of the benchmark (no control records).
 */
final class TopicSize implements AutoCloseable {
  private final Admin admin;

  TopicSize(String bootstrapServers) {
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }

  /** The records of {@code topic} now. */
  long records(String topic, int partitions) {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
      earliest.put(new TopicPartition(topic, p), OffsetSpec.earliest());
    }
    try {
      return sum(admin.listOffsets(latest)) - sum(admin.listOffsets(earliest));
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not list the offsets of " + topic, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Deletes every record of {@code topic} (its log start moves to the end), so that repeated runs
   * do not pile gigabytes up on disk.
   */
  void truncate(String topic, int partitions) {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    try {
      Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
      admin
          .listOffsets(latest)
          .all()
          .get()
          .forEach((tp, info) -> delete.put(tp, RecordsToDelete.beforeOffset(info.offset())));
      admin.deleteRecords(delete).all().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not delete the records of " + topic, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static long sum(ListOffsetsResult result)
      throws ExecutionException, InterruptedException {
    long total = 0;
    for (ListOffsetsResult.ListOffsetsResultInfo info : result.all().get().values()) {
      total += info.offset();
    }
    return total;
  }

  @Override
  public void close() {
    admin.close();
  }
}
