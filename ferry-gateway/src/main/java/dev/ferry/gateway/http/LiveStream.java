package dev.ferry.gateway.http;

import dev.ferry.gateway.live.LiveFeed;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /v1/events/live}: the live feed as server-sent events ({@code event: delivery}), a
 * comment when entries were skipped for a slow viewer, and a keep-alive comment every 15 s. Holds
 * its request thread until the viewer goes or the gateway stops.
 */
final class LiveStream {
  static final int MAX_VIEWERS = 16;
  private static final long HEARTBEAT_NANOS = 15_000_000_000L;

  /** How often the stream looks for news, a gone viewer, or a stopping gateway. */
  private static final long POLL_MS = 500;

  private final LiveFeed live;

  LiveStream(LiveFeed live) {
    this.live = live;
  }

  /** True when another viewer would be one too many. */
  boolean full() {
    return live.subscribers() >= MAX_VIEWERS;
  }

  /** Streams to {@code response} while {@code running}; the viewer is already authorised. */
  void serve(Response response, Callback callback, BooleanSupplier running) {
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    try (LiveFeed.Subscriber feed = live.subscribe();
        OutputStream out = Content.Sink.asOutputStream(response)) {
      out.write(": ferry live events\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      long lastWrite = System.nanoTime();
      while (running.getAsBoolean()) {
        String entry = feed.poll(POLL_MS);
        long lost = feed.takeLost();
        StringBuilder chunk = new StringBuilder();
        if (lost > 0) {
          chunk.append(": ").append(lost).append(" events skipped (viewer too slow)\n\n");
        }
        if (entry != null) {
          chunk.append("event: delivery\ndata: ").append(entry).append("\n\n");
        } else if (System.nanoTime() - lastWrite > HEARTBEAT_NANOS) {
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
}
