package dev.ferry.pipeline.body;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Cheap checks on bytes that may hold JSON, without parsing them. */
final class JsonText {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonText() {}

  /**
   * True when the first non-blank byte opens a JSON object, array, string or number, or the value
   * is a JSON literal.
   */
  static boolean looksLikeJson(byte[] value) {
    for (byte b : value) {
      switch (b) {
        case ' ', '\t', '\r', '\n':
          continue;
        case '{', '[', '"', '-':
          return true;
        case 't', 'f', 'n':
          String text = new String(value, java.nio.charset.StandardCharsets.US_ASCII).strip();
          return text.equals("true") || text.equals("false") || text.equals("null");
        default:
          return b >= '0' && b <= '9';
      }
    }
    return false;
  }

  static byte[] quote(String text) {
    try {
      return JSON.writeValueAsBytes(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a string always serializes", e);
    }
  }
}
