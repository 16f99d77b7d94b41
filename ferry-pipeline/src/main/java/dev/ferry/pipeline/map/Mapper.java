package dev.ferry.pipeline.map;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Maps one decoded message to 0..n results. Safe to call from several threads at once. */
public interface Mapper extends AutoCloseable {

  /**
   * The mapping's results for one message, in order: empty when the mapping gives nothing (the
   * message is skipped), the elements of an array result (nulls dropped), otherwise the one result.
   *
   * @throws MappingException when the mapping fails for this message or runs out of time
   * @throws IllegalStateException when the mapper is closed
   */
  List<JsonNode> map(JsonNode message, MessageMeta meta) throws MappingException;

  /** Releases the engine and every per-thread state; the mapper cannot be used afterwards. */
  @Override
  void close();
}
