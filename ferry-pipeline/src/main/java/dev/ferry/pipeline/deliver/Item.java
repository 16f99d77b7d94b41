package dev.ferry.pipeline.deliver;

import dev.ferry.pipeline.record.PipelineRecord;
import dev.ferry.pipeline.shape.Output;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A record held by the engine until it is delivered, dropped, dead-lettered or given back. */
final class Item {
  static final int PENDING = 0;
  static final int DONE = 1;
  static final int CANCELLED = 2;

  final PipelineRecord record;
  final String group;
  final long enqueuedNanos;
  final long dueMillis;
  private final AtomicInteger state = new AtomicInteger(PENDING);

  /** What the record was decoded and mapped to; set once, by the lane that owns the item. */
  List<Output> outputs;

  boolean shaped;

  Item(PipelineRecord record, String group, long enqueuedNanos, long dueMillis) {
    this.record = record;
    this.group = group;
    this.enqueuedNanos = enqueuedNanos;
    this.dueMillis = dueMillis;
  }

  boolean isPending() {
    return state.get() == PENDING;
  }

  boolean isCancelled() {
    return state.get() == CANCELLED;
  }

  /** Moves out of PENDING; true only for the one caller that did. */
  boolean finish(int to) {
    return state.compareAndSet(PENDING, to);
  }
}
