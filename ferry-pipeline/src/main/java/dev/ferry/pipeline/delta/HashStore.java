package dev.ferry.pipeline.delta;

import java.util.Map;

/**
 * The content hash of every entity at its last successful delivery, by {@link
 * dev.ferry.pipeline.shape.Entity#key()}. Implementations are bounded and safe for several threads.
 */
public interface HashStore extends AutoCloseable {

  /** The hash of the entity's data when it was last delivered, or null when unknown or deleted. */
  Long get(String key);

  /** Records deliveries: a hash for an upsert, null for a delete. */
  void delivered(Map<String, Long> changes);

  @Override
  default void close() {}
}
