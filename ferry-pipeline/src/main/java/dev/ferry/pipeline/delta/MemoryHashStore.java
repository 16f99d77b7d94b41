package dev.ferry.pipeline.delta;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded hash store in memory: when full, the entity used least recently is forgotten (its next
 * upsert is then sent even if unchanged; nothing is ever skipped wrongly).
 */
public class MemoryHashStore implements HashStore {
  private final int maxEntries;
  private final LinkedHashMap<String, Long> hashes;

  public MemoryHashStore(int maxEntries) {
    this.maxEntries = maxEntries;
    this.hashes =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MemoryHashStore.this.maxEntries;
          }
        };
  }

  @Override
  public synchronized Long get(String key) {
    return hashes.get(key);
  }

  @Override
  public void delivered(Map<String, Long> changes) {
    remember(changes);
  }

  /** Takes changes into memory only: for loading, and for subclasses that also persist them. */
  protected final synchronized void remember(Map<String, Long> changes) {
    changes.forEach(
        (key, hash) -> {
          if (hash == null) {
            hashes.remove(key);
          } else {
            hashes.put(key, hash);
          }
        });
  }

  public synchronized int size() {
    return hashes.size();
  }
}
