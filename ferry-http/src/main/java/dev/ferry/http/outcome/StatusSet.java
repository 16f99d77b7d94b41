package dev.ferry.http.outcome;

import java.util.BitSet;

/** A set of HTTP status codes written as {@code "429,500-599"}. */
public final class StatusSet {
  private final BitSet codes;
  private final String spec;

  private StatusSet(BitSet codes, String spec) {
    this.codes = codes;
    this.spec = spec;
  }

  /**
   * Parses a comma-separated list of codes and inclusive ranges.
   *
   * @throws IllegalArgumentException naming the part that is not a code or a range of codes
   */
  public static StatusSet parse(String spec) {
    BitSet codes = new BitSet(600);
    for (String raw : spec.split(",")) {
      String part = raw.strip();
      if (part.isEmpty()) {
        continue;
      }
      int dash = part.indexOf('-');
      int from = code(dash < 0 ? part : part.substring(0, dash), spec);
      int to = dash < 0 ? from : code(part.substring(dash + 1), spec);
      if (to < from) {
        throw new IllegalArgumentException(
            "'" + part + "' in '" + spec + "' is an empty range: write the lower code first");
      }
      codes.set(from, to + 1);
    }
    return new StatusSet(codes, spec.strip());
  }

  private static int code(String text, String spec) {
    try {
      int code = Integer.parseInt(text.strip());
      if (code >= 100 && code <= 599) {
        return code;
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw new IllegalArgumentException(
        "'"
            + text.strip()
            + "' in '"
            + spec
            + "' is not an HTTP status code: use codes from 100 to 599 or ranges like 500-599");
  }

  public boolean contains(int status) {
    return status >= 0 && codes.get(status);
  }

  @Override
  public String toString() {
    return spec;
  }
}
