package dev.ferry.testkit;

import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.NetworkChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;

/**
 * The Jetty core handler of {@link ScriptedHttpTarget}: reads the body asynchronously, asks for an
 * {@link Answer}, hands the request to the recorder, and carries the answer out without holding a
 * thread during delays and hangs.
 */
final class ScriptHandler extends Handler.Abstract {

  private final Function<ReceivedRequest, Answer> chooser;
  private final Consumer<ReceivedRequest> recorder;
  private final Queue<EndPoint> hanging = new ConcurrentLinkedQueue<>();

  ScriptHandler(Function<ReceivedRequest, Answer> chooser, Consumer<ReceivedRequest> recorder) {
    this.chooser = chooser;
    this.recorder = recorder;
  }

  /** Closes the connections of hanging requests. */
  void abortHanging() {
    for (EndPoint endPoint; (endPoint = hanging.poll()) != null; ) {
      endPoint.close();
    }
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Content.Source.asByteBuffer(
        request,
        new Promise<ByteBuffer>() {
          @Override
          public void succeeded(ByteBuffer buffer) {
            try {
              onRequest(request, response, callback, buffer);
            } catch (RuntimeException e) {
              callback.failed(e);
            }
          }

          @Override
          public void failed(Throwable failure) {
            callback.failed(failure);
          }
        });
    return true;
  }

  private void onRequest(Request request, Response response, Callback callback, ByteBuffer buf) {
    byte[] body = new byte[buf.remaining()];
    buf.get(body);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (HttpField field : request.getHeaders()) {
      headers.computeIfAbsent(field.getName(), k -> new ArrayList<>()).add(field.getValue());
    }
    ReceivedRequest received =
        new ReceivedRequest(
            request.getMethod(),
            request.getHttpURI().getPath(),
            request.getHttpURI().getQuery(),
            headers,
            body,
            Instant.now());
    Answer answer = chooser.apply(received);
    recorder.accept(received);
    Duration delay = answer.delayBeforeAnswer();
    if (delay.isZero()) {
      answer(request, response, callback, answer);
    } else {
      getServer()
          .getScheduler()
          .schedule(
              () -> answer(request, response, callback, answer),
              delay.toNanos(),
              TimeUnit.NANOSECONDS);
    }
  }

  private void answer(Request request, Response response, Callback callback, Answer answer) {
    EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
    switch (answer.kind()) {
      case HANG:
        hanging.add(endPoint);
        request.addIdleTimeoutListener(timeout -> false);
        return;
      case RESET:
        setOption(endPoint, StandardSocketOptions.SO_LINGER, 0);
        endPoint.close();
        callback.failed(new EofException("scripted connection reset"));
        return;
      default:
        byte[] body = answer.rawBody();
        response.setStatus(answer.statusCode());
        for (Map.Entry<String, String> h : answer.headers()) {
          response.getHeaders().add(h.getKey(), h.getValue());
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
  }

  private static <T> void setOption(EndPoint endPoint, SocketOption<T> option, T value) {
    if (endPoint.getTransport() instanceof NetworkChannel channel) {
      try {
        channel.setOption(option, value);
      } catch (IOException | UnsupportedOperationException e) {
        // Best effort: without it the client sees an EOF instead of a reset.
      }
    }
  }
}
