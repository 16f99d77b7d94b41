package dev.ferry.pipeline.map;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/** Compiles mappings. */
public final class Mappers {
  /** The prefix of a source that names a file instead of holding the mapping itself. */
  public static final String FILE_PREFIX = "file:";

  /** The name of a mapping given inline, as positions in it show: {@code mapping:3:5}. */
  static final String INLINE = "mapping";

  private Mappers() {}

  /**
   * Compiles a mapping.
   *
   * @param source the expression or function text, or {@code file:PATH} to read it from a UTF-8
   *     file (a relative path is taken from the working directory)
   * @param timeout the longest one call may take; JavaScript is interrupted, JSONata stops at its
   *     next step
   * @throws MappingException with the engine's message and position for a syntax error, naming the
   *     file when it cannot be read, or for JavaScript when no function {@code map} is defined
   */
  public static Mapper create(MappingLanguage language, String source, Duration timeout)
      throws MappingException {
    Objects.requireNonNull(language, "language");
    Objects.requireNonNull(source, "source");
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the mapping timeout must be positive, was " + timeout);
    }
    String name = INLINE;
    String text = source;
    if (source.startsWith(FILE_PREFIX)) {
      name = source.substring(FILE_PREFIX.length()).trim();
      text = read(name);
    }
    return switch (language) {
      case JSONATA -> JsonataMapper.compile(name, text, timeout);
      case JAVASCRIPT -> JavaScriptMapper.compile(name, text, timeout);
    };
  }

  private static String read(String file) throws MappingException {
    Path path;
    try {
      path = Path.of(file).toAbsolutePath();
    } catch (InvalidPathException e) {
      throw new MappingException("the mapping file name '" + file + "' is not a valid path", e);
    }
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new MappingException(
          "cannot read the mapping file "
              + path
              + " ("
              + e.getClass().getSimpleName()
              + "); check the path and that the file is readable UTF-8 text",
          e);
    }
  }
}
