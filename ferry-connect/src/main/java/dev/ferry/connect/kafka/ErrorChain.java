package dev.ferry.connect.kafka;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An error and its causes, for classifying it. Its text (all messages, lower case) is read for
 * patterns and numbers only: it may hold secrets, so it is never shown.
 */
final class ErrorChain {
  private static final int MAX_DEPTH = 32;

  private final List<Throwable> chain;
  private final String text;

  private ErrorChain(List<Throwable> chain) {
    this.chain = chain;
    StringBuilder all = new StringBuilder();
    for (Throwable t : chain) {
      all.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
    }
    this.text = all.toString().toLowerCase(Locale.ROOT);
  }

  static ErrorChain of(Throwable error) {
    List<Throwable> chain = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = error; t != null && chain.size() < MAX_DEPTH && seen.add(t); ) {
      chain.add(t);
      t = t.getCause();
    }
    return new ErrorChain(chain);
  }

  /** The first error in the chain of the given type. */
  <T extends Throwable> Optional<T> find(Class<T> type) {
    return chain.stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  boolean has(Class<? extends Throwable> type) {
    return find(type).isPresent();
  }

  /** True when any message or class name in the chain contains one of the (lower-case) words. */
  boolean mentions(String... words) {
    for (String w : words) {
      if (text.contains(w)) {
        return true;
      }
    }
    return false;
  }

  /** The first group of the first match of {@code pattern} (on lower-case text), as a number. */
  Optional<Long> number(Pattern pattern) {
    Matcher m = pattern.matcher(text);
    return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
  }

  /** The two numeric groups of the first match, or empty. */
  Optional<long[]> numbers(Pattern pattern) {
    Matcher m = pattern.matcher(text);
    return m.find()
        ? Optional.of(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))})
        : Optional.empty();
  }

  /** The simple class name of the deepest error, for a last-resort message. */
  String rootType() {
    return chain.isEmpty()
        ? "unknown error"
        : chain.get(chain.size() - 1).getClass().getSimpleName();
  }
}
