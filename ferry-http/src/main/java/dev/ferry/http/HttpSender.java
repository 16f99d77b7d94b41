package dev.ferry.http;

import dev.ferry.http.auth.Auth;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends requests to one target with its auth. A request that fails because the server closed a
 * pooled connection is sent once more at once. Thread-safe; one per task, shared by all its lanes.
 * A 401 is answered by renewing the credentials once and sending the request again.
 */
public final class HttpSender implements AutoCloseable {
  /** Headers the JDK client sets itself and refuses from callers. */
  private static final Set<String> RESTRICTED =
      Set.of("connection", "content-length", "expect", "host", "upgrade");

  private final HttpClient client;
  private final ExecutorService executor;
  private final Auth auth;
  private final Duration requestTimeout;

  public HttpSender(HttpSettings settings, Auth auth) {
    this.auth = auth;
    this.requestTimeout = settings.requestTimeout();
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "ferry-http-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(settings.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(executor);
    if (!settings.tls().isSystemDefault()) {
      builder.sslContext(settings.tls().sslContext());
    }
    this.client = builder.build();
  }

  /** Sends the request; network failures surface as {@link IOException}. */
  public Response send(Request request) throws IOException, InterruptedException {
    Response response;
    try {
      response = sendOnce(request);
    } catch (IOException e) {
      if (!closedByTheServer(e)) {
        throw e;
      }
      // A pooled keep-alive connection the server had already closed: send once more on a fresh
      // one at once, rather than waiting for the back-off schedule.
      response = sendOnce(request);
    }
    if (response.status() == 401 && auth.renewAfterUnauthorized()) {
      response = sendOnce(request);
    }
    return response;
  }

  private Response sendOnce(Request request) throws IOException, InterruptedException {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(request.uri())
            .timeout(requestTimeout)
            .method(request.method(), bodyOf(request));
    for (Map.Entry<String, String> header : request.headers()) {
      if (!RESTRICTED.contains(header.getKey().toLowerCase(java.util.Locale.ROOT))) {
        builder.header(header.getKey(), header.getValue());
      }
    }
    for (Map.Entry<String, String> header : auth.headers().entrySet()) {
      builder.setHeader(header.getKey(), header.getValue());
    }
    long start = System.nanoTime();
    HttpResponse<byte[]> response =
        client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    return new Response(
        response.statusCode(),
        response.headers().map(),
        response.body(),
        Duration.ofNanos(System.nanoTime() - start));
  }

  private static boolean closedByTheServer(IOException e) {
    String message = e.getMessage();
    return e instanceof java.io.EOFException
        || (message != null && message.contains("header parser received no bytes"));
  }

  private static HttpRequest.BodyPublisher bodyOf(Request request) {
    return request.body().length == 0
        ? HttpRequest.BodyPublishers.noBody()
        : new ArrayBodyPublisher(request.body());
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
