package dev.ferry.gateway.produce;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
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
  private final Map<String, Entry> byId = new HashMap<>();
  private final ArrayDeque<Entry> byAge = new ArrayDeque<>();

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
    byAge.addLast(entry);
    while (byId.size() > maxEntries) {
      Entry oldest = byAge.pollFirst();
      byId.remove(oldest.id(), oldest);
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
    while (!byAge.isEmpty() && byAge.peekFirst().expires() - now <= 0) {
      Entry old = byAge.pollFirst();
      byId.remove(old.id(), old);
    }
  }

  /** How many ids are remembered now. */
  public synchronized int size() {
    return byId.size();
  }
}
