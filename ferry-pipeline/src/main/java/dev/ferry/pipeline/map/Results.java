package dev.ferry.pipeline.map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/** Turns what a mapping returned into the list of results, the same way for every language. */
final class Results {
  static final ObjectMapper JSON = new ObjectMapper();

  private Results() {}

  /** Nothing for null, the non-null elements of an array, otherwise the value alone. */
  static List<JsonNode> of(JsonNode result) {
    if (result == null || result.isNull() || result.isMissingNode()) {
      return List.of();
    }
    if (!result.isArray()) {
      return List.of(result);
    }
    List<JsonNode> results = new ArrayList<>(result.size());
    for (JsonNode element : result) {
      if (!element.isNull()) {
        results.add(element);
      }
    }
    return results;
  }
}
