package dev.ferry.pipeline.deliver;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One ordered queue with one request in flight at a time. Records that must keep their order (same
 * partition, or same key) always land in the same lane, so they never overtake each other, also
 * across retries.
 */
final class Lane implements Runnable {
  private final DeliveryEngine engine;
  private final DeliverySettings settings;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Item> queue = new ArrayDeque<>();
  private long queuedBytes;
  private boolean closed;

  Lane(DeliveryEngine engine, DeliverySettings settings) {
    this.engine = engine;
    this.settings = settings;
  }

  void addAll(List<Item> items) {
    lock.lock();
    try {
      for (Item item : items) {
        queue.addLast(item);
        queuedBytes += item.record.size();
      }
      changed.signal();
    } finally {
      lock.unlock();
    }
  }

  void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits without holding records; false when the lane closed meanwhile. */
  boolean pause(long nanos) throws InterruptedException {
    lock.lock();
    try {
      long left = nanos;
      while (!closed && left > 0) {
        left = changed.awaitNanos(left);
      }
      return !closed;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void run() {
    BatchSender sender = new BatchSender(engine, settings, this);
    try {
      List<Item> batch;
      while ((batch = nextBatch()) != null) {
        sender.deliver(batch);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      engine.fail("unexpected error in a delivery lane: " + e, e);
    }
  }

  /** The next batch to send, once due and full or lingered; null when closed. */
  private List<Item> nextBatch() throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        if (closed) {
          return null;
        }
        Item head = queue.peekFirst();
        while (head != null && head.isCancelled()) {
          take();
          head = queue.peekFirst();
        }
        if (head == null) {
          changed.await();
          continue;
        }
        long untilDue = head.dueMillis - System.currentTimeMillis();
        if (untilDue > 0) {
          changed.await(untilDue, TimeUnit.MILLISECONDS);
          continue;
        }
        boolean batches = settings.maxRecords() > 1 && !isRawTombstone(head);
        if (batches) {
          boolean full =
              queue.size() >= settings.maxRecords() || queuedBytes >= settings.maxBytes();
          long untilLinger = head.enqueuedNanos + settings.linger().toNanos() - System.nanoTime();
          if (!full && untilLinger > 0) {
            changed.awaitNanos(untilLinger);
            continue;
          }
        }
        return takeBatch(batches);
      }
    } finally {
      lock.unlock();
    }
  }

  private List<Item> takeBatch(boolean batches) {
    List<Item> batch = new ArrayList<>(batches ? Math.min(queue.size(), settings.maxRecords()) : 1);
    Item first = take();
    batch.add(first);
    long bytes = first.record.size();
    long now = System.currentTimeMillis();
    while (batches && batch.size() < settings.maxRecords()) {
      Item next = queue.peekFirst();
      if (next == null
          || isRawTombstone(next)
          || next.dueMillis > now
          || bytes + next.record.size() > settings.maxBytes()
          || !Objects.equals(next.group, first.group)) {
        break;
      }
      take();
      if (!next.isCancelled()) {
        batch.add(next);
        bytes += next.record.size();
      }
    }
    return batch;
  }

  /** A tombstone sent as a DELETE request of its own, not as an entity delete in a batch. */
  private boolean isRawTombstone(Item item) {
    return item.record.isTombstone() && !engine.stages().shapesTombstones();
  }

  private Item take() {
    Item item = queue.pollFirst();
    queuedBytes -= item.record.size();
    return item;
  }
}
