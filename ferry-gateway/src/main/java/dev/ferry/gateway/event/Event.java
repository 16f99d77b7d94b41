package dev.ferry.gateway.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One event as read from the request body in a single streaming pass. It keeps what the gateway
 * looks at: the kind of each top-level field, its text when it is a scalar, and where its value
 * lies in the body; below the top level only the small trees it needs ({@code context.consent} and
 * the key fields given as JSON pointers). Everything else — {@code properties}, the rest of {@code
 * context} — is skipped over and later copied into the envelope as the bytes the client sent, so an
 * event is never held as a full tree.
 *
 * <p>A field sent twice counts once, with its last value (as a JSON tree would have it).
 */
public final class Event {
  /** Pointers whose values every pass keeps: consent is read for each event. */
  static final String CONSENT = "/context/consent";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int INDEXED_ABOVE = 12;

  /**
   * The envelope's own top-level fields: the ones the gateway reads, each kept in a slot of its own
   * so that reading them needs no search.
   */
  public enum Known {
    ENVELOPE_VERSION("envelope_version"),
    MESSAGE_ID("message_id"),
    EVENT_TYPE("event_type"),
    EVENT_NAME("event_name"),
    ANONYMOUS_ID("anonymous_id"),
    USER_ID("user_id"),
    TIMESTAMP("timestamp"),
    SENT_AT("sent_at"),
    RECEIVED_AT("received_at"),
    PROPERTIES("properties"),
    CONTEXT("context");

    private static final Map<String, Known> BY_NAME = new HashMap<>();

    static {
      for (Known k : values()) {
        BY_NAME.put(k.json, k);
      }
    }

    private final String json;

    Known(String json) {
      this.json = json;
    }

    /** The field's name in JSON. */
    public String json() {
      return json;
    }

    /** The known field of that name, or null. */
    static Known of(String name) {
      return BY_NAME.get(name);
    }
  }

  /**
   * A top-level field.
   *
   * @param name its name
   * @param known which of the envelope's fields it is, or null for another field
   * @param kind its value's first token: {@code START_OBJECT}, {@code VALUE_STRING}, ...
   * @param text a scalar's text as sent (numbers and booleans too), null for null and structures
   * @param nameFrom where its quoted name starts in the body
   * @param from where its value starts in the body
   * @param to where its value ends (exclusive)
   */
  record Field(
      String name, Known known, JsonToken kind, String text, int nameFrom, int from, int to) {
    boolean isNull() {
      return kind == JsonToken.VALUE_NULL;
    }
  }

  private final byte[] source;
  private final JsonToken kind;
  private final List<Field> fields = new ArrayList<>();
  private final int[] known = new int[Known.values().length];
  private Map<String, JsonNode> found; // made when a pointer's value is kept
  private Map<String, Integer> index;
  private int first = Integer.MAX_VALUE;
  private int last;

  private Event(byte[] source, JsonToken kind) {
    this.source = source;
    this.kind = kind;
    Arrays.fill(known, -1);
  }

