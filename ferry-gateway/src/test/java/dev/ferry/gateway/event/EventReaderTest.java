package dev.ferry.gateway.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventReaderTest {
  private static final List<String> KEYS = List.of("user_id", "anonymous_id");
  private final EventReader reader = new EventReader(300, 3, KEYS);

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void oneObject() throws Exception {
    String body = "{\"event_type\":\"track\",\"user_id\":\"u1\"}";
    List<EventReader.Item> items = reader.read(utf8(body), false);
    assertThat(items).hasSize(1);
    EventReader.Item item = items.get(0);
    assertThat(item.index()).isZero();
    assertThat(item.rejection()).isNull();
    assertThat(item.event().text("user_id")).isEqualTo("u1");
    assertThat(item.bytes()).isEqualTo(body.length());
  }

  @Test
  void anArrayMeasuresEachEvent() throws Exception {
    String a = "{\"event_type\":\"a\"}";
    String b = "{\"event_type\":\"bb\",\"p\":[1,2]}";
    List<EventReader.Item> items = reader.read(utf8(" [ " + a + " ,\n" + b + " ] "), false);
    assertThat(items).extracting(EventReader.Item::index).containsExactly(0, 1);
    assertThat(items.get(0).event().text("event_type")).isEqualTo("a");
    assertThat(items.get(1).event().text("event_type")).isEqualTo("bb");
    assertThat(items.get(0).bytes()).isEqualTo(a.length());
    assertThat(items.get(1).bytes()).isEqualTo(b.length());
  }

  @Test
  void anArrayMayHoldNonObjectsWhichTheRulesRefuseLater() throws Exception {
    List<EventReader.Item> items = reader.read(utf8("[1, null, \"x\"]"), false);
    assertThat(items).hasSize(3).allMatch(i -> i.rejection() == null && i.event() != null);
  }

  @Test
  void ndjsonWithCrLfAndBlankLines() throws Exception {
    String body = "{\"event_type\":\"a\"}\r\n\n   \n{\"event_type\":\"b\"}";
    List<EventReader.Item> items = reader.read(utf8(body), true);
    assertThat(items).hasSize(2);
    assertThat(items.get(1).index()).isEqualTo(1);
    assertThat(items.get(0).bytes()).isEqualTo("{\"event_type\":\"a\"}".length());
    assertThat(items.get(1).event().text("event_type")).isEqualTo("b");
  }

  @Test
  void aBrokenNdjsonLineRejectsOnlyThatLine() throws Exception {
    String body =
        "{\"event_type\":\"a\"}\n{\"event_type\": oops}\n{\"a\":1} {\"b\":2}\n{\"event_type\":\"c\"}\n";
    EventReader big = new EventReader(300, 10, KEYS);
    List<EventReader.Item> items = big.read(utf8(body), true);
    assertThat(items).hasSize(4);
    assertThat(items.get(0).rejection()).isNull();
    assertThat(items.get(1).rejection().rule()).isEqualTo("json");
    assertThat(items.get(1).rejection().message()).contains("not valid JSON");
    assertThat(items.get(1).event()).isNull();
    assertThat(items.get(2).rejection().rule()).isEqualTo("json");
    assertThat(items.get(2).rejection().message()).contains("more than one JSON value");
    assertThat(items.get(3).rejection()).isNull();
    assertThat(items.get(3).event().text("event_type")).isEqualTo("c");
  }

  @Test
  void brokenJsonRefusesTheWholeBody() {
    assertThatThrownBy(() -> reader.read(utf8("{\"event_type\": oops}"), false))
        .isInstanceOfSatisfying(
            EventReader.BadBody.class, e -> assertThat(e.rule()).isEqualTo("json"))
        .hasMessageContaining("not valid JSON (line 1, column");
    assertThatThrownBy(() -> reader.read(utf8("[{\"event_type\":\"a\"}"), false))
        .hasMessageContaining("not");
    assertThatThrownBy(() -> reader.read(utf8("{\"a\":1} {\"b\":2}"), false))
        .hasMessageContaining("more than one JSON value");
  }

  @Test
  void emptyBodies() {
    assertThatThrownBy(() -> reader.read(new byte[0], false))
        .hasMessageContaining("the body is empty");
    assertThatThrownBy(() -> reader.read(utf8("  "), false))
        .hasMessageContaining("the body is empty");
    assertThatThrownBy(() -> reader.read(utf8("[]"), false)).hasMessageContaining("holds no event");
    assertThatThrownBy(() -> reader.read(utf8("\n \n"), true))
        .hasMessageContaining("holds no event");
  }

  @Test
  void tooManyEvents() throws Exception {
    assertThat(reader.read(utf8("[{},{},{}]"), false)).hasSize(3);
    assertThatThrownBy(() -> reader.read(utf8("[{},{},{},{}]"), false))
        .isInstanceOfSatisfying(
            EventReader.BadBody.class, e -> assertThat(e.rule()).isEqualTo("too_many_events"))
        .hasMessageContaining("more than 3 events (gateway.max.events.per.request)");
    assertThatThrownBy(() -> reader.read(utf8("{}\n{}\n{}\n{}\n"), true))
        .isInstanceOfSatisfying(
            EventReader.BadBody.class, e -> assertThat(e.rule()).isEqualTo("too_many_events"));
  }

  @Test
  void anEventAboveTheSizeLimitIsRejectedAlone() throws Exception {
    String small = "{\"event_type\":\"a\"}";
    String large = "{\"event_type\":\"a\",\"p\":\"" + "x".repeat(300) + "\"}";
    for (boolean ndjson : new boolean[] {false, true}) {
      String body =
          ndjson
              ? small + "\n" + large + "\n" + small
              : "[" + small + "," + large + "," + small + "]";
      List<EventReader.Item> items = reader.read(utf8(body), ndjson);
      assertThat(items).hasSize(3);
      assertThat(items.get(0).rejection()).isNull();
      assertThat(items.get(2).rejection()).isNull();
      Rejection r = items.get(1).rejection();
      assertThat(r.rule()).isEqualTo("too_large");
      assertThat(r.message())
          .contains(large.length() + " bytes")
          .contains("limit of 300")
          .contains("gateway.max.event.bytes");
      assertThat(items.get(1).bytes()).isEqualTo(large.length());
    }
  }

  @Test
  void sizesCountUtf8Bytes() throws Exception {
    String event = "{\"event_type\":\"é€\"}";
    List<EventReader.Item> items = reader.read(utf8(event), false);
    assertThat(items.get(0).bytes()).isEqualTo(utf8(event).length);
    items = reader.read(utf8(event + "\n"), true);
    assertThat(items.get(0).bytes()).isEqualTo(utf8(event).length);
  }

  @Test
  void onlyUtf8IsRead() throws Exception {
    String event = "{\"event_type\":\"t\",\"user_id\":\"u\"}";
    for (java.nio.charset.Charset other :
        List.of(StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16)) {
      assertThatThrownBy(() -> reader.read(event.getBytes(other), false))
          .as(other.name())
          .hasMessageContaining("not valid UTF-8");
      List<EventReader.Item> lines =
          reader.read(concat(utf8(event + "\n"), event.getBytes(other)), true);
      assertThat(lines.get(0).rejection()).isNull();
      assertThat(lines.get(1).rejection().message()).as(other.name()).contains("not valid UTF-8");
    }
    // Broken UTF-8 in a value the reader skips over is refused too: it would go into the envelope.
    byte[] surrogate = {(byte) 0xED, (byte) 0xA0, (byte) 0x80};
    byte[] broken =
        concat(
            utf8("{\"event_type\":\"t\",\"user_id\":\"u\",\"properties\":{\"p\":\""),
            surrogate,
            utf8("\"}}"));
    assertThatThrownBy(() -> reader.read(broken, false))
        .hasMessageContaining("not valid UTF-8 (at byte 51)");
    List<EventReader.Item> lines = reader.read(concat(broken, utf8("\n" + event)), true);
    assertThat(lines.get(0).rejection().message()).contains("not valid UTF-8 (at byte 51)");
    assertThat(lines.get(1).rejection()).isNull();
  }

  @Test
  void ndjsonLinesOfOnlyAByteOrderMarkAndSpacesAreBlank() throws Exception {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    String event = "{\"event_type\":\"t\",\"user_id\":\"u\"}";
    byte[] body = concat(bom, utf8("  \n"), bom, utf8("\r\n"), bom, utf8(event + "\n" + event));
    List<EventReader.Item> items = reader.read(body, true);
    assertThat(items).hasSize(2).allMatch(i -> i.rejection() == null);
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
