package dev.ferry.testkit;

/**
 * Counts JSON records in a request body in one pass without parsing: the elements of a top-level
 * array, or else the top-level values (one for a single object, one per line for NDJSON).
 *
 * <p>It tracks only nesting and strings, so it is cheap enough to run on every request of a load
 * test. It does not validate: malformed JSON gives an approximate count.
 */
final class JsonRecordCounter {

  private JsonRecordCounter() {}

  /** The number of records in {@code body}, see the class comment. */
  static int count(byte[] body) {
    int i = skipWhitespace(body, 0);
    if (i == body.length) {
      return 0;
    }
    // An array at the top counts its elements (depth 1); anything else counts top-level values.
    int recordDepth = body[i] == '[' ? 1 : 0;
    if (recordDepth == 1) {
      i++;
    }
    int depth = recordDepth;
    int count = 0;
    boolean expectValue = true;
    boolean inString = false;
    for (; i < body.length; i++) {
      byte b = body[i];
      if (inString) {
        if (b == '\\') {
          i++;
        } else if (b == '"') {
          inString = false;
        }
        continue;
      }
      if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
        // At the top (NDJSON), a new line ends a scalar record; containers end with their bracket.
        if (recordDepth == 0 && depth == 0) {
          expectValue = true;
        }
        continue;
      }
      if (depth == recordDepth) {
        if (b == ',') {
          expectValue = true;
          continue;
        }
        if (b == ']' || b == '}') {
          depth--;
          continue;
        }
        if (expectValue) {
          count++;
          expectValue = false;
        }
      }
      if (b == '"') {
        inString = true;
      } else if (b == '{' || b == '[') {
        depth++;
      } else if (b == '}' || b == ']') {
        depth--;
        if (depth == 0 && recordDepth == 0) {
          expectValue = true;
        }
      }
    }
    return count;
  }

  private static int skipWhitespace(byte[] body, int from) {
    int i = from;
    while (i < body.length
        && (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' || body[i] == '\n')) {
      i++;
    }
    return i;
  }
}