  /**
   * Reads the value at the parser's current token (the event's first token) through its last.
   *
   * @param base where the parser's byte offsets start in {@code source}
   * @param wanted the pointers to keep trees of
   */
  static Event read(JsonParser p, byte[] source, int base, Wanted wanted) throws IOException {
    Event event = new Event(source, p.currentToken());
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return event;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      int nameFrom = base + (int) p.currentTokenLocation().getByteOffset();
      JsonToken kind = p.nextToken();
      int from = base + (int) p.currentTokenLocation().getByteOffset();
      String text = null;
      Wanted below = wanted.child(name);
      if (below != null) {
        // The text first: reading the value as a tree clears the parser's current token.
        text = kind.isScalarValue() && kind != JsonToken.VALUE_NULL ? p.getText() : null;
        event.forget(below);
        event.keep(p, below);
      } else if (kind.isStructStart()) {
        p.skipChildren();
      } else if (kind != JsonToken.VALUE_NULL) {
        text = p.getText(); // also reads a string to its end, for the offset below
      }
      int to = base + (int) p.currentLocation().getByteOffset();
      event.add(new Field(name, Known.of(name), kind, text, nameFrom, from, to));
    }
    return event;
  }

  /** A field sent again replaces what was kept of its earlier value: the last value wins. */
  private void forget(Wanted node) {
    if (found != null) {
      found.keySet().removeAll(node.pointers().keySet());
    }
  }

  /** Reads the value at the current token, keeping the trees {@code node} asks for. */
  private void keep(JsonParser p, Wanted node) throws IOException {
    if (p.currentToken() == JsonToken.START_OBJECT && !node.endsHere()) {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        Wanted child = node.child(p.currentName());
        p.nextToken();
        if (child != null) {
          forget(child);
          keep(p, child);
        } else {
          p.skipChildren();
        }
      }
      return;
    }
    JsonNode tree = JSON.readTree(p);
    for (Map.Entry<String, JsonPointer> below : node.pointers().entrySet()) {
      if (found == null) {
        found = new HashMap<>(4);
      }
      found.put(below.getKey(), tree.at(below.getValue()));
    }
  }

  private void add(Field field) {
    first = Math.min(first, field.nameFrom());
    last = Math.max(last, field.to());
    int at = field.known() != null ? known[field.known().ordinal()] : find(field.name());
    if (at >= 0) {
      fields.set(at, field); // last value wins, first position stays
      return;
    }
    fields.add(field);
    if (field.known() != null) {
      known[field.known().ordinal()] = fields.size() - 1;
    } else if (index != null) {
      index.put(field.name(), fields.size() - 1);
    } else if (fields.size() > INDEXED_ABOVE) {
      index = new HashMap<>();
      for (int i = 0; i < fields.size(); i++) {
        index.put(fields.get(i).name(), i);
      }
    }
  }

  /** Where a field that is not {@link Known} is, or -1. */
  private int find(String name) {
    if (index != null) {
      return index.getOrDefault(name, -1);
    }
    int hash = name.hashCode();
    for (int i = 0; i < fields.size(); i++) {
      String other = fields.get(i).name();
      // Names come from the parser's symbol table: their hashes are cached.
      if (other == name || (other.hashCode() == hash && other.equals(name))) {
        return i;
      }
    }
    return -1;
  }

  /** The event's own first token: {@code START_OBJECT} for an event that is an object. */
  JsonToken kind() {
    return kind;
  }

  /** The top-level field, or null when the event does not have it. */
  Field field(String name) {
    Known k = Known.of(name);
    if (k != null) {
      return field(k);
    }
    int at = find(name);
    return at < 0 ? null : fields.get(at);
  }

  /** One of the envelope's fields, or null when the event does not have it. */
  Field field(Known name) {
    int at = known[name.ordinal()];
    return at < 0 ? null : fields.get(at);
  }

  /** A top-level scalar's text, or null when absent, null or not a scalar. */
  public String text(String name) {
    Field f = field(name);
    return f == null ? null : f.text();
  }

  /** As {@link #text(String)}, for one of the envelope's fields. */
  public String text(Known name) {
    Field f = field(name);
    return f == null ? null : f.text();
  }

  /** The top-level fields, in the order sent. */
  List<Field> fields() {
    return fields;
  }

  /** The value at one of the pointers read with this event ({@link Wanted}), or a missing node. */
  JsonNode at(String pointer) {
    JsonNode v = found == null ? null : found.get(pointer);
    return v == null ? MissingNode.getInstance() : v;
  }

  /** From the first field's name to the end of the last value, in bytes of the body. */
  int size() {
    return fields.isEmpty() ? 0 : last - first;
  }

  /** The body the event was read from; fields point into it. */
  byte[] source() {
    return source;
  }

  /**
   * The JSON pointers below the top level whose values a pass keeps as trees, as a tree of their
   * property names. A pointer that goes through an array (or ends at a structure) keeps the whole
   * value where the walk stops and resolves the rest in it.
   */
  static final class Wanted {
    private final Map<String, Wanted> children = new HashMap<>(4);
    private final Map<String, JsonPointer> pointers = new HashMap<>(4);
    private boolean endsHere;

    /** For {@code context.consent} and each key field written as a pointer ({@code /a/b}). */
    static Wanted of(List<String> keyFields) {
      Wanted root = new Wanted();
      root.add(CONSENT);
      for (String field : keyFields) {
        if (field.startsWith("/")) {
          root.add(field);
        }
      }
      return root;
    }

    private void add(String pointer) {
      JsonPointer rest = JsonPointer.compile(pointer);
      Wanted node = this;
      while (!rest.matches()) {
        node = node.children.computeIfAbsent(rest.getMatchingProperty(), k -> new Wanted());
        rest = rest.tail();
        node.pointers.put(pointer, rest);
      }
      node.endsHere = true;
    }

    Wanted child(String name) {
      return children.get(name);
    }

    private boolean endsHere() {
      return endsHere;
    }

    /** Every pointer through this node, with the part of it left below this node. */
    private Map<String, JsonPointer> pointers() {
      return pointers;
    }
  }
}
