package dev.ferry.gateway.produce;

/**
 * Where Kafka stored an event, or why it did not.
 *
 * @param topic the topic
 * @param partition the partition, -1 when not stored
 * @param offset the offset, -1 when not stored
 * @param failure why it was not stored, or null
 */
public record Delivery(String topic, int partition, long offset, Failure failure) {

  public static Delivery stored(String topic, int partition, long offset) {
    return new Delivery(topic, partition, offset, null);
  }

  public static Delivery failed(String topic, Failure failure) {
    return new Delivery(topic, -1, -1, failure);
  }

  public boolean accepted() {
    return failure == null;
  }
}
