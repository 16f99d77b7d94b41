package dev.ferry.gateway.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What one streaming pass keeps of an event. */
class EventTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Event read(String json, String... keyFields) throws Exception {
    return new EventReader(1 << 20, 10, List.of(keyFields)).event(json);
  }

  private static String raw(Event e, String field) {
    Event.Field f = e.field(field);
    return new String(e.source(), f.from(), f.to() - f.from(), StandardCharsets.UTF_8);
  }

  @Test
  void topLevelFieldsKeepTheirKindTextAndBytesAsSent() throws Exception {
    Event e =
        read(
            "{ \"s\" : \"a\\\"b\\u00e9\" , \"i\":-12, \"f\" : 1.50e2,\"t\":true,\"n\":null,"
                + "\"o\":{ \"x\" : [1] },\"a\":[ ],\"last\":\"\u00fc\"}");
    assertThat(e.kind()).isEqualTo(JsonToken.START_OBJECT);
    assertThat(e.fields())
        .extracting(Event.Field::name)
        .containsExactly("s", "i", "f", "t", "n", "o", "a", "last");
    assertThat(e.text("s")).isEqualTo("a\"b\u00e9");
    assertThat(raw(e, "s")).isEqualTo("\"a\\\"b\\u00e9\"");
    assertThat(e.text("i")).isEqualTo("-12");
    assertThat(raw(e, "f")).isEqualTo("1.50e2");
    assertThat(e.field("f").kind()).isEqualTo(JsonToken.VALUE_NUMBER_FLOAT);
    assertThat(e.text("t")).isEqualTo("true");
    assertThat(e.text("n")).isNull();
    assertThat(e.field("n").isNull()).isTrue();
    assertThat(raw(e, "n")).isEqualTo("null");
    assertThat(e.text("o")).isNull();
    assertThat(raw(e, "o")).isEqualTo("{ \"x\" : [1] }");
    assertThat(raw(e, "a")).isEqualTo("[ ]");
    assertThat(raw(e, "last")).isEqualTo("\"\u00fc\"");
    assertThat(e.field("absent")).isNull();
    assertThat(e.text("absent")).isNull();
  }

  @Test
  void aFieldSentTwiceCountsOnceWithItsLastValueInItsFirstPlace() throws Exception {
    StringBuilder many = new StringBuilder("{\"d\":1");
    for (int i = 0; i < 40; i++) {
      many.append(",\"f").append(i).append("\":").append(i);
    }
    many.append(",\"d\":\"last\",\"f3\":33}");
    for (String json : new String[] {"{\"d\":1,\"x\":2,\"d\":\"last\"}", many.toString()}) {
      Event e = read(json);
      assertThat(e.fields().get(0).name()).isEqualTo("d");
      assertThat(e.text("d")).isEqualTo("last");
      assertThat(e.fields()).extracting(Event.Field::name).doesNotHaveDuplicates();
      assertThat(e.fields().size()).isEqualTo(JSON.readTree(json).size());
    }
    assertThat(read(many.toString()).text("f3")).isEqualTo("33");
  }

  @Test
  void consentAndPointerKeyFieldsAreKeptAsTreesTheRestIsSkipped() throws Exception {
    Event e =
        read(
            "{\"context\":{\"ip\":\"1.2.3.4\",\"traits\":{\"email\":\"x@example.com\",\"tags\":[\"a\"]},"
                + "\"consent\":{\"categories\":{\"ads\":false}},\"groups\":[{\"id\":\"g1\"}]},"
                + "\"properties\":{\"account\":7}}",
            "/context/traits/email",
            "/context/groups/0/id",
            "/properties/account",
            "/context/missing/x",
            "user_id");
    assertThat(e.at(Event.CONSENT)).isEqualTo(JSON.readTree("{\"categories\":{\"ads\":false}}"));
    assertThat(e.at("/context/traits/email").asText()).isEqualTo("x@example.com");
    assertThat(e.at("/context/groups/0/id").asText()).isEqualTo("g1");
    assertThat(e.at("/properties/account").asInt()).isEqualTo(7);
    assertThat(e.at("/context/missing/x").isMissingNode()).isTrue();
    assertThat(e.at("/context/ip").isMissingNode()).as("not asked for").isTrue();
    assertThat(raw(e, "context")).startsWith("{\"ip\"").endsWith("[{\"id\":\"g1\"}]}");
  }

  @Test
  void aConsentThatIsNotAnObjectOrAContextThatIsNotIsKeptAsItIs() throws Exception {
    assertThat(read("{\"context\":{\"consent\":[1]}}").at(Event.CONSENT).isArray()).isTrue();
    assertThat(read("{\"context\":\"x\"}").at(Event.CONSENT).isMissingNode()).isTrue();
    assertThat(read("{\"context\":\"x\"}").field("context").kind())
        .isEqualTo(JsonToken.VALUE_STRING);
    assertThat(read("{}").at(Event.CONSENT).isMissingNode()).isTrue();
  }

  @Test
  void anEventThatIsNotAnObjectHasOnlyItsKind() throws Exception {
    List<EventReader.Item> items =
        new EventReader(1000, 10, List.of())
            .read("[[1,{\"a\":2}], \"s\", 3, null]".getBytes(StandardCharsets.UTF_8), false);
    assertThat(items)
        .extracting(i -> i.event().kind())
        .containsExactly(
            JsonToken.START_ARRAY,
            JsonToken.VALUE_STRING,
            JsonToken.VALUE_NUMBER_INT,
            JsonToken.VALUE_NULL);
    assertThat(items).extracting(EventReader.Item::bytes).containsExactly(11, 3, 1, 4);
    assertThat(items.get(0).event().fields()).isEmpty();
  }

  @Test
  void aValueSentAgainReplacesWhatWasKeptOfTheEarlierOne() throws Exception {
    Event e =
        read(
            "{\"context\":{\"consent\":{\"destinations\":{\"all\":false}},"
                + "\"traits\":{\"email\":\"old@x\"}},\"context\":{\"traits\":{}}}",
            "/context/traits/email");
    assertThat(e.at(Event.CONSENT).isMissingNode()).isTrue();
    assertThat(e.at("/context/traits/email").isMissingNode()).isTrue();
    Event nested = read("{\"context\":{\"consent\":{\"a\":1},\"consent\":{\"b\":2}}}");
    assertThat(nested.at(Event.CONSENT)).isEqualTo(JSON.readTree("{\"b\":2}"));
  }

  @Test
  void aTopLevelFieldNamedByAPointerKeepsItsText() throws Exception {
    Event e = read("{\"user_id\":\"u1\",\"n\":7,\"event_type\":\"t\"}", "/user_id", "/n");
    assertThat(e.text("user_id")).isEqualTo("u1");
    assertThat(e.at("/user_id").asText()).isEqualTo("u1");
    assertThat(e.text("n")).isEqualTo("7");
    assertThat(e.at("/n").asInt()).isEqualTo(7);
    assertThat(EventRules.check(e)).isEmpty();
  }
}
