package dev.ferry.gateway.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A validating scanner over JSON bytes (RFC 8259, UTF-8). The gateway copies most of an event —
 * {@code properties}, {@code context}, other fields — into the envelope as the bytes the client
 * sent, so for those it only needs to know that they are valid JSON and where they end. A token
 * parser decodes every name, string and number on the way; this scanner only checks them, at a
 * fraction of the cost. It accepts exactly the JSON grammar (no comments, no trailing commas, no
 * leading zeros, no control characters in strings) and only well-formed UTF-8 in strings, and nests
 * at most {@link #MAX_DEPTH} deep. Texts the gateway does read (top-level names and values) come
 * out decoded, by Jackson when they hold escapes.
 */
final class JsonScan {
  static final int MAX_DEPTH = 1000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final byte[] b;
  private final int end;
  private int pos;
  private boolean escaped;
  private final long[] objects = new long[(MAX_DEPTH + 63) / 64];

  /** Where and why the bytes are not JSON. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;
    private final int at;

    Invalid(int at, String message) {
      super(message, null, false, false);
      this.at = at;
    }

    /** The offset of the offending byte in the scanned array. */
    int at() {
      return at;
    }
  }

  /** Scans {@code bytes} from {@code from} to {@code to} (exclusive). */
  JsonScan(byte[] bytes, int from, int to) {
    this.b = bytes;
    this.pos = from;
    this.end = to;
  }

  int pos() {
    return pos;
  }

  byte[] bytes() {
    return b;
  }

  /** Skips whitespace; the next byte (0-255), or -1 at the end. */
  int peek() {
    while (pos < end) {
      byte c = b[pos];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return c & 0xFF;
      }
      pos++;
    }
    return -1;
  }

  /** Moves past the byte {@link #peek} returned. */
  void advance() {
    pos++;
  }

  /** Skips whitespace and {@code c}, or fails naming what was expected. */
  void expect(char c, String expected) throws Invalid {
    int next = peek();
    if (next != c) {
      throw unexpected(next, expected);
    }
    pos++;
  }

  /**
   * The kind of the value that starts with the next byte (after whitespace), without reading it.
   */
  JsonToken kind() throws Invalid {
    int c = peek();
    switch (c) {
      case '{':
        return JsonToken.START_OBJECT;
      case '[':
        return JsonToken.START_ARRAY;
      case '"':
        return JsonToken.VALUE_STRING;
      case 't':
        return JsonToken.VALUE_TRUE;
      case 'f':
        return JsonToken.VALUE_FALSE;
      case 'n':
        return JsonToken.VALUE_NULL;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return numberKind();
        }
        throw unexpected(c, "a JSON value");
    }
  }

  /** Checks the next value (after whitespace) and moves past it. */
  void skipValue() throws Invalid {
    int c = peek();
    if (c == '{' || c == '[') {
      structure();
    } else {
      scalar(c);
    }
  }

  /**
   * Reads the string at the next byte and returns it decoded; {@link #escaped()} then says whether
   * it held escapes.
   */
  String string() throws Invalid {
    int start = pos;
    skipString();
    return escaped ? decode(b, start, pos) : plain(b, start, pos);
  }

  /** A string this scanner checked, from its opening to past its closing quote, decoded. */
  static String text(byte[] b, int from, int to) throws Invalid {
    for (int i = from + 1; i < to - 1; i++) {
      if (b[i] == '\\') {
        return decode(b, from, to);
      }
    }
    return plain(b, from, to);
  }

  private static String plain(byte[] b, int from, int to) {
    return new String(b, from + 1, to - from - 2, StandardCharsets.UTF_8);
  }

  /** Escapes are rare: Jackson decodes them. */
  private static String decode(byte[] b, int from, int to) throws Invalid {
    try (JsonParser p = JSON.getFactory().createParser(b, from, to - from)) {
      p.nextToken();
      return p.getText();
    } catch (IOException e) {
      throw new Invalid(from, "a string could not be decoded: " + e.getMessage());
    }
  }

  /** Whether the last string read held a backslash escape. */
  boolean escaped() {
    return escaped;
  }

  /** An object or an array, at its first byte: checked through its last, without recursion. */
  private void structure() throws Invalid {
    int depth = 0;
    open:
    while (true) {
      boolean object = b[pos] == '{';
      if (depth == MAX_DEPTH) {
        throw new Invalid(pos, "the JSON is nested deeper than " + MAX_DEPTH + " levels");
      }
      mark(depth++, object);
      pos++;
      int c = peek();
      if (c == (object ? '}' : ']')) {
        pos++;
        depth--;
      } else if (member(object, c)) {
        continue; // a nested object or array: open it
      }
      while (depth > 0) {
        boolean inObject = isObject(depth - 1);
        c = peek();
        if (c == ',') {
          pos++;
          if (member(inObject, peek())) {
            continue open;
          }
        } else if (c == (inObject ? '}' : ']')) {
          pos++;
          depth--;
        } else {
          throw unexpected(c, inObject ? "',' or '}'" : "',' or ']'");
        }
      }
      return;
    }
  }

  /**
   * One member of an object (its name, the colon, its value) or one element of an array; true, left
   * at its first byte, when the value is an object or an array.
   */
  private boolean member(boolean object, int c) throws Invalid {
    if (object) {
      if (c != '"') {
        throw unexpected(c, "a field name in double quotes");
      }
      skipString();
      expect(':', "':'");
      c = peek();
    }
    if (c == '{' || c == '[') {
      return true;
    }
    scalar(c);
    return false;
  }

  private void mark(int depth, boolean object) {
    long bit = 1L << (depth & 63);
    if (object) {
      objects[depth >> 6] |= bit;
    } else {
      objects[depth >> 6] &= ~bit;
    }
  }

  private boolean isObject(int depth) {
    return (objects[depth >> 6] & (1L << (depth & 63))) != 0;
  }

  private void scalar(int c) throws Invalid {
    switch (c) {
      case '"' -> skipString();
      case 't' -> word("true");
      case 'f' -> word("false");
      case 'n' -> word("null");
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          number();
        } else {
          throw unexpected(c, "a JSON value");
        }
      }
    }
  }

  private void word(String word) throws Invalid {
    for (int i = 0; i < word.length(); i++) {
      if (pos + i >= end || b[pos + i] != word.charAt(i)) {
        throw new Invalid(pos, "unrecognized token: expected " + word);
      }
    }
    pos += word.length();
  }

  /** {@code -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?} */
  private void number() throws Invalid {
    int start = pos;
    if (b[pos] == '-') {
      pos++;
    }
    if (pos < end && b[pos] == '0') {
      pos++;
    } else if (digits() == 0) {
      throw new Invalid(start, "a number needs a digit after '-'");
    }
    if (pos < end && b[pos] == '.') {
      pos++;
      if (digits() == 0) {
        throw new Invalid(pos, "a number needs a digit after '.'");
      }
    }
    if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
      pos++;
      if (pos < end && (b[pos] == '+' || b[pos] == '-')) {
        pos++;
      }
      if (digits() == 0) {
        throw new Invalid(pos, "a number needs a digit in its exponent");
      }
    }
  }

  private int digits() {
    int start = pos;
    while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
      pos++;
    }
    return pos - start;
  }

  /** The kind of the number at the next byte: an integer unless it has a fraction or exponent. */
  private JsonToken numberKind() {
    int i = pos;
    while (i < end) {
      byte c = b[i++];
      if (c == '.' || c == 'e' || c == 'E') {
        return JsonToken.VALUE_NUMBER_FLOAT;
      }
      if (c != '-' && (c < '0' || c > '9')) {
        break;
      }
    }
    return JsonToken.VALUE_NUMBER_INT;
  }

  /** The string at the next byte: escapes, control characters and UTF-8 checked. */
  void skipString() throws Invalid {
    int start = pos++;
    escaped = false;
    while (true) {
      // The usual run of plain ASCII.
      while (pos < end) {
        byte c = b[pos];
        if (c < 0x20 || c == '"' || c == '\\') {
          break;
        }
        pos++;
      }
      if (pos >= end) {
        throw new Invalid(start, "a string is not closed");
      }
      int c = b[pos] & 0xFF;
      if (c == '"') {
        pos++;
        return;
      }
      if (c == '\\') {
        escape();
      } else if (c < 0x20) {
        throw new Invalid(pos, "a control character (code " + c + ") in a string must be escaped");
      } else {
        utf8(c);
      }
    }
  }

  private void escape() throws Invalid {
    escaped = true;
    int at = pos;
    if (pos + 1 >= end) {
      throw new Invalid(at, "a string is not closed");
    }
    byte c = b[pos + 1];
    if (c == 'u') {
      for (int i = 2; i < 6; i++) {
        if (pos + i >= end || Character.digit(b[pos + i], 16) < 0) {
          throw new Invalid(at, "\\u must be followed by four hex digits");
        }
      }
      pos += 6;
    } else if (c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' || c == 'r'
        || c == 't') {
      pos += 2;
    } else {
      throw new Invalid(at, "unrecognized escape in a string: \\" + (char) (c & 0xFF));
    }
  }

  /** One multi-byte UTF-8 character whose first byte is {@code c} (0x80 and above). */
  private void utf8(int c) throws Invalid {
    int at = pos;
    int more;
    int low = 0x80;
    int high = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      more = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      more = 2;
      low = c == 0xE0 ? 0xA0 : 0x80; // no overlong forms
      high = c == 0xED ? 0x9F : 0xBF; // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      more = 3;
      low = c == 0xF0 ? 0x90 : 0x80;
      high = c == 0xF4 ? 0x8F : 0xBF; // nothing above U+10FFFF
    } else {
      throw new Invalid(at, "the string is not valid UTF-8");
    }
    for (int i = 1; i <= more; i++) {
      int next = at + i < end ? b[at + i] & 0xFF : -1;
      if (next < (i == 1 ? low : 0x80) || next > (i == 1 ? high : 0xBF)) {
        throw new Invalid(at, "the string is not valid UTF-8");
      }
    }
    pos += 1 + more;
  }

  /** The byte {@code c} (or the end, -1) at the current position is not {@code expected}. */
  Invalid unexpected(int c, String expected) {
    if (c < 0) {
      return new Invalid(pos, "unexpected end of input: expected " + expected);
    }
    String seen = c >= 0x20 && c < 0x7F ? "'" + (char) c + "'" : "byte 0x" + Integer.toHexString(c);
    return new Invalid(pos, "unexpected " + seen + ": expected " + expected);
  }

  /** {@code line L, column C} of an offset in {@code bytes} (from 1; columns count bytes). */
  static String where(byte[] bytes, int from, int at) {
    int line = 1;
    int lineStart = from;
    for (int i = from; i < at && i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return "line " + line + ", column " + (at - lineStart + 1);
  }
}
