package dev.ferry.pipeline.map;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The language a mapping is written in. */
public enum MappingLanguage {
  /** A JSONata expression evaluated against the message, with the meta bound as {@code $meta}. */
  JSONATA,
  /** A JavaScript source that defines {@code function map(message, meta)}. */
  JAVASCRIPT;

  /**
   * The language with this name, ignoring case.
   *
   * @throws IllegalArgumentException naming the valid values when there is no such language
   */
  public static MappingLanguage parse(String name) {
    if (name != null) {
      String wanted = name.trim();
      for (MappingLanguage language : values()) {
        if (language.name().equalsIgnoreCase(wanted)) {
          return language;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown mapping language '" + name + "'; valid values: " + validValues());
  }

  /** The valid names as they are usually written: {@code jsonata, javascript}. */
  public static String validValues() {
    return Arrays.stream(values())
        .map(l -> l.name().toLowerCase(Locale.ROOT))
        .collect(Collectors.joining(", "));
  }
}
