package dev.ferry.pipeline.map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;

/**
 * One sandboxed JavaScript context with the mapping loaded, for one thread at a time, and the time
 * limit of its calls.
 *
 * <p>A call that runs out of time is interrupted, which leaves the context usable. If the script
 * does not stop within a grace period (or the interrupt came before the call entered the context),
 * the watchdog strikes again and cancels the context; the caller then sees {@link #isCancelled()}
 * and opens a new one. A call only notes its deadline: arming a timer per call costs more than the
 * call (two thread wake-ups), so the watchdog instead looks at every context periodically.
 */
final class ScriptContext implements AutoCloseable {
  private static final Source INVOKER =
      Source.newBuilder(
              "js",
              "(function (message, meta) {\n"
                  + "  const result = map(message, meta);\n"
                  + "  return result === undefined ? undefined : JSON.stringify(result);\n"
                  + "})",
              "ferry-invoke.js")
          .buildLiteral();
  private static final Source HAS_MAP =
      Source.newBuilder("js", "typeof map === 'function'", "ferry-check.js").buildLiteral();

  private final Context context;
  private final Source source;
  private final Duration timeout;
  private final Duration grace;
  private Value invoker;

  /** The call in progress, or null; guarded by this. */
  private Call running;

  private boolean cancelled;

  /** A new sandbox; {@link #load()} it before use. */
  ScriptContext(Engine engine, Source source, Duration timeout) {
    this.context = sandbox(engine);
    this.source = source;
    this.timeout = timeout;
    this.grace = timeout.compareTo(Duration.ofSeconds(1)) < 0 ? timeout : Duration.ofSeconds(1);
  }

  /** Evaluates the mapping source, within the time limit, and finds its {@code map} function. */
  void load() throws MappingException {
    Call call = begin();
    try {
      context.eval(source);
      if (!context.eval(HAS_MAP).asBoolean()) {
        throw new MappingException(
            "the JavaScript source" + in(source) + " must define function map(message, meta)");
      }
      invoker = context.eval(INVOKER);
    } catch (PolyglotException e) {
      if (e.isSyntaxError()) {
        throw new MappingException(
            "JavaScript syntax error at " + at(e.getSourceLocation()) + ": " + firstLine(e), e);
      }
      throw new MappingException(
          "the JavaScript source"
              + in(source)
              + (call.expired
                  ? " took longer than its time limit of " + timeout.toMillis() + " ms to load"
                  : " failed while loading" + atOrEmpty(location(e, source)) + ": " + firstLine(e)),
          e);
    } finally {
      end();
    }
  }

  /**
   * No host classes or objects, no files, threads, processes, native code, environment variables or
   * other languages. Host class lookup is left unset on purpose: setting even a deny-all filter
   * makes GraalJS define the {@code Java} global.
   */
  private static Context sandbox(Engine engine) {
    return Context.newBuilder("js")
        .engine(engine)
        .allowHostAccess(HostAccess.NONE)
        .allowIO(IOAccess.NONE)
        .allowCreateThread(false)
        .allowNativeAccess(false)
        .allowCreateProcess(false)
        .allowEnvironmentAccess(EnvironmentAccess.NONE)
        .allowPolyglotAccess(PolyglotAccess.NONE)
        .allowValueSharing(false)
        .option("js.load", "false")
        .option("js.print", "false")
        .option("js.graal-builtin", "false")
        .build();
  }

  /** Runs {@code map} for one message; call from one thread at a time. */
  List<JsonNode> map(JsonNode message, MessageMeta meta) throws MappingException {
    Object jsMessage = JsValues.toJs(message);
    Object jsMeta = JsValues.meta(meta);
    Call call = begin();
    Value json;
    try {
      json = invoker.execute(jsMessage, jsMeta);
    } catch (PolyglotException e) {
      if (call.expired) {
        throw new MappingException(
            "JavaScript mapping exceeded its time limit of "
                + timeout.toMillis()
                + " ms (mapping.timeout.ms) at "
                + meta.position(),
            e);
      }
      throw new MappingException(
          "JavaScript mapping failed"
              + atOrEmpty(location(e, source))
              + " for message "
              + meta.position()
              + ": "
              + firstLine(e),
          e);
    } finally {
      end();
    }
    if (json.isNull()) {
      return List.of();
    }
    try {
      return Results.of(Results.JSON.readTree(json.asString()));
    } catch (JsonProcessingException e) {
      throw new MappingException(
          "JavaScript mapping returned what is not JSON for message " + meta.position() + ": " + e,
          e);
    }
  }

  private synchronized Call begin() {
    running = new Call(System.nanoTime() + timeout.toNanos());
    return running;
  }

  private synchronized void end() {
    running = null;
  }

  /**
   * The watchdog's side, called every so often: interrupts a call past its deadline, and cancels
   * the context when the call is still running a grace period later.
   */
  synchronized void check(long now) {
    Call call = running;
    if (call == null || cancelled || now - call.deadline < 0) {
      return;
    }
    if (call.expired) {
      cancel();
      return;
    }
    call.expired = true;
    call.deadline = now + grace.toNanos();
    try {
      context.interrupt(grace);
    } catch (TimeoutException | RuntimeException e) {
      cancel();
    }
  }

  private void cancel() {
    cancelled = true;
    context.close(true);
  }

  /** Whether the watchdog had to cancel this context; it cannot run anything more. */
  synchronized boolean isCancelled() {
    return cancelled;
  }

  @Override
  public synchronized void close() {
    cancelled = true;
    context.close(true);
  }

  /** The place in the mapping source: where the exception is, else the innermost frame there. */
  private static SourceSection location(PolyglotException e, Source source) {
    SourceSection direct = e.getSourceLocation();
    if (direct != null && source.equals(direct.getSource())) {
      return direct;
    }
    for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
      SourceSection section = frame.getSourceLocation();
      if (frame.isGuestFrame() && section != null && source.equals(section.getSource())) {
        return section;
      }
    }
    return null;
  }

  private static String in(Source source) {
    return Mappers.INLINE.equals(source.getName()) ? "" : " " + source.getName();
  }

  private static String atOrEmpty(SourceSection section) {
    return section == null ? "" : " at " + at(section);
  }

  private static String at(SourceSection section) {
    if (section == null || !section.isAvailable()) {
      return "the mapping";
    }
    return section.getSource().getName()
        + ":"
        + section.getStartLine()
        + ":"
        + section.getStartColumn();
  }

  /** GraalJS adds the offending source lines after the first line; the first line is enough. */
  private static String firstLine(PolyglotException e) {
    String message = String.valueOf(e.getMessage()).strip();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /** One call; the watchdog writes it under the context's lock. */
  private static final class Call {
    long deadline;
    volatile boolean expired;

    Call(long deadline) {
      this.deadline = deadline;
    }
  }
}
