package dev.ferry.pipeline.decode;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Values that are not framed: JSON when they parse as JSON, otherwise UTF-8 text.
 *
 * <p>Jackson's messages quote the offending tokens, so failures carry a reason of our own (what
 * went wrong, line and column) and not Jackson's exception.
 */
final class JsonOrText {
  private static final ObjectReader JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build()
          .readerFor(JsonNode.class);

  private JsonOrText() {}

  /** A JSON value, a text, or a failure for broken JSON objects or arrays and non-UTF-8 bytes. */
  static JsonNode decode(byte[] value) throws DecodeException {
    int first = firstNonWhitespace(value, 0);
    if (first < value.length && looksLikeJson(value[first])) {
      try {
        return parse(value, 0);
      } catch (IOException e) {
        if (value[first] == '{' || value[first] == '[') {
          throw new DecodeException("not valid JSON: " + reason(e), false);
        }
        // "42 apples", "true story", "null and void": text that starts like JSON.
      }
    }
    return text(value);
  }

  /**
   * The JSON object or array that fills {@code value} from {@code offset} on, or null when the
   * bytes there do not start with one or do not parse.
   */
  static JsonNode objectOrArrayAt(byte[] value, int offset) {
    int first = firstNonWhitespace(value, offset);
    if (first >= value.length || (value[first] != '{' && value[first] != '[')) {
      return null;
    }
    try {
      return parse(value, offset);
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * The JSON value that fills {@code value} from {@code offset} on.
   *
   * @param what names the bytes in the failure message, such as "the payload of schema id 7"
   */
  static JsonNode jsonAt(byte[] value, int offset, String what) throws DecodeException {
    if (firstNonWhitespace(value, offset) >= value.length) {
      throw new DecodeException(what + " is not valid JSON: it is empty", false);
    }
    try {
      return parse(value, offset);
    } catch (IOException e) {
      throw new DecodeException(what + " is not valid JSON: " + reason(e), false);
    }
  }

  private static JsonNode parse(byte[] value, int offset) throws IOException {
    return JSON.readTree(value, offset, value.length - offset);
  }

  private static String reason(IOException e) {
    if (e instanceof StreamConstraintsException limit) {
      return limit.getOriginalMessage();
    }
    if (!(e instanceof JsonProcessingException json)) {
      return "unreadable (" + e.getClass().getSimpleName() + ")";
    }
    String what = "syntax error";
    if (json instanceof JsonEOFException) {
      what = "unexpected end of input";
    } else if (String.valueOf(json.getOriginalMessage()).startsWith("Trailing token")) {
      what = "more content after the first JSON value";
    }
    JsonLocation at = json.getLocation();
    return at == null || at.getLineNr() < 0
        ? what
        : what + " at line " + at.getLineNr() + ", column " + at.getColumnNr();
  }

  private static TextNode text(byte[] value) throws DecodeException {
    try {
      return TextNode.valueOf(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(value))
              .toString());
    } catch (CharacterCodingException e) {
      throw new DecodeException(
          "the value is neither JSON, nor Schema Registry framed, nor UTF-8 text", false, e);
    }
  }

  private static boolean looksLikeJson(byte b) {
    return b == '{'
        || b == '['
        || b == '"'
        || b == '-'
        || (b >= '0' && b <= '9')
        || b == 't'
        || b == 'f'
        || b == 'n';
  }

  private static int firstNonWhitespace(byte[] value, int from) {
    int i = from;
    while (i < value.length && isWhitespace(value[i])) {
      i++;
    }
    return i;
  }

  private static boolean isWhitespace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
  }
}
