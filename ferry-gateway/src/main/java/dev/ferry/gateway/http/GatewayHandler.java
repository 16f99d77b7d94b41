package dev.ferry.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.gateway.GatewayConfig;
import dev.ferry.gateway.event.EventReader;
import dev.ferry.gateway.ingest.EventService;
import dev.ferry.gateway.live.LiveFeed;
import dev.ferry.gateway.produce.KafkaStatus;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.ObjIntConsumer;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Content;
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
  private static final long LIVE_HEARTBEAT_NANOS = 15_000_000_000L;

  /** How often a live stream looks for news, a gone viewer, or a stopping gateway. */
  private static final long LIVE_POLL_MS = 500;

  private static final int MAX_LIVE_SUBSCRIBERS = 16;

  private final GatewayConfig config;
  private final EventReader reader;
  private final EventService service;
  private final KafkaStatus kafka;
  private final LiveFeed live;
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
    this.reader = new EventReader(config.maxEventBytes(), config.maxEventsPerRequest());
    this.service = service;
    this.kafka = kafka;
    this.live = live;
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
          return post(method, request, response, callback, () -> test(request, response, callback));
        case "/v1/events/live":
          return get(method, request, response, callback, () -> live(request, response, callback));
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
              () ->
                  send(
                      response,
                      callback,
                      200,
                      "text/plain; version=0.0.4; charset=utf-8",
                      metrics.get().getBytes(StandardCharsets.UTF_8)));
        case "/v1/openapi.yaml":
          return get(
              method,
              request,
              response,
              callback,
              () -> send(response, callback, 200, "application/yaml", openApi));
        default:
          closeIfBodyUnread(request, response);
          send(
              response,
              callback,
              404,
              JSON_TYPE,
              Answers.error(
                  "not_found", "no such path: the API is POST /v1/events (see /v1/openapi.yaml)"));
          return true;
      }
    } catch (RuntimeException e) {
      log.error("Request to {} failed", path, e);
      closeIfBodyUnread(request, response);
      send(
          response,
          callback,
          500,
          JSON_TYPE,
          Answers.error("internal", "the gateway failed: see its log"));
      return true;
    }
  }

  private interface Action {
    void run() throws IOException;
  }

  private boolean post(
      String method, Request request, Response response, Callback callback, Action action) {
    if (!"POST".equals(method)) {
      closeIfBodyUnread(request, response);
      return notAllowed(response, callback, "POST");
    }
    if (!keys.allows(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
      closeIfBodyUnread(request, response);
      return unauthorized(response, callback);
    }
    return run(action, callback);
  }

  private boolean get(
      String method, Request request, Response response, Callback callback, Action action) {
    if (!"GET".equals(method)) {
      closeIfBodyUnread(request, response);
      return notAllowed(response, callback, "GET");
    }
    return run(action, callback);
  }

  private boolean run(Action action, Callback callback) {
    try {
      action.run();
    } catch (IOException e) {
      callback.failed(e);
    }
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

  private void events(Request request, Response response, Callback callback) throws IOException {
    Instant received = Instant.now();
    // Every refusal up to the end of readBody leaves (some of) the body unread.
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
    String encoding = lower(request.getHeaders().get(HttpHeader.CONTENT_ENCODING));
    boolean gzip = encoding.equals("gzip") || encoding.equals("x-gzip");
    if (!encoding.isEmpty() && !gzip && !encoding.equals("identity")) {
      closeIfBodyUnread(request, response);
      send(
          response,
          callback,
          415,
          JSON_TYPE,
          Answers.error(
              "content_encoding",
              "Content-Encoding " + encoding + " is not supported: send gzip or no encoding"));
      return;
    }
    String type = lower(request.getHeaders().get(HttpHeader.CONTENT_TYPE));
    boolean ndjson =
        type.startsWith("application/x-ndjson") || type.startsWith("application/ndjson");
    if (!ndjson
        && !type.isEmpty()
        && !type.startsWith(JSON_TYPE)
        && !type.startsWith("text/plain")
        // curl -d sends this unless told otherwise; the body is JSON all the same.
        && !type.startsWith("application/x-www-form-urlencoded")) {
      closeIfBodyUnread(request, response);
      send(
          response,
          callback,
          415,
          JSON_TYPE,
          Answers.error(
              "content_type",
              "Content-Type "
                  + type
                  + " is not supported: send application/json (one event or an"
                  + " array) or application/x-ndjson"));
      return;
    }
    byte[] body;
    long[] wire = new long[1];
    try {
      body = readBody(request, gzip, wire);
    } catch (TooLarge e) {
      closeIfBodyUnread(request, response);
      tooLarge(response, callback, e.bytes);
      return;
    } catch (ZipException e) {
      closeIfBodyUnread(request, response);
      send(
          response,
          callback,
          400,
          JSON_TYPE,
          Answers.error("gzip", "the body is not valid gzip although Content-Encoding says so"));
      return;
    } catch (EOFException e) {
      if (!gzip) {
        throw e;
      }
      closeIfBodyUnread(request, response);
      // GZIPInputStream's "Unexpected end of ZLIB input stream": the sender's fault, not ours.
      send(
          response,
          callback,
          400,
          JSON_TYPE,
          Answers.error("gzip", "the gzip body ends before its end: it was cut off"));
      return;
    }
    List<EventReader.Item> items;
    try {
      items = reader.read(body, ndjson);
    } catch (EventReader.BadBody e) {
      int status = e.rule().equals("too_many_events") ? 413 : 400;
      answer(response, callback, status, Answers.error(e.rule(), e.getMessage()), wire[0]);
      return;
    }
    ingest(items, received, response, callback, wire[0]);
  }

  private void ingest(
      List<EventReader.Item> items,
      Instant received,
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
    byte[] bytes = event.toString().getBytes(StandardCharsets.UTF_8);
    ingest(
        List.of(new EventReader.Item(0, event, bytes.length, null)),
        Instant.now(),
        response,
        callback,
        -1);
  }

  /** {@code GET /v1/events/live}: the recent results, then each new one, as server-sent events. */
  private void live(Request request, Response response, Callback callback) throws IOException {
    if (!keys.allows(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
      unauthorized(response, callback);
      return;
    }
    if (live.subscribers() >= MAX_LIVE_SUBSCRIBERS) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, 10);
      send(
          response,
          callback,
          503,
          JSON_TYPE,
          Answers.error(
              "busy",
              "the live view already has " + MAX_LIVE_SUBSCRIBERS + " viewers: retry later"));
      return;
    }
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    try (LiveFeed.Subscriber feed = live.subscribe();
        OutputStream out = Content.Sink.asOutputStream(response)) {
      out.write(": ferry live events\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      long lastWrite = System.nanoTime();
      while (isRunning()) {
        String entry = feed.poll(LIVE_POLL_MS);
        long lost = feed.takeLost();
        StringBuilder chunk = new StringBuilder();
        if (lost > 0) {
          chunk.append(": ").append(lost).append(" events skipped (viewer too slow)\n\n");
        }
        if (entry != null) {
          chunk.append("event: delivery\ndata: ").append(entry).append("\n\n");
        } else if (System.nanoTime() - lastWrite > LIVE_HEARTBEAT_NANOS) {
          chunk.append(": keep-alive\n\n");
        }
        if (chunk.length() > 0) {
          out.write(chunk.toString().getBytes(StandardCharsets.UTF_8));
          out.flush();
          lastWrite = System.nanoTime();
        }
      }
      callback.succeeded();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      callback.failed(e);
    } catch (IOException e) {
      // The viewer went away.
      callback.failed(e);
    }
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

  /** The body too big for the limit. */
  private static final class TooLarge extends Exception {
    private static final long serialVersionUID = 1L;
    final long bytes;

    TooLarge(long bytes) {
      super(null, null, false, false);
      this.bytes = bytes;
    }
  }

  /** Reads the body (decompressed), refusing more than the limit; {@code wire[0]} = bytes read. */
  private byte[] readBody(Request request, boolean gzip, long[] wire) throws IOException, TooLarge {
    int limit = config.maxRequestBytes();
    CountingInputStream counted = new CountingInputStream(Content.Source.asInputStream(request));
    try (InputStream in = gzip ? new GZIPInputStream(counted, 8192) : counted) {
      long hint = request.getLength();
      ByteArrayOutputStream out = new ByteArrayOutputStream(hint > 0 && !gzip ? (int) hint : 8192);
      byte[] buffer = new byte[16384];
      int n;
      while ((n = in.read(buffer)) > 0) {
        if (out.size() + n > limit) {
          throw new TooLarge(gzip ? -1 : counted.count);
        }
        out.write(buffer, 0, n);
      }
      wire[0] = counted.count;
      return out.toByteArray();
    }
  }

  /** Counts the bytes received, for the request size metric. */
  private static final class CountingInputStream extends java.io.FilterInputStream {
    long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }

  private static String lower(String s) {
    return s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
  }

  private static byte[] resource(String name) {
    try (InputStream in = GatewayHandler.class.getResourceAsStream("/" + name)) {
      return in == null ? new byte[0] : in.readAllBytes();
    } catch (IOException e) {
      return new byte[0];
    }
  }
}
