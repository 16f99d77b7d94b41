package dev.ferry.pipeline.testing;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A real Jetty target on an ephemeral port of 127.0.0.1. It records every request and answers with
 * the status its responder picks: by default the next scripted status, or 200 when none is left. It
 * can hold requests unanswered until released.
 */
public final class TestTarget implements AutoCloseable {

  /** One request as the target saw it. */
  public record Received(
      String method,
      String path,
      Map<String, String> headers,
      String text,
      long nanos,
      long millis) {

    /** The first value of a header, or null. */
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final Server server = new Server();
  private final ServerConnector connector = new ServerConnector(server);
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Queue<Integer> scripted = new ConcurrentLinkedQueue<>();
  private volatile ToIntFunction<Received> responder = r -> nextScripted();
  private volatile CountDownLatch gate;

  private TestTarget() {
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            ByteBuffer content = Content.Source.asByteBuffer(request);
            byte[] body = new byte[content.remaining()];
            content.get(body);
            Map<String, String> headers = new LinkedHashMap<>();
            for (HttpField field : request.getHeaders()) {
              headers.putIfAbsent(field.getLowerCaseName(), field.getValue());
            }
            Received r =
                new Received(
                    request.getMethod(),
                    request.getHttpURI().getPath(),
                    headers,
                    new String(body, StandardCharsets.UTF_8),
                    System.nanoTime(),
                    System.currentTimeMillis());
            received.add(r);
            CountDownLatch hold = gate;
            if (hold != null) {
              hold.await(20, TimeUnit.SECONDS);
            }
            int status = responder.applyAsInt(r);
            String answer =
                status >= 200 && status < 300 ? "{}" : "{\"error\":\"status " + status + "\"}";
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.write(
                true, ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)), callback);
            return true;
          }
        });
  }

  /** Starts a target. */
  public static TestTarget start() throws Exception {
    TestTarget target = new TestTarget();
    target.server.start();
    return target;
  }

  private int nextScripted() {
    Integer status = scripted.poll();
    return status == null ? 200 : status;
  }

  /** Answers the next requests with these statuses, in order, then 200 again. */
  public void script(int... statuses) {
    for (int status : statuses) {
      scripted.add(status);
    }
  }

  /** Picks each answer's status with this function instead of the script. */
  public void answer(ToIntFunction<Received> responder) {
    this.responder = responder;
  }

  /** Holds every request from now on unanswered until {@link #release()}. */
  public void hold() {
    gate = new CountDownLatch(1);
  }

  /** Answers held requests, and holds no more. */
  public void release() {
    CountDownLatch hold = gate;
    gate = null;
    if (hold != null) {
      hold.countDown();
    }
  }

  /** The requests so far, in arrival order. */
  public List<Received> received() {
    return List.copyOf(received);
  }

  public void forget() {
    received.clear();
  }

  /** This target's URL with the given path, which may hold placeholders. */
  public String url(String path) {
    return "http://127.0.0.1:" + connector.getLocalPort() + path;
  }

  public URI uri(String path) {
    return URI.create(url(path));
  }

  @Override
  public void close() throws Exception {
    release();
    server.stop();
  }
}
