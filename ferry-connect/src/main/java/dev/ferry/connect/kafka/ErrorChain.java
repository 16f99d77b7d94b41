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
 * An error and its causes, for classifying it: a live {@link Throwable}, or one printed as a stack
 * trace (as Connect shows a failed task's). Its text (all messages, lower case) is read for
 * patterns and numbers only: it may hold secrets, so it is never shown.
 */
final class ErrorChain {
  private static final int MAX_DEPTH = 32;
  private static final String CAUSED_BY = "Caused by: ";

  /** {@code class.Name: message} or {@code class.Name}, as {@link Throwable#toString()} prints. */
  private static final Pattern HEADER =
      Pattern.compile(
          "((?:[\\p{L}_$][\\p{L}\\p{N}_$]*\\.)+[\\p{L}_$][\\p{L}\\p{N}_$]*)(?:: (.*))?");

  /**
   * One error of the chain: its class name, message, and class when it could be loaded; the
   * instance itself only when the chain was built from a live error.
   */
  private record Entry(String className, String message, Class<?> type, Throwable instance) {
    static Entry of(Throwable t) {
      return new Entry(t.getClass().getName(), t.getMessage(), t.getClass(), t);
    }

    /** True when this error is a {@code type}, compared by name so class loaders do not matter. */
    boolean is(Class<? extends Throwable> type) {
      if (instance != null) {
        return type.isInstance(instance);
      }
      if (this.type == null) {
        return className.equals(type.getName());
      }
      for (Class<?> c = this.type; c != null; c = c.getSuperclass()) {
        if (c.getName().equals(type.getName())) {
          return true;
        }
      }
      return false;
    }

    String simpleName() {
      if (type != null) {
        return type.getSimpleName();
      }
      String simple = className.substring(className.lastIndexOf('.') + 1);
      return simple.substring(simple.lastIndexOf('$') + 1);
    }
  }

  private final List<Entry> chain;
  private final String text;

  private ErrorChain(List<Entry> chain) {
    this.chain = List.copyOf(chain);
    StringBuilder all = new StringBuilder();
    for (Entry e : chain) {
      all.append(e.className()).append(": ").append(e.message()).append('\n');
    }
    this.text = all.toString().toLowerCase(Locale.ROOT);
  }

  static ErrorChain of(Throwable error) {
    List<Entry> chain = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = error; t != null && chain.size() < MAX_DEPTH && seen.add(t); ) {
      chain.add(Entry.of(t));
      t = t.getCause();
    }
    return new ErrorChain(chain);
  }

  /**
   * The chain printed in {@code trace} by {@link Throwable#printStackTrace()}: the first line and
   * each {@code Caused by: } line (a message may run over several lines, up to the first stack
   * frame). Classes are looked up in {@code loader} without being initialized; one that is not
   * found (or is no Throwable) keeps its name and message. Suppressed errors are left out. Not a
   * trace (the first line names no class): an empty chain.
   */
  static ErrorChain ofTrace(String trace, ClassLoader loader) {
    List<Entry> chain = new ArrayList<>();
    if (trace == null || trace.isBlank()) {
      return new ErrorChain(chain);
    }
    String[] lines = trace.strip().split("\\R");
    String name = null;
    StringBuilder message = null;
    boolean inFrames = false;
    for (int i = 0; i < lines.length && chain.size() < MAX_DEPTH; i++) {
      String line = lines[i];
      String header =
          i == 0 ? line : line.startsWith(CAUSED_BY) ? line.substring(CAUSED_BY.length()) : null;
      if (header != null) {
        Matcher m = HEADER.matcher(header.strip());
        if (!m.matches()) {
          if (i == 0) {
            return new ErrorChain(chain);
          }
          inFrames = true; // an odd header: skip it with its frames
          continue;
        }
        if (name != null) {
          chain.add(parsed(name, message, loader));
        }
        name = m.group(1);
        message = m.group(2) == null ? null : new StringBuilder(m.group(2));
        inFrames = false;
      } else if (isFrameLine(line)) {
        inFrames = true;
      } else if (!inFrames && name != null) {
        message = (message == null ? new StringBuilder() : message.append('\n')).append(line);
      }
    }
    if (name != null && chain.size() < MAX_DEPTH) {
      chain.add(parsed(name, message, loader));
    }
    return new ErrorChain(chain);
  }

  private static boolean isFrameLine(String line) {
    String s = line.stripLeading();
    return line.length() > s.length()
        && (s.startsWith("at ")
            || s.startsWith("... ")
            || s.startsWith("Suppressed: ")
            || s.startsWith(CAUSED_BY));
  }

  private static Entry parsed(String name, StringBuilder message, ClassLoader loader) {
    Class<?> type = null;
    try {
      Class<?> c = Class.forName(name, false, loader);
      type = Throwable.class.isAssignableFrom(c) ? c : null;
    } catch (ClassNotFoundException | LinkageError | SecurityException e) {
      // Not on this class path: the name and message still tell something.
    }
    return new Entry(name, message == null ? null : message.toString(), type, null);
  }

  /** True when the chain holds no error (e.g. the text was not a stack trace). */
  boolean isEmpty() {
    return chain.isEmpty();
  }

  /** The first error in the chain of the given type, when the chain holds live errors. */
  <T extends Throwable> Optional<T> find(Class<T> type) {
    return chain.stream()
        .filter(e -> e.instance() != null && e.is(type))
        .map(e -> type.cast(e.instance()))
        .findFirst();
  }

  /** True when an error in the chain is of the given type (live or printed). */
  boolean has(Class<? extends Throwable> type) {
    return chain.stream().anyMatch(e -> e.is(type));
  }

  /**
   * The message of the first error of the given type, as written (not lower-cased). Callers may
   * only read it for fields of a known, fixed form: it may hold secrets.
   */
  Optional<String> messageOf(Class<? extends Throwable> type) {
    return chain.stream()
        .filter(e -> e.is(type) && e.message() != null)
        .map(Entry::message)
        .findFirst();
  }

  /** True when any class name in the chain starts with one of the (exact-case) prefixes. */
  boolean hasClassIn(String... packagePrefixes) {
    for (Entry e : chain) {
      for (String p : packagePrefixes) {
        if (e.className().startsWith(p)) {
          return true;
        }
      }
    }
    return false;
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
    return m.find() ? parse(m.group(1)) : Optional.empty();
  }

  /** The two numeric groups of the first match, or empty. */
  Optional<long[]> numbers(Pattern pattern) {
    Matcher m = pattern.matcher(text);
    if (!m.find()) {
      return Optional.empty();
    }
    Optional<Long> first = parse(m.group(1));
    Optional<Long> second = parse(m.group(2));
    return first.isPresent() && second.isPresent()
        ? Optional.of(new long[] {first.get(), second.get()})
        : Optional.empty();
  }

  private static Optional<Long> parse(String digits) {
    try {
      return Optional.of(Long.parseLong(digits));
    } catch (NumberFormatException e) {
      return Optional.empty(); // too many digits for a size or a time
    }
  }

  /** The simple class name of the deepest error, for a last-resort message. */
  String rootType() {
    return chain.isEmpty() ? "unknown error" : chain.get(chain.size() - 1).simpleName();
  }
}
