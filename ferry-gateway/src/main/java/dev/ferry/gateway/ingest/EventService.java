package dev.ferry.gateway.ingest;

import dev.ferry.gateway.GatewayConfig;
import dev.ferry.gateway.event.Envelope;
import dev.ferry.gateway.event.Event;
import dev.ferry.gateway.event.EventReader;
import dev.ferry.gateway.event.EventRules;
import dev.ferry.gateway.event.RecordTimes;
import dev.ferry.gateway.event.Rejection;
import dev.ferry.gateway.produce.Dedupe;
import dev.ferry.gateway.produce.Delivery;
import dev.ferry.gateway.produce.EventProducer;
import dev.ferry.gateway.produce.Failure;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One request's events through the gateway, without HTTP: check each, wrap it in the envelope,
 * apply consent, skip duplicates, produce, and collect the results. Shared by {@code POST
 * /v1/events} and the test event.
 */
public final class EventService {
  private final GatewayConfig config;
  private final Envelope envelope;
  private final RecordTimes recordTimes;
  private final EventProducer producer;
  private final Dedupe dedupe;
  private final IngestListener listener;
  private final Executor threads;

  /**
   * Told of a request's results once they are final, e.g. to count them or show them in the live
   * view; once per request rather than per event, so that it can take its locks and clocks once.
   */
  public interface IngestListener {
    /**
     * @param results the events' results, in request order
     * @param produceNanos for each result, from the send to Kafka's acknowledgement; -1 when
     *     nothing was sent
     */
    void onResults(Result[] results, long[] produceNanos);
  }

