package dev.ferry.gateway.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.gateway.GatewayConfig;
import dev.ferry.gateway.event.Envelope;
import dev.ferry.gateway.event.EventReader;
import dev.ferry.gateway.event.EventRules;
import dev.ferry.gateway.event.Rejection;
import dev.ferry.gateway.produce.Dedupe;
import dev.ferry.gateway.produce.Delivery;
import dev.ferry.gateway.produce.EventProducer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One request's events through the gateway, without HTTP: check each, wrap it in the envelope,
 * apply consent, skip duplicates, produce, and collect the results. Shared by {@code POST
 * /v1/events} and the test event.
 */
public final class EventService {
  private final GatewayConfig config;
  private final Envelope envelope;
  private final EventProducer producer;
  private final Dedupe dedupe;
  private final IngestListener listener;

  /** Told of every result once it is final, e.g. to count it or show it in the live view. */
  public interface IngestListener {
    /**
     * @param result the event's result
     * @param produceNanos from the send to Kafka's acknowledgement; -1 when nothing was sent
     */
    void onResult(Result result, long produceNanos);
  }

  public EventService(
      GatewayConfig config, EventProducer producer, Dedupe dedupe, IngestListener listener) {
    this.config = config;
    this.envelope = new Envelope(config);
    this.producer = producer;
    this.dedupe = dedupe;
    this.listener = listener;
  }

  /** Refused before anything is sent: too many bytes are already waiting for Kafka. */
  public static final class Busy extends Exception {
    private static final long serialVersionUID = 1L;

    Busy(long waiting) {
      super(
          "the gateway is waiting for Kafka to acknowledge "
              + waiting
              + " bytes of events (gateway.max.in.flight.bytes): retry shortly",
          null,
          false,
          false);
    }
  }

  /**
   * Produces the events of one request; the future completes with the answer once every event is
   * final (or, in async mode, handed to the producer).
   *
   * @throws Busy when too many bytes already wait for Kafka; nothing was sent
   */
  public CompletableFuture<Outcome> ingest(List<EventReader.Item> items, Instant receivedAt)
      throws Busy {
    int n = items.size();
    Result[] done = new Result[n];
    List<Pending> pending = new ArrayList<>(n);
    long bytes = 0;
    for (EventReader.Item item : items) {
      JsonNode event = item.event();
      Optional<Rejection> rejection =
          item.rejection() != null ? Optional.of(item.rejection()) : EventRules.check(event);
      if (rejection.isPresent()) {
        done[item.index()] = rejected(item, event, rejection.get());
        continue;
      }
      Envelope.Outgoing out = envelope.wrap(event, receivedAt);
      if (out.consentDenied() && !config.consent().routesDenied()) {
        done[item.index()] =
            new Result(
                item.index(),
                Result.DROPPED,
                out.messageId(),
                out.eventType(),
                out.eventName(),
                null,
                null,
                null,
                false,
                item.bytes(),
                true);
        continue;
      }
      pending.add(new Pending(item, out));
      bytes += out.value().length;
    }
    if (!pending.isEmpty() && !producer.tryReserve(bytes)) {
      // Nothing of this request counts: the client sends it again.
      throw new Busy(producer.inFlightBytes());
    }
    for (Result r : done) {
      if (r != null) {
        listener.onResult(r, -1);
      }
    }
    long reserved = bytes;
    List<CompletableFuture<Void>> waits = new ArrayList<>(pending.size());
    for (Pending p : pending) {
      waits.add(send(p).thenAccept(r -> done[p.item.index()] = r));
    }
    CompletableFuture<Void> all = CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new));
    var unused = all.whenComplete((v, e) -> producer.release(reserved));
    if (config.async()) {
      Result[] queued = done.clone();
      for (Pending p : pending) {
        // An event that already failed (e.g. a topic Kafka does not know) is answered as such.
        Result known = queued[p.item.index()];
        queued[p.item.index()] =
            known != null && !Result.ACCEPTED.equals(known.status()) ? known : queued(p);
      }
      return CompletableFuture.completedFuture(Outcome.of(List.of(queued), true));
    }
    return all.thenApply(v -> Outcome.of(List.of(done), false));
  }

  private record Pending(EventReader.Item item, Envelope.Outgoing out) {}

  private CompletableFuture<Result> send(Pending p) {
    Envelope.Outgoing out = p.out;
    long start = System.nanoTime();
    CompletableFuture<Delivery> earlier = null;
    CompletableFuture<Delivery> mine = null;
    if (!out.generatedId() && dedupe.enabled()) {
      mine = new CompletableFuture<>();
      earlier = dedupe.claim(out.topic(), out.messageId(), mine);
    }
    boolean duplicate = earlier != null;
    CompletableFuture<Delivery> delivery;
    if (duplicate) {
      delivery = earlier;
    } else {
      delivery = producer.send(out);
      if (mine != null) {
        CompletableFuture<Delivery> claimed = mine;
        var unused = delivery.whenComplete((d, e) -> claimed.complete(d));
      }
    }
    return delivery.thenApply(
        d -> {
          Result r = result(p, d, duplicate);
          listener.onResult(r, duplicate ? -1 : System.nanoTime() - start);
          return r;
        });
  }

  private static Result result(Pending p, Delivery d, boolean duplicate) {
    Envelope.Outgoing out = p.out;
    int index = p.item.index();
    if (d.accepted()) {
      return new Result(
          index,
          Result.ACCEPTED,
          out.messageId(),
          out.eventType(),
          out.eventName(),
          d,
          null,
          null,
          duplicate,
          p.item.bytes(),
          p.out.consentDenied());
    }
    if ("too_large".equals(d.failure().reason())) {
      // The event's own size: the sender's to fix, like any other rule.
      return new Result(
          index,
          Result.REJECTED,
          out.messageId(),
          out.eventType(),
          out.eventName(),
          null,
          new Rejection("", "too_large", d.failure().message()),
          null,
          false,
          p.item.bytes(),
          p.out.consentDenied());
    }
    return new Result(
        index,
        Result.FAILED,
        out.messageId(),
        out.eventType(),
        out.eventName(),
        d,
        null,
        d.failure(),
        false,
        p.item.bytes(),
        p.out.consentDenied());
  }

  /** An event handed to the producer in async mode: accepted, not yet stored. */
  private static Result queued(Pending p) {
    return new Result(
        p.item.index(),
        Result.ACCEPTED,
        p.out.messageId(),
        p.out.eventType(),
        p.out.eventName(),
        null,
        null,
        null,
        false,
        p.item.bytes(),
        p.out.consentDenied());
  }

  private static Result rejected(EventReader.Item item, JsonNode event, Rejection rejection) {
    return new Result(
        item.index(),
        Result.REJECTED,
        text(event, "message_id"),
        text(event, "event_type"),
        text(event, "event_name"),
        null,
        rejection,
        null,
        false,
        item.bytes(),
        false);
  }

  private static String text(JsonNode event, String field) {
    if (event == null || !event.isObject()) {
      return null;
    }
    JsonNode v = event.get(field);
    return v != null && v.isValueNode() && !v.isNull() ? v.asText() : null;
  }
}
