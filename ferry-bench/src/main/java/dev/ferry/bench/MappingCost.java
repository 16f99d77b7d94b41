package dev.ferry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.pipeline.decode.DecodeException;
import dev.ferry.pipeline.decode.MessageDecoder;
import dev.ferry.pipeline.map.Mapper;
import dev.ferry.pipeline.map.MappingException;
import dev.ferry.pipeline.map.MessageMeta;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The per-record cost of Ferry's catalog stages in-process, without Kafka: decoding a message
 * ({@link MessageDecoder}, as the sink does) and mapping it ({@link Mapper}), on this one thread,
 * cycling over distinct messages, timed after a warm-up of the same length.
 */
final class MappingCost {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final int CHECK_EVERY = 64;

  private final List<byte[]> messages;
  private final List<String> keys;
  private final Duration duration;
  private final PrintStream log;
  private final MessageDecoder decoder = new MessageDecoder(null);

  /**
   * One step's cost.
   *
   * @param step what was measured
   * @param records records processed in the timed window
   * @param cpuNanos this thread's CPU time in the window
   * @param wallNanos the window's length
   * @param entities the mapping's results over the window (0 for decoding only)
   */
  record Result(String step, long records, long cpuNanos, long wallNanos, long entities) {

    /** CPU microseconds per record: the cost on one core. */
    double cpuMicros() {
      return cpuNanos / 1e3 / records;
    }

    /** Wall-clock microseconds per record (more than the CPU time when the thread had to wait). */
    double wallMicros() {
      return wallNanos / 1e3 / records;
    }

    /** Records per second one core does at this cost. */
    double perCore() {
      return records * 1e9 / cpuNanos;
    }
  }

  /**
   * @param messages the messages, cycled over
   * @param keys their record keys, passed to the mapping in {@code meta.key}
   * @param duration how long each step warms up, and then how long it is timed
   */
  MappingCost(List<byte[]> messages, List<String> keys, Duration duration, PrintStream log) {
    if (messages.isEmpty() || messages.size() != keys.size()) {
      throw new IllegalArgumentException("one key per message, at least one message");
    }
    this.messages = messages;
    this.keys = keys;
    this.duration = duration;
    this.log = log;
  }

  /** Decoding only: bytes to a JSON tree. */
  Result decodeOnly() throws DecodeException, MappingException {
    return measure("decode only (bytes -> JSON tree)", null);
  }

  /** Decoding, then mapping with {@code mapper}. */
  Result decodeAndMap(String step, Mapper mapper) throws DecodeException, MappingException {
    return measure(step, mapper);
  }

  private Result measure(String step, Mapper mapper) throws DecodeException, MappingException {
    log.printf(
        Locale.ROOT,
        "    %s: warm-up %d s, then %d s timed%n",
        step,
        duration.toSeconds(),
        duration.toSeconds());
    log.flush();
    run(mapper, 0, duration.toNanos());
    long cpuStart = THREADS.getCurrentThreadCpuTime();
    long wallStart = System.nanoTime();
    long[] counts = run(mapper, messages.size() / 2, duration.toNanos());
    long wall = System.nanoTime() - wallStart;
    long cpu = THREADS.getCurrentThreadCpuTime() - cpuStart;
    Result r = new Result(step, counts[0], cpu, wall, counts[1]);
    log.printf(
        Locale.ROOT,
        "      %,d records: %.1f µs/record CPU (%.1f wall), %,.0f records/s per core%s%n",
        r.records(),
        r.cpuMicros(),
        r.wallMicros(),
        r.perCore(),
        mapper == null
            ? ""
            : String.format(
                Locale.ROOT, ", %.2f entities/record", (double) r.entities() / r.records()));
    log.flush();
    return r;
  }

  /** Processes messages from {@code from} on for {@code nanos}; returns {records, entities}. */
  private long[] run(Mapper mapper, int from, long nanos) throws DecodeException, MappingException {
    long end = System.nanoTime() + nanos;
    long records = 0;
    long entities = 0;
    int i = from;
    while (true) {
      for (int k = 0; k < CHECK_EVERY; k++) {
        JsonNode message = decoder.decode(messages.get(i));
        if (mapper == null) {
          entities += message.size() > 0 ? 0 : 1; // keeps the tree alive, never counts
        } else {
          MessageMeta meta =
              new MessageMeta("catalog", 0, records, keys.get(i), 1_790_000_000_000L, Map.of());
          entities += mapper.map(message, meta).size();
        }
        records++;
        i = i + 1 == messages.size() ? 0 : i + 1;
      }
      if (System.nanoTime() - end > 0) {
        return new long[] {records, entities};
      }
    }
  }
}