  /**
   * @param threads where a request's results are collected once Kafka answered for all its events,
   *     so that Kafka's I/O thread only notes them, and where events are handed to the producer
   *     when that may wait (the HTTP server's thread pool)
   */
  public EventService(
      GatewayConfig config,
      EventProducer producer,
      Dedupe dedupe,
      IngestListener listener,
      Executor threads) {
    this.config = config;
    this.envelope = new Envelope(config);
    this.recordTimes = new RecordTimes(config.recordTime());
    this.producer = producer;
    this.dedupe = dedupe;
    this.listener = listener;
    this.threads = threads;
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
   * final (or, in async mode, handed to the producer). Never waits: when handing the events to the
   * producer might (see {@link EventProducer#mayBlock}), that happens on the thread pool.
   *
   * @throws Busy when too many bytes already wait for Kafka; nothing was sent
   */
  public CompletableFuture<Outcome> ingest(List<EventReader.Item> items, Envelope.Received received)
      throws Busy {
    int n = items.size();
    Result[] done = new Result[n];
    List<Pending> pending = new ArrayList<>(n);
    long bytes = 0;
    for (EventReader.Item item : items) {
      Event event = item.event();
      Optional<Rejection> rejection =
          item.rejection() != null ? Optional.of(item.rejection()) : EventRules.check(event);
      if (rejection.isPresent()) {
        done[item.index()] = rejected(item, event, rejection.get());
        continue;
      }
      long timestamp;
      try {
        timestamp = recordTimes.of(event, received.epochMilli());
      } catch (RecordTimes.OutOfRange e) {
        done[item.index()] = rejected(item, event, e.rejection());
        continue;
      }
      Envelope.Outgoing out = envelope.wrap(event, received);
      if (timestamp != Envelope.Outgoing.PRODUCER_CLOCK) {
        out = out.at(timestamp);
      }
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
    if (pending.isEmpty()) {
      listener.onResults(done, unsent(n));
      return CompletableFuture.completedFuture(Outcome.of(List.of(done), config.async()));
    }
    Sent sent = new Sent(pending, done, bytes);
    if (mayBlock(pending)) {
      // The caller may be an HTTP selector thread, which must never wait.
      try {
        threads.execute(() -> sent.start(true));
      } catch (RejectedExecutionException stopping) {
        sent.start(true); // the server is stopping: here rather than never
      }
    } else {
      sent.start(false);
    }
    return sent.answer;
  }

  /** Whether handing these events to the producer may wait (see {@link EventProducer#mayBlock}). */
  private boolean mayBlock(List<Pending> pending) {
    String checked = null;
    for (Pending p : pending) {
      String topic = p.out.topic();
      if (!topic.equals(checked)) {
        if (producer.mayBlock(topic, pending.size())) {
          return true;
        }
        checked = topic;
      }
    }
    return false;
  }

  private record Pending(EventReader.Item item, Envelope.Outgoing out) {}

  /**
   * The events of one request handed to Kafka. Kafka's I/O thread only notes each result; once the
   * last one is in, the rest (results, metrics, the live view, the answer) runs on the request
   * threads, so the producer's single I/O thread is never slowed by Ferry's bookkeeping.
   */
  private final class Sent {
    private final List<Pending> pending;
    private final Result[] done;
    private final long reserved;
    private final Delivery[] deliveries;
    private final long[] nanos;
    private final boolean[] duplicates;
    private final AtomicInteger remaining;
    private final CompletableFuture<Outcome> answer = new CompletableFuture<>();

    Sent(List<Pending> pending, Result[] done, long reserved) {
      this.pending = pending;
      this.done = done;
      this.reserved = reserved;
      this.deliveries = new Delivery[pending.size()];
      this.nanos = new long[pending.size()];
      this.duplicates = new boolean[pending.size()];
      this.remaining = new AtomicInteger(pending.size());
    }

    /**
     * Sends every event; in async mode, answers once they are handed to the producer.
     *
     * @param mayWait false on a thread that must not wait (an HTTP selector thread)
     */
    void start(boolean mayWait) {
      int slot = 0;
      try {
        for (; slot < pending.size(); slot++) {
          send(slot, mayWait);
        }
        if (config.async()) {
          Result[] queued = done.clone();
          for (int i = 0; i < pending.size(); i++) {
            Pending p = pending.get(i);
            // An event that already failed (e.g. a topic Kafka does not know) is answered so.
            Delivery known = deliveries[i];
            queued[p.item.index()] =
                known != null && !known.accepted() ? result(p, known, false) : queued(p);
          }
          answer.complete(Outcome.of(List.of(queued), true));
        }
      } catch (RuntimeException e) {
        // The events not handed over fail, so that the request still finishes and gives its
        // reserved bytes back (the one that threw, unless it was answered already).
        int from = slot < pending.size() && deliveries[slot] != null ? slot + 1 : slot;
        for (int unsent = from; unsent < pending.size(); unsent++) {
          String topic = pending.get(unsent).out.topic();
          delivered(unsent, System.nanoTime(), Delivery.failed(topic, Failure.of(e, topic)));
        }
        answer.completeExceptionally(e);
      }
    }

    private void send(int slot, boolean mayWait) {
      Envelope.Outgoing out = pending.get(slot).out;
      long start = System.nanoTime();
      CompletableFuture<Delivery> earlier = null;
      CompletableFuture<Delivery> mine = null;
      if (!out.generatedId() && dedupe.enabled()) {
        mine = new CompletableFuture<>();
        earlier = dedupe.claim(out.topic(), out.messageId(), mine);
      }
      duplicates[slot] = earlier != null;
      if (mine == null) {
        // The usual case: no id to remember.
        producer.send(out, d -> delivered(slot, start, d), mayWait);
        return;
      }
      CompletableFuture<Delivery> delivery =
          earlier != null ? earlier : producer.send(out, mayWait);
      CompletableFuture<Delivery> claimed = earlier == null ? mine : null;
      var unused =
          delivery.whenComplete(
              (d, error) -> {
                if (claimed != null) {
                  claimed.complete(d);
                }
                delivered(
                    slot,
                    start,
                    d != null ? d : Delivery.failed(out.topic(), Failure.of(error, out.topic())));
              });
    }

    /** Notes one event's delivery; the last one hands the request back to a request thread. */
    private void delivered(int slot, long start, Delivery d) {
      deliveries[slot] = d;
      nanos[slot] = System.nanoTime() - start;
      if (remaining.decrementAndGet() == 0) {
        try {
          threads.execute(this::finish);
        } catch (RejectedExecutionException stopping) {
          finish(); // the server is stopping: finish here rather than never
        }
      }
    }

    /** On a request thread, after Kafka answered for every event. */
    private void finish() {
      try {
        producer.release(reserved);
        long[] produceNanos = unsent(done.length);
        String stored = null;
        for (int slot = 0; slot < pending.size(); slot++) {
          Pending p = pending.get(slot);
          Delivery d = deliveries[slot];
          if (d.accepted() && !d.topic().equals(stored)) {
            stored = d.topic();
            producer.stored(stored);
          }
          done[p.item.index()] = result(p, d, duplicates[slot]);
          produceNanos[p.item.index()] = duplicates[slot] ? -1 : nanos[slot];
        }
        listener.onResults(done, produceNanos);
        if (!config.async()) {
          answer.complete(Outcome.of(List.of(done), false)); // async mode answered in start()
        }
      } catch (RuntimeException e) {
        answer.completeExceptionally(e);
      }
    }
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

  private static long[] unsent(int n) {
    long[] nanos = new long[n];
    Arrays.fill(nanos, -1);
    return nanos;
  }

  private static Result rejected(EventReader.Item item, Event event, Rejection rejection) {
    return new Result(
        item.index(),
        Result.REJECTED,
        text(event, Event.Known.MESSAGE_ID),
        text(event, Event.Known.EVENT_TYPE),
        text(event, Event.Known.EVENT_NAME),
        null,
        rejection,
        null,
        false,
        item.bytes(),
        false);
  }

  private static String text(Event event, Event.Known field) {
    return event == null ? null : event.text(field);
  }
}
