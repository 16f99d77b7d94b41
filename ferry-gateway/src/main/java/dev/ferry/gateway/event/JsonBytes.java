package dev.ferry.gateway.event;

import java.util.Arrays;

/**
 * A growing array of bytes for JSON written by hand (envelopes, answers): only bytes that are
 * already JSON go in — slices of a body the parser read, ASCII that needs no escaping, numbers.
 */
public class JsonBytes {
  protected byte[] buf;
  protected int length;

  public JsonBytes(int capacity) {
    buf = new byte[capacity];
  }

  /** Makes room for {@code more} bytes after the current ones. */
  protected final void room(int more) {
    if (length + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + more));
    }
  }

  public JsonBytes copy(byte[] from, int start, int end) {
    room(end - start);
    System.arraycopy(from, start, buf, length, end - start);
    length += end - start;
    return this;
  }

  public JsonBytes add(byte[] bytes) {
    return copy(bytes, 0, bytes.length);
  }

  /** One ASCII character. */
  public JsonBytes add(char c) {
    room(1);
    buf[length++] = (byte) c;
    return this;
  }

  /** {@code s}, known to be ASCII that JSON takes as it is. */
  public JsonBytes ascii(String s) {
    int n = s.length();
    room(n);
    for (int i = 0; i < n; i++) {
      buf[length++] = (byte) s.charAt(i);
    }
    return this;
  }

  /**
   * Adds {@code s} and returns true when it is printable ASCII without a quote or backslash (ids,
   * topics: JSON takes it as it is); else adds nothing and returns false.
   */
  public boolean plainAscii(String s) {
    int n = s.length();
    room(n);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
      buf[length + i] = (byte) c;
    }
    length += n;
    return true;
  }

  /** Forgets the bytes written, keeping the room. */
  protected final void clear() {
    length = 0;
  }

  /** {@code value} in decimal. */
  public JsonBytes number(long value) {
    if (value < 0) {
      if (value == Long.MIN_VALUE) {
        return ascii(Long.toString(value));
      }
      add('-');
      value = -value;
    }
    int digits = 1;
    for (long v = value / 10; v > 0; v /= 10) {
      digits++;
    }
    room(digits);
    for (int i = length + digits - 1; i >= length; i--) {
      buf[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    length += digits;
    return this;
  }

  /** The bytes written; this array itself when it is full, so write no more after. */
  public byte[] toByteArray() {
    return length == buf.length ? buf : Arrays.copyOf(buf, length);
  }

  /** A copy of the bytes written: this one may be cleared and written again. */
  public byte[] copyOut() {
    return Arrays.copyOf(buf, length);
  }
}
