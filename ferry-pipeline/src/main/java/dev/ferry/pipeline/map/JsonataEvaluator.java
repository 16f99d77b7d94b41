package dev.ferry.pipeline.map;

import com.dashjoin.jsonata.Jsonata;
import com.dashjoin.jsonata.Jsonata.Frame;
import java.util.Map;

/**
 * One compiled JSONata expression for one thread. A compiled {@link Jsonata} is not safe to share
 * between threads (evaluation writes the instance's fields), so each thread compiles its own.
 * Versions before 0.9.10 leaked each call's frame into the next (dashjoin/jsonata-java#93); {@code
 * JsonataMapperTest.nothingOfOneCallIsSeenByTheNext} guards against that coming back.
 */
final class JsonataEvaluator {
  private final Jsonata expression;

  /** Takes a freshly compiled expression; use it from one thread only. */
  JsonataEvaluator(Jsonata expression) {
    this.expression = expression;
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
    Frame bindings = expression.createFrame();
    for (Map.Entry<String, Object> variable : variables.entrySet()) {
      bindings.bind(variable.getKey(), variable.getValue());
    }
    bindings.setRuntimeBounds(timeoutMillis, maxDepth);
    return expression.evaluate(input, bindings);
  }
}
