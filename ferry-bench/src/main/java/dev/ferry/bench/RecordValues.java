package dev.ferry.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The keys and JSON values of benchmark records: {@code {"seq":i,"pad":"xxx..."}} padded to a fixed
 * size, and for latency phases {@code {"sent":t,"seq":i,"pad":"..."}} with the send time.
 */
final class RecordValues implements RecordSource {
  private static final byte[] SENT = "{\"sent\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SEQ_FIRST = "{\"seq\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SEQ_NEXT = ",\"seq\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PAD = ",\"pad\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\"}".getBytes(StandardCharsets.US_ASCII);

  private final int recordBytes;

  /** Values of {@code recordBytes} bytes each (longer only when the fields alone do not fit). */
  RecordValues(int recordBytes) {
    this.recordBytes = recordBytes;
  }

  /** The key of record {@code seq}: {@code k<seq>}. */
  static byte[] key(long seq) {
    return ("k" + seq).getBytes(StandardCharsets.US_ASCII);
  }

  /** Record {@code i}: key {@code k<i>}, its {@link #value}, partitions round-robin. */
  @Override
  public ProducerRecord<byte[], byte[]> record(String topic, int partitions, long i) {
    return new ProducerRecord<>(topic, (int) (i % partitions), key(i), value(i));
  }

  /** {@code {"seq":<seq>,"pad":"x..."}}. */
  byte[] value(long seq) {
    byte[] seqText = Long.toString(seq).getBytes(StandardCharsets.US_ASCII);
    return build(new byte[0][], SEQ_FIRST, seqText);
  }

  /** {@code {"sent":<sentNanos>,"seq":<seq>,"pad":"x..."}}. */
  byte[] timedValue(long seq, long sentNanos) {
    byte[] sentText = Long.toString(sentNanos).getBytes(StandardCharsets.US_ASCII);
    byte[] seqText = Long.toString(seq).getBytes(StandardCharsets.US_ASCII);
    return build(new byte[][] {SENT, sentText}, SEQ_NEXT, seqText);
  }

  private byte[] build(byte[][] head, byte[] seqField, byte[] seqText) {
    int fixed = seqField.length + seqText.length + PAD.length + END.length;
    for (byte[] part : head) {
      fixed += part.length;
    }
    int pad = Math.max(0, recordBytes - fixed);
    byte[] out = new byte[fixed + pad];
    int at = 0;
    for (byte[] part : head) {
      at = put(out, at, part);
    }
    at = put(out, at, seqField);
    at = put(out, at, seqText);
    at = put(out, at, PAD);
    Arrays.fill(out, at, at + pad, (byte) 'x');
    put(out, at + pad, END);
    return out;
  }

  private static int put(byte[] out, int at, byte[] part) {
    System.arraycopy(part, 0, out, at, part.length);
    return at + part.length;
  }
}
