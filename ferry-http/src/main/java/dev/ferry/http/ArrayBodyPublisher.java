package dev.ferry.http;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;

/**
 * Publishes a request body straight from its array. The JDK's {@code ofByteArray} copies every body
 * into 16 KB buffers first; for batches of hundreds of records that copy is most of the garbage a
 * request makes.
 */
final class ArrayBodyPublisher implements HttpRequest.BodyPublisher {
  private final byte[] body;

  ArrayBodyPublisher(byte[] body) {
    this.body = body;
  }

  @Override
  public long contentLength() {
    return body.length;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
    subscriber.onSubscribe(
        new Flow.Subscription() {
          private boolean done;

          @Override
          public void request(long n) {
            boolean send;
            synchronized (this) {
              send = !done && n > 0;
              done |= send;
            }
            if (send) {
              subscriber.onNext(ByteBuffer.wrap(body).asReadOnlyBuffer());
              subscriber.onComplete();
            } else if (n <= 0) {
              subscriber.onError(new IllegalArgumentException("request(" + n + ")"));
            }
          }

          @Override
          public synchronized void cancel() {
            done = true;
          }
        });
  }
}
