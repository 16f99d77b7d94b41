package dev.ferry.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.gateway.GatewayConfig;
import dev.ferry.gateway.event.Envelope;
import dev.ferry.gateway.event.EventReader;
import dev.ferry.gateway.ingest.EventService;
import dev.ferry.gateway.live.LiveFeed;
import dev.ferry.gateway.produce.KafkaStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.ObjIntConsumer;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's HTTP API (described in {@code openapi.yaml}, served at {@code /v1/openapi.yaml}):
 * {@code POST /v1/events}, {@code POST /v1/events/test}, {@code GET /v1/events/live} (server-sent
 * events), {@code GET /health}, {@code GET /ready}, {@code GET /metrics}. The {@code /v1/events}
 * paths need an API key; the others do not.
 */
public final class GatewayHandler extends Handler.Abstract {
  private static final Logger log = LoggerFactory.getLogger(GatewayHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JSON_TYPE = "application/json";
  private final GatewayConfig config;
  private final EventReader reader;
  private final EventService service;
  private final KafkaStatus kafka;
  private final LiveStream liveStream;
  private final ApiKeys keys;
  private final Supplier<String> metrics;
  private final ObjIntConsumer<Long> requests;
  private final byte[] openApi;

  /**
   * @param metrics the Prometheus text for {@code /metrics}
   * @param requests told of every answer: the body size (or -1) and the status
   */
  public GatewayHandler(
      GatewayConfig config,
      EventService service,
      KafkaStatus kafka,
      LiveFeed live,
      Supplier<String> metrics,
      ObjIntConsumer<Long> requests) {
    this.config = config;
    this.reader =
        new EventReader(config.maxEventBytes(), config.maxEventsPerRequest(), config.keyFields());
    this.service = service;
    this.kafka = kafka;
    this.liveStream = new LiveStream(live);
    this.keys = new ApiKeys(config.apiKeys(), config.authRequired());
    this.metrics = metrics;
    this.requests = requests;
    this.openApi = resource("openapi.yaml");
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    String method = request.getMethod();
    try {
      switch (path) {
        case "/v1/events":
          return post(
              method, request, response, callback, () -> events(request, response, callback));
        case "/v1/events/test":
          return post(
              method,
              request,
              response,
              callback,
              blocking(request, response, callback, () -> test(request, response, callback)));
        case "/v1/events/live":
          return get(
              method,
              request,
              response,
              callback,
              blocking(request, response, callback, () -> live(request, response, callback)));
        case "/health":
          return get(method, request, response, callback, () -> health(response, callback));
        case "/ready":
          return get(method, request, response, callback, () -> ready(response, callback));
        case "/metrics":
          return get(
              method,
              request,
              response,
              callback,
              blocking(
                  request,
                  response,
                  callback,
                  () ->
                      send(
                          response,
                          callback,
                          200,
                          "text/plain; version=0.0.4; charset=utf-8",
                          metrics.get().getBytes(StandardCharsets.UTF_8))));
        case "/v1/openapi.yaml":
          return get(
              method,
              request,
              response,
              callback,
              () -> send(response, callback, 200, "application/yaml", openApi));
        default:
          refuse(
              request,
              response,
              callback,
              404,
              "not_found",
              "no such path: the API is POST /v1/events (see /v1/openapi.yaml)");
          return true;
      }
    } catch (RuntimeException e) {
      log.error("Request to {} failed", path, e);
      refuse(request, response, callback, 500, "internal", "the gateway failed: see its log");
      return true;
    }
  }

  /**
   * Jetty may call {@link #handle} on its selector thread (see {@link #getInvocationType}): what
   * might block or take long runs on its thread pool instead.
   */
  @Override
  public InvocationType getInvocationType() {
    return InvocationType.NON_BLOCKING;
  }

  private interface Action {
    void run();
  }

  /** {@code action} on Jetty's thread pool, where it may block (e.g. a stream, a Kafka wait). */
  private Action blocking(Request request, Response response, Callback callback, Action action) {
    return () ->
        request
            .getComponents()
            .getThreadPool()
            .execute(
                () -> {
                  try {
                    action.run();
                  } catch (RuntimeException e) {
                    log.error("Request to {} failed", Request.getPathInContext(request), e);
                    refuse(
                        request,
                        response,
                        callback,
                        500,
                        "internal",
                        "the gateway failed: see its log");
                  }
                });
  }

  private boolean post(
      String method, Request request, Response response, Callback callback, Action action) {
    if (!"POST".equals(method)) {
      closeIfBodyUnread(request, response);
      requests.accept(-1L, 405);
      return notAllowed(response, callback, "POST");
    }
    if (!keys.allows(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
      closeIfBodyUnread(request, response);
      requests.accept(-1L, 401);
      return unauthorized(response, callback);
    }
    return run(action);
  }

  private boolean get(
      String method, Request request, Response response, Callback callback, Action action) {
    if (!"GET".equals(method)) {
      closeIfBodyUnread(request, response);
      return notAllowed(response, callback, "GET");
    }
    return run(action);
  }

  private static boolean run(Action action) {
    action.run();
    return true;
  }

  private boolean notAllowed(Response response, Callback callback, String allowed) {
    response.getHeaders().put(HttpHeader.ALLOW, allowed);
    send(response, callback, 405, JSON_TYPE, Answers.error("method", "use " + allowed));
    return true;
  }

  private boolean unauthorized(Response response, Callback callback) {
    response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"ferry-gateway\"");
    send(
        response,
        callback,
        401,
        JSON_TYPE,
        Answers.error(
            "unauthorized",
            "missing or unknown API key: send Authorization: Bearer <key> (keys come from "
                + GatewayConfig.API_KEYS_ENV
                + " or gateway.api.keys)"));
    return true;
  }

  private void events(Request request, Response response, Callback callback) {
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
              refuse(
                  request, response, callback, 500, "internal", "the gateway failed: see its log");
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
            } else {
              callback.failed(failure);
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
                  // Completes on a request thread (EventService hands Kafka's answers over).
                  (outcome, error) -> {
                    if (error != null) {
                      log.error("Producing events failed", error);
                      answer(
                          response,
                          callback,
                          500,
                          Answers.error("internal", "the gateway failed: see its log"),
                          bytes);
                    } else {
                      if (outcome.status() == 503) {
                        response
                            .getHeaders()
                            .put(HttpHeader.RETRY_AFTER, outcome.retryAfterSeconds());
                        kafka.reportUnavailable("events were not acknowledged in time");
                      }
                      answer(response, callback, outcome.status(), Answers.outcome(outcome), bytes);
                    }
                  });
    } catch (EventService.Busy e) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, 1);
      answer(response, callback, 429, Answers.error("busy", e.getMessage()), bytes);
    }
  }

  /** {@code POST /v1/events/test}: one event of type {@code test}, through the same path. */
  private void test(Request request, Response response, Callback callback) {
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

  /** {@code GET /v1/events/live}: the recent results, then each new one, as server-sent events. */
  private void live(Request request, Response response, Callback callback) {
    if (!keys.allows(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
      unauthorized(response, callback);
      return;
    }
    if (liveStream.full()) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, 10);
      send(
          response,
          callback,
          503,
          JSON_TYPE,
          Answers.error(
              "busy",
              "the live view already has " + LiveStream.MAX_VIEWERS + " viewers: retry later"));
      return;
    }
    liveStream.serve(response, callback, this::isRunning);
  }

  private void health(Response response, Callback callback) {
    send(
        response, callback, 200, JSON_TYPE, "{\"status\":\"up\"}".getBytes(StandardCharsets.UTF_8));
  }

  /** 200 while Kafka answers, else 503 saying since when it does not. */
  private void ready(Response response, Callback callback) {
    KafkaStatus.State s = kafka.state();
    ObjectNode body = JSON.createObjectNode();
    body.put("status", s.ready() ? "ready" : "unavailable");
    body.put("kafka", s.detail());
    body.put("since", s.since().toString());
    if (!s.ready()) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, 5);
    }
    send(
        response,
        callback,
        s.ready() ? 200 : 503,
        JSON_TYPE,
        body.toString().getBytes(StandardCharsets.UTF_8));
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

  /**
   * Before an answer that leaves the request's body (partly) unread: such a connection cannot carry
   * another request (Jetty closes it after the answer), so the client is told to close it rather
   * than finding out on its next request. Without this, a client sending the next request on the
   * kept-alive connection gets no answer at all.
   */
  /** Refuses a request as a whole with a JSON error (telling the client to close if need be). */
  private static void refuse(
      Request request,
      Response response,
      Callback callback,
      int status,
      String rule,
      String message) {
    closeIfBodyUnread(request, response);
    send(response, callback, status, JSON_TYPE, Answers.error(rule, message));
  }

  private static void closeIfBodyUnread(Request request, Response response) {
    if (request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
      response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
    }
  }

  private void answer(Response response, Callback callback, int status, byte[] body, long bytes) {
    requests.accept(bytes, status);
    send(response, callback, status, JSON_TYPE, body);
  }

  private static void send(
      Response response, Callback callback, int status, String type, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  private static byte[] resource(String name) {
    try (InputStream in = GatewayHandler.class.getResourceAsStream("/" + name)) {
      return in == null ? new byte[0] : in.readAllBytes();
    } catch (IOException e) {
      return new byte[0];
    }
  }
}
