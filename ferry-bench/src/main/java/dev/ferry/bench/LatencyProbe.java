package dev.ferry.bench;

import dev.ferry.testkit.Answer;
import dev.ferry.testkit.ReceivedRequest;
import java.nio.charset.StandardCharsets;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A {@link dev.ferry.testkit.ScriptedHttpTarget#respondWith} hook that measures delivery latency:
 * for every {@code "sent":<nanos>} in a request body (one per record, see {@link
 * RecordValues#timedValue}), the time from that stamp to the request's arrival. Scans bytes without
 * parsing the JSON, so it is cheap on the target's threads.
 */
final class LatencyProbe implements Function<ReceivedRequest, Answer> {
  private static final byte[] FIELD = "\"sent\":".getBytes(StandardCharsets.US_ASCII);

  private static final long SLOW_NANOS = 1_000_000_000L;

  private final Recorder recorder = new Recorder(3);
  private final AtomicLong slowRecords = new AtomicLong();
  private final AtomicLong firstSlowArrival = new AtomicLong(-1);
  private volatile long origin = BenchClock.nanos();

  @Override
  public Answer apply(ReceivedRequest request) {
    long now = BenchClock.nanos();
    byte[] body = request.body();
    int i = 0;
    while ((i = indexOf(body, i)) >= 0) {
      i += FIELD.length;
      long sent = 0;
      while (i < body.length && body[i] >= '0' && body[i] <= '9') {
        sent = sent * 10 + (body[i] - '0');
        i++;
      }
      long latency = Math.max(0, now - sent);
      recorder.recordValue(latency);
      if (latency >= SLOW_NANOS) {
        slowRecords.incrementAndGet();
        firstSlowArrival.compareAndSet(-1, now);
      }
    }
    return null;
  }

  /** Forgets what was measured so far, e.g. the warm-up. */
  void reset() {
    recorder.reset();
    slowRecords.set(0);
    firstSlowArrival.set(-1);
    origin = BenchClock.nanos();
  }

  /** Records since the last reset that took a second or more. */
  long slowRecords() {
    return slowRecords.get();
  }

  /** Seconds from the last reset to the first request with a record that took a second or more. */
  OptionalDouble firstSlowSeconds() {
    long at = firstSlowArrival.get();
    return at < 0 ? OptionalDouble.empty() : OptionalDouble.of((at - origin) / 1e9);
  }

  /** The latencies (ns) measured since the last reset or snapshot. */
  Histogram snapshot() {
    return recorder.getIntervalHistogram();
  }

  private static int indexOf(byte[] body, int from) {
    outer:
    for (int i = from; i <= body.length - FIELD.length; i++) {
      for (int j = 0; j < FIELD.length; j++) {
        if (body[i + j] != FIELD[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
