package dev.ferry.pipeline.deliver;

/** A topic partition, without Kafka's types. */
public record PartitionRef(String topic, int partition) {
  @Override
  public String toString() {
    return topic + "/" + partition;
  }
}
