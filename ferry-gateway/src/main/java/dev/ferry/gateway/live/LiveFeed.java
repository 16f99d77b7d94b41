package dev.ferry.gateway.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.gateway.ingest.Result;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The recent events and their delivery results, for {@code GET /v1/events/live}: a bounded ring of
 * the last ones, replayed to each new subscriber, then every new one as it becomes final. A
 * subscriber that does not keep up loses events (counted in its stream as a {@code dropped}
 * comment), never slowing the gateway down. Entries hold ids, type, name and the result — not the
 * event's properties or context. An entry is kept as the result itself and turned into JSON only
 * when a viewer reads it, so a gateway nobody watches pays next to nothing for it.
 */
public final class LiveFeed {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SUBSCRIBER_QUEUE = 1024;

  private final int size;
  private final ArrayDeque<Entry> recent;
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

  /**
   * @param size how many recent entries to keep and replay; 0 keeps none
   */
  public LiveFeed(int size) {
    this.size = size;
    this.recent = new ArrayDeque<>(Math.max(1, size));
  }

  /** A final result, when it became final, and how long Kafka took (-1: nothing was sent). */
  private record Entry(Result result, long produceNanos, Instant time) {}

  /** One open stream: take entries from it until it is closed. */
  public final class Subscriber implements AutoCloseable {
    private final BlockingQueue<Entry> queue = new ArrayBlockingQueue<>(SUBSCRIBER_QUEUE);
    private long lost;

    /** The next entry as JSON, or null when none came within {@code millis}. */
    public String poll(long millis) throws InterruptedException {
      Entry e = queue.poll(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
      return e == null ? null : entry(e.result(), e.produceNanos(), e.time());
    }

    /** Entries lost since the last call because this subscriber fell behind. */
    public synchronized long takeLost() {
      long n = lost;
      lost = 0;
      return n;
    }

    private synchronized void offer(Entry entry) {
      if (!queue.offer(entry)) {
        lost++;
      }
    }

    @Override
    public void close() {
      subscribers.remove(this);
    }
  }

  /** Opens a stream that starts with the recent entries. */
  public Subscriber subscribe() {
    Subscriber s = new Subscriber();
    synchronized (recent) {
      recent.forEach(s::offer);
      subscribers.add(s);
    }
    return s;
  }

  /** How many streams are open. */
  public int subscribers() {
    return subscribers.size();
  }

  /** Records a final result. */
  public void publish(Result r, long produceNanos) {
    publish(new Result[] {r}, new long[] {produceNanos});
  }

  /**
   * Records a request's final results, in order.
   *
   * @param produceNanos for each result, how long Kafka took; -1 when nothing was sent
   */
  public void publish(Result[] results, long[] produceNanos) {
    Instant now = Instant.now();
    synchronized (recent) {
      for (int i = 0; i < results.length; i++) {
        Entry entry = new Entry(results[i], produceNanos[i], now);
        if (size > 0) {
          if (recent.size() == size) {
            recent.pollFirst();
          }
          recent.addLast(entry);
        }
        for (Subscriber s : subscribers) {
          s.offer(entry);
        }
      }
    }
  }

  /** The entry as JSON: when, ids, type, name, status, where it was stored, or why not. */
  static String entry(Result r, long produceNanos) {
    return entry(r, produceNanos, Instant.now());
  }

  private static String entry(Result r, long produceNanos, Instant time) {
    ObjectNode e = JSON.createObjectNode();
    e.put("time", time.toString());
    e.put("message_id", r.messageId());
    e.put("event_type", r.eventType());
    e.put("event_name", r.eventName());
    e.put("status", r.status());
    if (r.delivery() != null && r.delivery().accepted()) {
      e.put("topic", r.delivery().topic());
      e.put("partition", r.delivery().partition());
      e.put("offset", r.delivery().offset());
    }
    if (r.duplicate()) {
      e.put("duplicate", true);
    }
    if (!r.reason().isEmpty() && !r.duplicate()) {
      e.put("reason", r.reason());
    }
    if (r.rejection() != null) {
      e.put("message", r.rejection().message());
    } else if (r.failure() != null) {
      e.put("message", r.failure().message());
    }
    if (produceNanos >= 0) {
      e.put("latency_ms", produceNanos / 1_000_000.0);
    }
    return e.toString();
  }
}
