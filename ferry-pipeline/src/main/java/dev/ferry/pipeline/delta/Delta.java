package dev.ferry.pipeline.delta;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.pipeline.shape.Entity;
import dev.ferry.pipeline.shape.Output;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chooses what of a batch is sent: collapses repeated entities and skips unchanged upserts. Safe
 * for several lanes at once: an entity being sent by one lane counts as that content for the others
 * until the attempt ends.
 */
public final class Delta {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("SHA-256 is always available", e);
            }
          });

  private final DeltaMode mode;
  private final HashStore store;

  /** Entity key to the number of attempts sending a change of it right now. */
  private final Map<String, Integer> inFlight = new ConcurrentHashMap<>();

  /**
   * @param store the last delivered hashes; only used by {@link DeltaMode#SKIP_UNCHANGED}
   */
  public Delta(DeltaMode mode, HashStore store) {
    this.mode = mode;
    this.store = store;
    if (mode == DeltaMode.SKIP_UNCHANGED && store == null) {
      throw new IllegalArgumentException("skip_unchanged needs a hash store");
    }
  }

  public DeltaMode mode() {
    return mode;
  }

  /** What of these outputs (a batch, in order) to send. */
  public Selection select(List<Output> outputs) {
    if (mode == DeltaMode.NONE) {
      return new Selection(outputs, 0, 0, Map.of());
    }
    List<Output> collapsed = collapse(outputs);
    int merged = outputs.size() - collapsed.size();
    if (mode == DeltaMode.COLLAPSE) {
      return new Selection(collapsed, merged, 0, Map.of());
    }
    List<Output> send = new ArrayList<>(collapsed.size());
    Map<String, Long> changes = new HashMap<>();
    int unchanged = 0;
    for (Output o : collapsed) {
      if (!(o instanceof Entity e)) {
        send.add(o);
        continue;
      }
      String key = e.key();
      Long hash = e.op() == Entity.Op.DELETE ? null : hash(e.data());
      if (hash != null && !inFlight.containsKey(key) && hash.equals(store.get(key))) {
        unchanged++;
        continue;
      }
      changes.put(key, hash);
      inFlight.merge(key, 1, Integer::sum);
      send.add(e);
    }
    return new Selection(send, merged, unchanged, changes);
  }

  /** The selection was delivered: its hashes become the last delivered ones. */
  public void delivered(Selection selection) {
    if (selection.changes.isEmpty()) {
      return;
    }
    store.delivered(selection.changes); // before the entities leave inFlight
    done(selection);
  }

  /**
   * The attempt failed. The target may have applied some of it (a timeout after the write, or the
   * upserts of a grouped batch taken and its deletes refused), so its entities become unknown:
   * their next upsert is sent whatever it holds.
   */
  public void failed(Selection selection) {
    if (selection.changes.isEmpty()) {
      return;
    }
    Map<String, Long> unknown = new HashMap<>();
    selection.changes.keySet().forEach(key -> unknown.put(key, null));
    store.delivered(unknown);
    done(selection);
  }

  private void done(Selection selection) {
    selection.changes.keySet().forEach(key -> inFlight.computeIfPresent(key, Delta::leave));
  }

  private static Integer leave(String key, Integer attempts) {
    return attempts == 1 ? null : attempts - 1;
  }

  /**
   * Keeps the last operation of each entity, at the place of its last occurrence; plain bodies stay
   * as they are.
   */
  static List<Output> collapse(List<Output> outputs) {
    LinkedHashMap<Object, Output> last = new LinkedHashMap<>(outputs.size() * 2);
    int plain = 0;
    for (Output o : outputs) {
      Object key = o instanceof Entity e ? e.key() : Integer.valueOf(plain++);
      last.remove(key);
      last.put(key, o);
    }
    return new ArrayList<>(last.values());
  }

  /** 64 bits of the SHA-256 of the data's JSON text. */
  static long hash(ObjectNode data) {
    try {
      MessageDigest digest = SHA256.get();
      byte[] sum = digest.digest(JSON.writeValueAsBytes(data));
      return ByteBuffer.wrap(sum).getLong();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  /**
   * The outputs to send, and what the store learns when they are delivered.
   *
   * @param collapsed outputs merged into a later one of the same entity
   * @param unchanged upserts skipped because their data was already delivered
   */
  public record Selection(
      List<Output> toSend, int collapsed, int unchanged, Map<String, Long> changes) {}
}
