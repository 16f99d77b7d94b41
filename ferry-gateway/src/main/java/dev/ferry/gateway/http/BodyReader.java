package dev.ferry.gateway.http;

import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * Reads a request body whole without blocking a thread: takes what Jetty already has, and asks to
 * be called again ({@link Request#demand}) when more arrives. Jetty runs the continuation on the
 * thread that found the bytes, usually its selector, so a body costs no thread hand-off and no
 * thread waits for a slow sender.
 */
final class BodyReader implements Invocable.Task {
  private static final int FIRST_BYTES = 64 * 1024;
  private static final int UNKNOWN_LENGTH_BYTES = 8192;

  /** Told once: the body, or why there is none. */
  interface Done {
    void body(RequestBody body);

    /**
     * @param failure {@link RequestBody.TooLarge}, {@link RequestBody.Unreadable}, or the
     *     connection's failure (e.g. {@link EOFException} when the client stopped sending)
     */
    void failed(Throwable failure);
  }

  private final Request request;
  private final RequestBody.Format format;
  private final int limit;
  private final long announced;
  private final Done done;
  private byte[] bytes; // made on the first chunk, sized by it
  private int length;

  private BodyReader(Request request, RequestBody.Format format, int limit, Done done) {
    this.request = request;
    this.format = format;
    this.limit = limit;
    this.done = done;
    this.announced = request.getLength();
  }

  /**
   * Reads the body of {@code request} and tells {@code done}, on this thread when the body is
   * already here, else on the thread that receives its end.
   */
  static void read(Request request, RequestBody.Format format, int limit, Done done) {
    new BodyReader(request, format, limit, done).run();
  }

  @Override
  public void run() {
    while (true) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        request.demand(this);
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        Throwable failure = chunk.getFailure();
        if (!chunk.isLast()) {
          request.fail(failure);
        }
        done.failed(failure);
        return;
      }
      boolean last = chunk.isLast();
      boolean fits = append(chunk.getByteBuffer());
      chunk.release();
      if (!fits) {
        done.failed(new RequestBody.TooLarge(format.gzip() ? -1 : length));
        return;
      }
      if (last) {
        finish();
        return;
      }
    }
  }

  /**
   * False when the body goes past the limit (as received: a gzip body larger than the limit is
   * refused before it is decompressed, like one that announces such a length).
   */
  private boolean append(ByteBuffer buffer) {
    int n = buffer.remaining();
    if ((long) length + n > limit) {
      length += n;
      return false;
    }
    if (bytes == null) {
      bytes = new byte[room(n)];
    } else if (length + n > bytes.length) {
      bytes = Arrays.copyOf(bytes, room(length + n));
    }
    buffer.get(bytes, length, n);
    length += n;
    return true;
  }

  /**
   * Room for {@code need} bytes, when the first bytes arrive or the body outgrows its array. The
   * room follows what was sent: the whole announced length once the client sent at least a quarter
   * of it (a typical batch arrives in one or two chunks and is then copied once), else 64 KB at
   * first and twice as much each time it fills — so a client announcing megabytes and sending them
   * slowly holds at most four times what it sent, or 64 KB.
   */
  private int room(int need) {
    long room;
    if (announced >= need && (announced <= FIRST_BYTES || announced <= 4L * need)) {
      room = announced;
    } else {
      long first = announced >= 0 ? Math.min(FIRST_BYTES, announced) : UNKNOWN_LENGTH_BYTES;
      room = Math.max(need, bytes == null ? first : 2L * bytes.length);
      if (announced >= need) {
        room = Math.min(room, announced);
      }
    }
    return (int) Math.min(limit, room);
  }

  private void finish() {
    if (bytes == null) {
      bytes = new byte[0]; // no chunk at all (Jetty gives at least the last one)
    }
    RequestBody body;
    try {
      body = RequestBody.of(bytes, length, format, limit);
    } catch (RequestBody.TooLarge | RequestBody.Unreadable | RuntimeException e) {
      done.failed(e);
      return;
    }
    done.body(body);
  }

  @Override
  public InvocationType getInvocationType() {
    return InvocationType.NON_BLOCKING;
  }
}
