package dev.ferry.pipeline.deliver;

import dev.ferry.http.Request;
import dev.ferry.http.Response;
import dev.ferry.http.outcome.Outcome;
import dev.ferry.http.outcome.Outcome.Failed;
import dev.ferry.pipeline.record.PipelineRecord;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
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

  private Outcome attempt(List<Item> batch) throws InterruptedException {
    List<PipelineRecord> records = new ArrayList<>(batch.size());
    for (Item item : batch) {
      records.add(item.record);
    }
    Request request = engine.requests().build(records);
    engine.inFlight().incrementAndGet();
    long start = System.nanoTime();
    try {
      Response response = engine.sender().send(request);
      engine.listener().requestCompleted(response.status(), response.latency(), batch.size());
      return engine.classifier().classify(response);
    } catch (IOException e) {
      engine
          .listener()
          .requestCompleted(0, Duration.ofNanos(System.nanoTime() - start), batch.size());
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
