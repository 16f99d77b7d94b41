package dev.ferry.pipeline.deliver;

import dev.ferry.http.Request;
import dev.ferry.http.Response;
import dev.ferry.http.outcome.Outcome;
import dev.ferry.http.outcome.Outcome.Failed;
import dev.ferry.pipeline.delta.Delta;
import dev.ferry.pipeline.record.PipelineRecord;
import dev.ferry.pipeline.shape.Output;
import dev.ferry.pipeline.shape.ShapeException;
import dev.ferry.pipeline.shape.Shaper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Sends one batch until it is delivered or given up: retries on the schedule, splits a batch the
 * target rejects to find the records at fault, then drops, dead-letters or stops as the strategy
 * says.
 */
final class BatchSender {
  private final DeliveryEngine engine;
  private final DeliverySettings settings;
  private final Lane lane;

  BatchSender(DeliveryEngine engine, DeliverySettings settings, Lane lane) {
    this.engine = engine;
    this.settings = settings;
    this.lane = lane;
  }

  void deliver(List<Item> batch) throws InterruptedException {
    shape(batch);
    int retry = 0;
    while (true) {
      batch.removeIf(Item::isCancelled);
      if (batch.isEmpty() || engine.isStopped()) {
        return;
      }
      Outcome outcome = attempt(batch);
      if (outcome instanceof Outcome.Delivered) {
        engine.delivered(batch);
        return;
      }
      Failed failure = (Failed) outcome;
      if (!failure.retriable() || !settings.strategy().retries()) {
        if (failure.kind() == Outcome.Kind.RETRY_THEN_STOP) {
          stop(batch, failure, retry + 1, "this status stops the task whatever the strategy");
        } else {
          giveUp(batch, failure, retry + 1);
        }
        return;
      }
      retry++;
      Optional<Duration> wait = settings.schedule().waitBefore(retry, failure.retryAfter());
      if (wait.isEmpty()) {
        if (failure.kind() == Outcome.Kind.RETRY_THEN_STOP) {
          stop(batch, failure, retry, "the back-off schedule is exhausted");
        } else {
          giveUp(batch, failure, retry);
        }
        return;
      }
      engine.listener().retrying(batch.size(), failure, retry, wait.get());
      if (!lane.pause(wait.get().toNanos())) {
        return;
      }
    }
  }

  /**
   * Decodes and maps the batch's records (once: retries reuse the result). A record that cannot be
   * decoded or mapped leaves the batch and goes where the error strategy sends rejected records;
   * one mapped to nothing is finished at once.
   */
  private void shape(List<Item> batch) throws InterruptedException {
    Shaper shaper = engine.stages().shaper();
    if (shaper == null) {
      return;
    }
    boolean anyShaped = false;
    boolean anyRaw = false;
    for (Iterator<Item> it = batch.iterator(); it.hasNext(); ) {
      if (engine.isStopped()) {
        return; // nothing more is given up or dead-lettered once the task stops
      }
      Item item = it.next();
      if (!item.shaped && !item.isCancelled() && !shapeOne(shaper, item)) {
        it.remove();
        continue;
      }
      if (item.outputs != null && item.outputs.isEmpty()) {
        it.remove();
        engine.skipped(item);
        continue;
      }
      anyShaped |= item.outputs != null;
      anyRaw |= item.shaped && item.outputs == null;
    }
    if (anyShaped && anyRaw) {
      // Framed and plain values in one batch share a body; the plain ones keep their bytes.
      for (Iterator<Item> it = batch.iterator(); it.hasNext(); ) {
        Item item = it.next();
        if (item.outputs == null && !item.isCancelled()) {
          try {
            item.outputs = shaper.asIs(item.record);
          } catch (ShapeException e) {
            it.remove();
            reject(item, e);
          }
        }
      }
    }
  }

  /**
   * Decodes and maps one record. A failure outside the record (the schema registry unreachable) is
   * retried on the back-off schedule and stops the task when it runs out; a failure of the record
   * itself rejects it at once. False when the record leaves the batch.
   */
  private boolean shapeOne(Shaper shaper, Item item) throws InterruptedException {
    for (int retry = 1; ; retry++) {
      ShapeException failure;
      try {
        item.outputs = shaper.shape(item.record);
        item.shaped = true;
        return true;
      } catch (ShapeException e) {
        failure = e;
      } catch (RuntimeException e) {
        failure = new ShapeException("unexpected error while decoding or mapping: " + e, false, e);
      }
      if (item.isCancelled() || engine.isStopped()) {
        return false; // revoked meanwhile: its partition's new owner reads it again
      }
      if (!failure.retriable()) {
        reject(item, failure);
        return false;
      }
      Optional<Duration> wait = settings.schedule().waitBefore(retry, Optional.empty());
      if (wait.isEmpty()) {
        reject(item, failure);
        return false;
      }
      engine
          .listener()
          .retrying(
              1,
              new Failed(0, failure.getMessage(), "", Outcome.Kind.RETRY, Optional.empty()),
              retry,
              wait.get());
      if (!lane.pause(wait.get().toNanos()) || engine.isStopped()) {
        return false;
      }
    }
  }

