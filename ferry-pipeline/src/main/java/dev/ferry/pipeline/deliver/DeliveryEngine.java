package dev.ferry.pipeline.deliver;

import dev.ferry.http.HttpSender;
import dev.ferry.http.outcome.Outcome;
import dev.ferry.http.outcome.OutcomeClassifier;
import dev.ferry.pipeline.record.PipelineRecord;
import dev.ferry.pipeline.request.RequestFactory;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Delivers records to the target through ordered lanes, and knows which offsets are safe to commit:
 * those whose records, and all before them in their partition, were delivered, dropped by choice or
 * dead-lettered.
 *
 * <p>{@link #submit}, {@link #committable} and {@link #revoke} are called from one thread (the
 * task's); lanes run on their own threads.
 */
public final class DeliveryEngine implements AutoCloseable {
  private final DeliverySettings settings;
  private final HttpSender sender;
  private final RequestFactory requests;
  private final OutcomeClassifier classifier;
  private final DeliveryListener listener;
  private final Stages stages;
  private final Lane[] lanes;
  private final Thread[] threads;
  private final Map<PartitionRef, Partition> partitions = new HashMap<>();
  private int nextLane;
  private final AtomicLong buffered = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  private final Object capacity = new Object();

  public DeliveryEngine(
      DeliverySettings settings,
      HttpSender sender,
      RequestFactory requests,
      OutcomeClassifier classifier,
      DeliveryListener listener,
      String name) {
    this(settings, sender, requests, classifier, listener, Stages.NONE, name);
  }

  public DeliveryEngine(
      DeliverySettings settings,
      HttpSender sender,
      RequestFactory requests,
      OutcomeClassifier classifier,
      DeliveryListener listener,
      Stages stages,
      String name) {
    this.stages = stages;
    this.settings = settings;
    this.sender = sender;
    this.requests = requests;
    this.classifier = classifier;
    this.listener = listener;
    this.lanes = new Lane[settings.lanes()];
    this.threads = new Thread[settings.lanes()];
    for (int i = 0; i < lanes.length; i++) {
      lanes[i] = new Lane(this, settings);
      threads[i] = new Thread(lanes[i], name + "-lane-" + i);
      threads[i].setDaemon(true);
      threads[i].start();
    }
  }

  /** Hands records over, in each partition's offset order. */
  public void submit(Collection<PipelineRecord> records) {
    throwIfFailed();
    List<List<Item>> perLane = new ArrayList<>(lanes.length);
    for (int i = 0; i < lanes.length; i++) {
      perLane.add(new ArrayList<>());
    }
    long now = System.nanoTime();
    long wallNow = System.currentTimeMillis();
    long delay = settings.requestDelay().toMillis();
    int accepted = 0;
    Partition partition = null;
    for (PipelineRecord r : records) {
      if (partition == null || !partition.holds(r)) {
        partition = partitionOf(r);
      }
      if (r.isTombstone() && settings.ignoreTombstones()) {
        // Ignored tombstones never reach the stages, also when they would become deletes.
        Item skipped = new Item(r, null, now, 0);
        skipped.finish(Item.DONE);
        partition.pending.addLast(skipped);
        listener.dropped(r, "tombstone ignored (behavior.on.null.values=ignore)");
        continue;
      }
      accepted++;
      long due = delay == 0 ? 0 : (r.timestamp() >= 0 ? r.timestamp() : wallNow) + delay;
      Item item = new Item(r, requests.groupKey(r), now, due);
      partition.pending.addLast(item);
      perLane.get(laneOf(partition, r)).add(item);
    }
    buffered.addAndGet(accepted);
    for (int i = 0; i < lanes.length; i++) {
      if (!perLane.get(i).isEmpty()) {
        lanes[i].addAll(perLane.get(i));
      }
    }
    // Let go of finished records now, not only at the next commit: memory stays bounded by what
    // is in flight, whatever the commit interval.
    partitions.values().forEach(Partition::drainFinished);
  }

  private Partition partitionOf(PipelineRecord r) {
    return partitions.computeIfAbsent(
        new PartitionRef(r.topic(), r.partition()),
        p -> new Partition(p, nextLane++ % lanes.length));
  }

  /**
   * Partitions take lanes in turn, so they spread evenly; with key ordering, the keys of a
   * partition spread over all lanes.
   */
  private int laneOf(Partition partition, PipelineRecord r) {
    if (!settings.orderByKey()) {
      return partition.lane;
    }
    int hash = 31 * partition.lane + Objects.hashCode(r.key());
    return Math.floorMod(hash ^ (hash >>> 16), lanes.length);
  }

  /** Records handed over but not yet finished. */
  public long buffered() {
    return buffered.get();
  }

  /** Waits up to {@code timeout} until fewer than {@code max} records are buffered. */
  public boolean awaitCapacity(long max, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (capacity) {
      while (buffered.get() >= max && failure.get() == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        capacity.wait(Math.max(1, Math.min(10, left / 1_000_000)));
      }
    }
    return true;
  }

  /**
   * Per partition, the next offset to commit; only partitions that made progress. Also after a
   * failure, so what was finished before it is not sent again.
   */
  public Map<PartitionRef, Long> committable() {
    Map<PartitionRef, Long> offsets = new HashMap<>();
    for (Partition p : partitions.values()) {
      p.drainFinished();
      if (p.next >= 0) {
        offsets.put(p.ref, p.next);
      }
    }
    return offsets;
  }

  /** Forgets the records of partitions this task no longer owns; their new owner re-reads them. */
  public void revoke(Collection<PartitionRef> revoked) {
    for (PartitionRef ref : revoked) {
      Partition p = partitions.remove(ref);
      if (p != null) {
        p.pending.forEach(item -> finish(item, Item.CANCELLED));
      }
    }
  }

  public int inFlightRequests() {
    return inFlight.get();
  }

  /** Throws the error that stopped delivery, if one did. */
  public void throwIfFailed() {
    RuntimeException e = failure.get();
    if (e != null) {
      throw e;
    }
  }

  boolean isStopped() {
    return failure.get() != null;
  }

  /**
   * Stops delivery for a reason found outside the engine; the next {@link #submit} or {@link
   * #throwIfFailed} throws it.
   */
  public void stop(String message, Throwable cause) {
    fail(message, cause);
  }

  void fail(String message, Throwable cause) {
    failure.compareAndSet(null, new DeliveryFailedException(message, cause));
    synchronized (capacity) {
      capacity.notifyAll();
    }
  }

  void delivered(List<Item> batch) {
    List<PipelineRecord> records = new ArrayList<>(batch.size());
    for (Item item : batch) {
      if (finish(item, Item.DONE)) {
        records.add(item.record);
      }
    }
    listener.delivered(records);
  }

  void giveUp(Item item, Outcome.Failed failure, int attempts) {
    if (settings.strategy().giveUp() == ErrorStrategy.GiveUp.DEAD_LETTER) {
      try {
        listener.deadLetter(item.record, failure, attempts);
      } catch (RuntimeException e) {
        fail(
            "Stopping the task: could not dead-letter "
                + item.record.position()
                + ": "
                + e.getMessage(),
            e);
        return;
      }
    } else {
      listener.dropped(item.record, failure.reason() + " after " + attempts + " attempt(s)");
    }
    finish(item, Item.DONE);
  }

  private boolean finish(Item item, int state) {
    if (!item.finish(state)) {
      return false;
    }
    if (buffered.decrementAndGet() % 64 == 0 || inFlight.get() == 0) {
      synchronized (capacity) {
        capacity.notifyAll();
      }
    }
    return true;
  }

  DeliveryListener listener() {
    return listener;
  }

  HttpSender sender() {
    return sender;
  }

  RequestFactory requests() {
    return requests;
  }

  Stages stages() {
    return stages;
  }

  /** A record whose mapping gave nothing to send is finished at once. */
  void skipped(Item item) {
    if (finish(item, Item.DONE)) {
      listener.skipped(item.record);
    }
  }

  OutcomeClassifier classifier() {
    return classifier;
  }

  AtomicInteger inFlight() {
    return inFlight;
  }

  /** A partition's records in offset order, until they are finished and committable. */
  private static final class Partition {
    final PartitionRef ref;
    final int lane;
    final ArrayDeque<Item> pending = new ArrayDeque<>();
    long next = -1;

    Partition(PartitionRef ref, int lane) {
      this.ref = ref;
      this.lane = lane;
    }

    boolean holds(PipelineRecord r) {
      return r.partition() == ref.partition() && r.topic().equals(ref.topic());
    }

    void drainFinished() {
      while (!pending.isEmpty() && !pending.peekFirst().isPending()) {
        next = pending.pollFirst().record.offset() + 1;
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (Lane lane : lanes) {
      lane.close();
    }
    for (Thread t : threads) {
      t.join(5_000);
    }
  }
}
