package dev.ferry.gateway.http;

import static dev.ferry.gateway.http.Replies.JSON_TYPE;
import static dev.ferry.gateway.http.Replies.closeIfBodyUnread;
import static dev.ferry.gateway.http.Replies.internalError;
import static dev.ferry.gateway.http.Replies.refuse;
import static dev.ferry.gateway.http.Replies.send;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.gateway.GatewayConfig;
import dev.ferry.gateway.ingest.EventService;
import dev.ferry.gateway.live.LiveFeed;
import dev.ferry.gateway.produce.KafkaStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.ObjIntConsumer;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
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
  private final EventPosts posts;
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
    this.posts = new EventPosts(config, service, kafka, requests);
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
              method, request, response, callback, () -> posts.post(request, response, callback));
        case "/v1/events/test":
          return post(
              method,
              request,
              response,
              callback,
              blocking(request, response, callback, () -> posts.test(request, response, callback)));
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
      internalError(request, response, callback);
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
                    internalError(request, response, callback);
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

  private static byte[] resource(String name) {
    try (InputStream in = GatewayHandler.class.getResourceAsStream("/" + name)) {
      return in == null ? new byte[0] : in.readAllBytes();
    } catch (IOException e) {
      return new byte[0];
    }
  }
}
