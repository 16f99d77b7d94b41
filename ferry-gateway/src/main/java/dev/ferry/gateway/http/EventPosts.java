package dev.ferry.gateway.http;

import static dev.ferry.gateway.http.Replies.INTERNAL;
import static dev.ferry.gateway.http.Replies.JSON_TYPE;
import static dev.ferry.gateway.http.Replies.closeIfBodyUnread;
import static dev.ferry.gateway.http.Replies.internalError;
import static dev.ferry.gateway.http.Replies.refuse;
import static dev.ferry.gateway.http.Replies.send;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.gateway.GatewayConfig;
import dev.ferry.gateway.event.Envelope;
import dev.ferry.gateway.event.EventReader;
import dev.ferry.gateway.ingest.EventService;
import dev.ferry.gateway.ingest.Outcome;
import dev.ferry.gateway.produce.KafkaStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.ObjIntConsumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/events} and {@code POST /v1/events/test}: a body read without blocking, its
 * events read, checked and handed to {@link EventService}, the answer written once Kafka answered.
 * Runs on whatever thread Jetty calls it on, its selector threads included: nothing here waits.
 */
final class EventPosts {
  private static final Logger log = LoggerFactory.getLogger(EventPosts.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final GatewayConfig config;
  private final EventReader reader;
  private final EventService service;
  private final KafkaStatus kafka;
  private final ObjIntConsumer<Long> requests;

  /**
   * @param requests told of every answer: the body size (or -1) and the status
   */
  EventPosts(
      GatewayConfig config,
      EventService service,
      KafkaStatus kafka,
      ObjIntConsumer<Long> requests) {
    this.config = config;
    this.reader =
        new EventReader(config.maxEventBytes(), config.maxEventsPerRequest(), config.keyFields());
    this.service = service;
    this.kafka = kafka;
    this.requests = requests;
  }

  /** {@code POST /v1/events}. */
  void post(Request request, Response response, Callback callback) {
    Envelope.Received received = RequestBody.received(request, config.forwardHeaders());
    // Every refusal up to the end of the body leaves (some of) the body unread.
    KafkaStatus.State state = kafka.state();
    if (!state.ready()) {
      closeIfBodyUnread(request, response);
      unavailable(response, callback, state);
      return;
    }
    long length = request.getLength();
    if (length > config.maxRequestBytes()) {
      closeIfBodyUnread(request, response);
      tooLarge(response, callback, length);
      return;
    }
    RequestBody.Format format;
    try {
      format = RequestBody.format(request);
    } catch (RequestBody.Unreadable e) {
      requests.accept(-1L, e.status);
      refuse(request, response, callback, e.status, e.rule, e.getMessage());
      return;
    }
    BodyReader.read(
        request,
        format,
        config.maxRequestBytes(),
        new BodyReader.Done() {
          @Override
          public void body(RequestBody body) {
            try {
              events(body, received, response, callback);
            } catch (RuntimeException e) {
              log.error("Request to /v1/events failed", e);
              internalError(request, response, callback);
            }
          }

          @Override
          public void failed(Throwable failure) {
            if (failure instanceof RequestBody.TooLarge e) {
              closeIfBodyUnread(request, response);
              tooLarge(response, callback, e.bytes);
            } else if (failure instanceof RequestBody.Unreadable e) {
              requests.accept(-1L, e.status);
              refuse(request, response, callback, e.status, e.rule, e.getMessage());
            } else if (failure instanceof RuntimeException) {
              log.error("Reading a request to /v1/events failed", failure);
              internalError(request, response, callback);
            } else {
              callback.failed(failure); // the connection's own failure, e.g. the client left
            }
          }
        });
  }

  private void events(
      RequestBody body, Envelope.Received received, Response response, Callback callback) {
    List<EventReader.Item> items;
    try {
      items = reader.read(body.bytes(), body.ndjson());
    } catch (EventReader.BadBody e) {
      int status = e.rule().equals("too_many_events") ? 413 : 400;
      answer(response, callback, status, Answers.error(e.rule(), e.getMessage()), body.wireBytes());
      return;
    }
    ingest(items, received, response, callback, body.wireBytes());
  }

  private void ingest(
      List<EventReader.Item> items,
      Envelope.Received received,
      Response response,
      Callback callback,
      long bytes) {
    try {
      var unused =
          service
              .ingest(items, received)
              .whenComplete(
                  // Completes on a pool thread (EventService hands Kafka's answers over), or on
                  // this one when nothing was sent.
                  (outcome, error) -> answer(outcome, error, response, callback, bytes));
    } catch (EventService.Busy e) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, 1);
      answer(response, callback, 429, Answers.error("busy", e.getMessage()), bytes);
    }
  }

  /** The answer to a request whose events went through {@link EventService#ingest}. */
  private void answer(
      Outcome outcome, Throwable error, Response response, Callback callback, long bytes) {
    byte[] body = null;
    if (error == null) {
      try {
        body = Answers.outcome(outcome);
      } catch (RuntimeException e) {
        error = e;
      }
    }
    if (error != null) {
      // Never leave a request unanswered, whatever failed.
      log.error("Producing events or answering failed", error);
      answer(response, callback, 500, Answers.error("internal", INTERNAL), bytes);
      return;
    }
    if (outcome.status() == 503) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, outcome.retryAfterSeconds());
      kafka.reportUnavailable("events were not acknowledged in time");
    }
    answer(response, callback, outcome.status(), body, bytes);
  }

  /** {@code POST /v1/events/test}: one event of type {@code test}, through the same path. */
  void test(Request request, Response response, Callback callback) {
    closeIfBodyUnread(request, response);
    KafkaStatus.State state = kafka.state();
    if (!state.ready()) {
      unavailable(response, callback, state);
      return;
    }
    ObjectNode event = JSON.createObjectNode();
    event.put("event_type", "test");
    event.put("event_name", "Ferry test event");
    event.put("anonymous_id", "ferry-test");
    event.putObject("properties").put("source", "POST /v1/events/test");
    List<EventReader.Item> items;
    try {
      items = reader.read(event.toString().getBytes(StandardCharsets.UTF_8), false);
    } catch (EventReader.BadBody e) {
      throw new IllegalStateException("the test event is not JSON", e);
    }
    ingest(items, RequestBody.received(request, config.forwardHeaders()), response, callback, -1);
  }

  private void unavailable(Response response, Callback callback, KafkaStatus.State state) {
    response.getHeaders().put(HttpHeader.RETRY_AFTER, 5);
    answer(
        response,
        callback,
        503,
        Answers.error(
            "kafka_unavailable",
            "Kafka does not answer ("
                + state.detail()
                + ", since "
                + state.since()
                + "): no event was accepted; retry after 5 s. Check that the brokers are up and"
                + " reachable on their port (Confluent Cloud: 9092), and any firewall"),
        -1);
  }

  private void tooLarge(Response response, Callback callback, long bytes) {
    answer(
        response,
        callback,
        413,
        Answers.error(
            "too_large",
            "the request body is "
                + (bytes >= 0 ? bytes + " bytes, " : "")
                + "above the limit of "
                + config.maxRequestBytes()
                + " bytes (gateway.max.request.bytes, after gzip decompression): send fewer events"
                + " per request"),
        -1);
  }

  private void answer(Response response, Callback callback, int status, byte[] body, long bytes) {
    requests.accept(bytes, status);
    send(response, callback, status, JSON_TYPE, body);
  }
}
