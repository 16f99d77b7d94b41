package dev.ferry.pipeline.map;

import java.util.Map;

/**
 * What a mapping may know about the Kafka message besides its value.
 *
 * @param key the key as text, or null
 * @param timestamp the timestamp in epoch milliseconds, or -1 when there is none
 * @param headers the last value of each header, in the order the headers came; never null
 */
public record MessageMeta(
    String topic,
    int partition,
    long offset,
    String key,
    long timestamp,
    Map<String, String> headers) {

  public MessageMeta {
    headers = headers == null ? Map.of() : headers;
  }

  /** Where the message came from, for error messages: {@code topic/partition@offset}. */
  public String position() {
    return topic + "/" + partition + "@" + offset;
  }
}
