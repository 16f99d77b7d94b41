package dev.ferry.gateway.produce;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Remembers recent {@code message_id}s so that an event sent twice within the window (a client
 * retrying after a lost answer) is produced once: the second copy gets the first one's result. A
 * failed attempt is forgotten, so the retry goes through. Kept in this gateway's memory only:
 * behind a load balancer a retry reaching another instance is produced again (consumers can dedupe
 * by {@code message_id}).
 */
public final class Dedupe {
  private final long windowNanos;
  private final int maxEntries;
  private final LongSupplier clock;

  /** Oldest first: each id is (re)inserted when claimed, and every entry has the same window. */
  private final LinkedHashMap<String, Entry> byId = new LinkedHashMap<>();

  private record Entry(String id, long expires, CompletableFuture<Delivery> result) {}

  public Dedupe(Duration window, int maxEntries) {
    this(window, maxEntries, System::nanoTime);
  }

  Dedupe(Duration window, int maxEntries, LongSupplier clock) {
    this.windowNanos = window.toNanos();
    this.maxEntries = maxEntries;
    this.clock = clock;
  }

  /** False when the window is zero or holds no entries: nothing is remembered. */
  public boolean enabled() {
    return windowNanos > 0 && maxEntries > 0;
  }

  /**
   * The result of an earlier event with this id still in the window, or null after remembering
   * {@code result} as this id's.
   */
  public synchronized CompletableFuture<Delivery> claim(
      String topic, String id, CompletableFuture<Delivery> result) {
    long now = clock.getAsLong();
    expire(now);
    String key = topic + '\u0000' + id;
    Entry known = byId.get(key);
    if (known != null) {
      return known.result();
    }
    Entry entry = new Entry(key, now + windowNanos, result);
    byId.put(key, entry);
    Iterator<Entry> oldest = byId.values().iterator();
    while (byId.size() > maxEntries) {
      oldest.next();
      oldest.remove();
    }
    var unused =
        result.whenComplete(
            (delivery, error) -> {
              if (error != null || delivery == null || !delivery.accepted()) {
                forget(entry);
              }
            });
    return null;
  }

  private synchronized void forget(Entry entry) {
    byId.remove(entry.id(), entry);
  }

  private void expire(long now) {
    Iterator<Entry> oldest = byId.values().iterator();
    while (oldest.hasNext() && oldest.next().expires() - now <= 0) {
      oldest.remove();
    }
  }

  /** How many ids are remembered now. */
  public synchronized int size() {
    return byId.size();
  }
}
