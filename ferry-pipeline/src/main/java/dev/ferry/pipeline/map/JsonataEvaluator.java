package dev.ferry.pipeline.map;

import com.dashjoin.jsonata.Jsonata;
import com.dashjoin.jsonata.Jsonata.Frame;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;

/**
 * One compiled JSONata expression for one thread, with the bookkeeping jsonata-java 0.9.8 needs to
 * evaluate it correctly again and again.
 *
 * <p>A compiled {@link Jsonata} is not safe to share between threads: evaluation writes the
 * instance's {@code environment}, {@code input} and {@code timestamp} fields. Worse, on one thread
 * it leaks between evaluations and between expressions (dashjoin/jsonata-java#93, fixed after
 * 0.9.8): evaluation runs on whichever instance was <em>constructed</em> last on the thread (a
 * static {@code ThreadLocal}) and leaves that instance's environment pointing at its last
 * evaluation frame, so each call chains a new frame onto the previous one — the chain, and every
 * message it holds, grows by one per call, and variables of an earlier call (such as {@code $meta})
 * stay visible. Before each call this class therefore makes its own instance the thread's current
 * one and puts back the environment it had right after compiling; the fields are reached with
 * private {@link VarHandle}s.
 */
final class JsonataEvaluator {
  private static final VarHandle ENVIRONMENT;
  private static final ThreadLocal<Jsonata> CURRENT;

  static {
    try {
      MethodHandles.Lookup lookup =
          MethodHandles.privateLookupIn(Jsonata.class, MethodHandles.lookup());
      ENVIRONMENT = lookup.findVarHandle(Jsonata.class, "environment", Frame.class);
      @SuppressWarnings("unchecked")
      ThreadLocal<Jsonata> current =
          (ThreadLocal<Jsonata>)
              lookup.findStaticVarHandle(Jsonata.class, "current", ThreadLocal.class).get();
      CURRENT = current;
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(
          "this jsonata-java version does not have the fields Ferry resets between evaluations;"
              + " Ferry is built for com.dashjoin:jsonata 0.9.8: "
              + e);
    }
  }

  private final Jsonata expression;
  private final Frame pristine;

  /** Takes a freshly compiled expression; use it from one thread only. */
  JsonataEvaluator(Jsonata expression) {
    this.expression = expression;
    this.pristine = (Frame) ENVIRONMENT.get(expression);
    expression.setValidateInput(false); // the input comes from a JSON tree, so it is valid
  }

  /**
   * Evaluates the expression with this input.
   *
   * @param variables bound as {@code $name} for this evaluation only
   * @param timeoutMillis when to stop, checked before each step of the evaluation
   * @param maxDepth the deepest nesting of evaluation steps, which bounds recursion
   */
  Object evaluate(Object input, Map<String, Object> variables, long timeoutMillis, int maxDepth) {
    CURRENT.set(expression);
    ENVIRONMENT.set(expression, pristine);
    try {
      Frame bindings = expression.createFrame();
      for (Map.Entry<String, Object> variable : variables.entrySet()) {
        bindings.bind(variable.getKey(), variable.getValue());
      }
      bindings.setRuntimeBounds(timeoutMillis, maxDepth);
      return expression.evaluate(input, bindings);
    } finally {
      ENVIRONMENT.set(expression, pristine); // let go of this message
    }
  }
}
