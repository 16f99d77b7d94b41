package dev.ferry.bench;

import dev.ferry.testkit.ReceivedRequest;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the entities in grouped request bodies at the target ({@code {"items":[...],
 * "variations":[...]}}: the elements of the arrays in the top-level object), upserts and deletes
 * apart by the request's method, in one pass without parsing.
 */
final class EntityCount {
  private final LongAdder upserts = new LongAdder();
  private final LongAdder deletes = new LongAdder();
  private final LongAdder deleteRequests = new LongAdder();

  /** Counts the entities of one request; a {@code DELETE} holds deletes, anything else upserts. */
  void add(ReceivedRequest request) {
    int n = count(request.body());
    if (request.method().equals("DELETE")) {
      deletes.add(n);
      deleteRequests.increment();
    } else {
      upserts.add(n);
    }
  }

  /** Entities upserted so far. */
  long upserts() {
    return upserts.sum();
  }

  /** Entities deleted so far. */
  long deletes() {
    return deletes.sum();
  }

  /** Delete requests so far. */
  long deleteRequests() {
    return deleteRequests.sum();
  }

  /** The elements of the arrays that are values of the top-level object. */
  static int count(byte[] body) {
    int depth = 0;
    int count = 0;
    boolean inString = false;
    boolean expectElement = false;
    for (int i = 0; i < body.length; i++) {
      byte b = body[i];
      if (inString) {
        if (b == '\\') {
          i++;
        } else if (b == '"') {
          inString = false;
        }
        continue;
      }
      if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
        continue;
      }
      if (depth == 2 && expectElement && b != ']') {
        count++;
        expectElement = false;
      }
      switch (b) {
        case '"' -> inString = true;
        case '{', '[' -> {
          depth++;
          expectElement = depth == 2 && b == '[';
        }
        case '}', ']' -> depth--;
        case ',' -> expectElement = depth == 2;
        default -> {}
      }
    }
    return count;
  }
}
