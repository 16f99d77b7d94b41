package dev.ferry.pipeline.map;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where {@code console.log} of a JavaScript mapping goes: one DEBUG line each, since what a mapping
 * prints is usually the payload. Lines longer than 8 KB are cut.
 */
final class ScriptConsole extends OutputStream {
  private static final Logger LOG = LoggerFactory.getLogger("dev.ferry.pipeline.map.console");
  private static final int MAX_LINE = 8192;

  private final String mapping;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  ScriptConsole(String mapping) {
    this.mapping = mapping;
  }

  @Override
  public synchronized void write(int b) {
    if (b == '\n') {
      flushLine();
    } else if (line.size() < MAX_LINE) {
      line.write(b);
    }
  }

  @Override
  public synchronized void write(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      write(bytes[i]);
    }
  }

  @Override
  public synchronized void flush() {
    if (line.size() > 0) {
      flushLine();
    }
  }

  private void flushLine() {
    if (LOG.isDebugEnabled()) {
      LOG.debug("{}: {}", mapping, line.toString(StandardCharsets.UTF_8));
    }
    line.reset();
  }
}
