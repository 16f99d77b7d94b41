package dev.ferry.pipeline.map;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Source;

/**
 * A JavaScript mapping: the source defines {@code function map(message, meta)}. One engine holds
 * the parsed source; a context is single-threaded, so each calling thread gets its own, opened on
 * its first call and replaced when the watchdog had to cancel it. Contexts live until {@link
 * #close()}, which suits the long-lived worker threads that call a mapper.
 */
final class JavaScriptMapper implements Mapper {
  private final Engine engine;
  private final Source source;
  private final Duration timeout;

  @SuppressWarnings("ThreadLocalUsage") // one context per thread and per mapper, on purpose
  private final ThreadLocal<ScriptContext> contexts = new ThreadLocal<>();

  private final Set<ScriptContext> open = ConcurrentHashMap.newKeySet();
  private final ScheduledFuture<?> watchdog;
  private volatile boolean closed;

  private JavaScriptMapper(Engine engine, Source source, Duration timeout) {
    this.engine = engine;
    this.source = source;
    this.timeout = timeout;
    this.watchdog = Watchdog.every(Watchdog.period(timeout), this::checkTimeLimits);
  }

  private void checkTimeLimits() {
    long now = System.nanoTime();
    for (ScriptContext context : open) {
      context.check(now);
    }
  }

  /** Loads the source once, on the calling thread, to report errors now rather than per call. */
  static JavaScriptMapper compile(String name, String text, Duration timeout)
      throws MappingException {
    ScriptConsole console = new ScriptConsole(name);
    Engine engine =
        Engine.newBuilder("js")
            .option("engine.WarnInterpreterOnly", "false")
            .out(console)
            .err(console)
            .build();
    JavaScriptMapper mapper =
        new JavaScriptMapper(engine, Source.newBuilder("js", text, name).buildLiteral(), timeout);
    try {
      mapper.context();
    } catch (MappingException | RuntimeException e) {
      mapper.close();
      throw e;
    }
    return mapper;
  }

  @Override
  public List<JsonNode> map(JsonNode message, MessageMeta meta) throws MappingException {
    ScriptContext context = context();
    try {
      return context.map(message, meta);
    } finally {
      if (context.isCancelled()) {
        contexts.remove();
        open.remove(context);
      }
    }
  }

  private ScriptContext context() throws MappingException {
    if (closed) {
      throw new IllegalStateException("the JavaScript mapping is closed");
    }
    ScriptContext context = contexts.get();
    if (context == null) {
      context = new ScriptContext(engine, source, timeout);
      open.add(context); // under the watchdog's eye while the source loads
      try {
        context.load();
      } catch (MappingException | RuntimeException e) {
        open.remove(context);
        context.close();
        throw e;
      }
      contexts.set(context);
    }
    return context;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    watchdog.cancel(false);
    for (ScriptContext context : open) {
      context.close();
    }
    open.clear();
    contexts.remove();
    engine.close(true); // also cancels a context another thread is opening right now
  }
}