  private void reject(Item item, ShapeException e) {
    if (e.retriable()) {
      engine.fail(
          "Stopping the task: "
              + e.getMessage()
              + " (at "
              + item.record.position()
              + ", after the back-off schedule ran out). Restart the task once this is fixed: it"
              + " resumes from the last committed offset, nothing is lost.",
          e);
      return;
    }
    if (settings.strategy().giveUp() == ErrorStrategy.GiveUp.STOP) {
      engine.fail(
          "Stopping the task: "
              + e.getMessage()
              + " (at "
              + item.record.position()
              + "; error.strategy="
              + settings.strategy()
              + "). Fix the mapping or the message, or set error.strategy=DEAD_LETTER to set such"
              + " records aside; the task resumes from the last committed offset.",
          e);
      return;
    }
    engine.giveUp(
        item, new Failed(0, e.getMessage(), "", Outcome.Kind.PERMANENT, Optional.empty()), 0);
  }

  private Outcome attempt(List<Item> batch) throws InterruptedException {
    List<PipelineRecord> records = new ArrayList<>(batch.size());
    List<Output> outputs = null;
    for (Item item : batch) {
      records.add(item.record);
      if (item.outputs != null) {
        if (outputs == null) {
          outputs = new ArrayList<>(batch.size() * 2);
        }
        outputs.addAll(item.outputs);
      }
    }
    if (outputs == null) {
      return send(List.of(engine.requests().build(records)), batch.size());
    }
    Delta delta = engine.stages().delta();
    Delta.Selection selection = delta.select(outputs);
    Outcome outcome;
    try {
      outcome = send(engine.requests().build(records, selection.toSend()), batch.size());
    } catch (RuntimeException | InterruptedException e) {
      delta.failed(selection);
      throw e;
    }
    if (outcome instanceof Outcome.Delivered) {
      delta.delivered(selection);
      engine.listener().deltaApplied(selection.collapsed(), selection.unchanged());
    } else {
      delta.failed(selection);
    }
    return outcome;
  }

  /** Sends the requests one after the other; the first failure ends the attempt. */
  private Outcome send(List<Request> requests, int records) throws InterruptedException {
    Outcome outcome = new Outcome.Delivered(204);
    for (Request request : requests) {
      outcome = send(request, records);
      records = 0;
      if (!(outcome instanceof Outcome.Delivered)) {
        return outcome;
      }
    }
    return outcome;
  }

  private Outcome send(Request request, int records) throws InterruptedException {
    engine.inFlight().incrementAndGet();
    long start = System.nanoTime();
    try {
      Response response = engine.sender().send(request);
      engine.listener().requestCompleted(response.status(), response.latency(), records);
      return engine.classifier().classify(response);
    } catch (IOException e) {
      engine.listener().requestCompleted(0, Duration.ofNanos(System.nanoTime() - start), records);
      return engine.classifier().classify(e);
    } finally {
      engine.inFlight().decrementAndGet();
    }
  }

  private void giveUp(List<Item> batch, Failed failure, int attempts) throws InterruptedException {
    switch (settings.strategy().giveUp()) {
      case STOP:
        stop(batch, failure, attempts, "error.strategy=" + settings.strategy());
        return;
      case DROP:
      case DEAD_LETTER:
      default:
        if (failure.kind() == Outcome.Kind.PERMANENT && batch.size() > 1) {
          int half = batch.size() / 2;
          deliver(new ArrayList<>(batch.subList(0, half)));
          deliver(new ArrayList<>(batch.subList(half, batch.size())));
          return;
        }
        for (Item item : batch) {
          engine.giveUp(item, failure, attempts);
        }
    }
  }

  private void stop(List<Item> batch, Failed failure, int attempts, String why) {
    PipelineRecord first = batch.get(0).record;
    String records =
        batch.size() == 1 ? first.position() : batch.size() + " records from " + first.position();
    engine.fail(
        "Stopping the task: "
            + failure.reason()
            + " for "
            + records
            + " after "
            + attempts
            + " attempt(s) ("
            + why
            + ")"
            + (failure.responseExcerpt().isEmpty()
                ? ""
                : "; response: " + failure.responseExcerpt())
            + ". Fix the target or its credentials, then restart the task: it resumes from the"
            + " last committed offset, nothing is lost.",
        null);
  }
}
