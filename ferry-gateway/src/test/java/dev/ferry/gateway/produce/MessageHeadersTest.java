package dev.ferry.gateway.produce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.gateway.event.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

class MessageHeadersTest {

  @Test
  void theSeedsHeadersThenTheForwardedOnesInOrder() {
    Map<String, String> forwarded = new LinkedHashMap<>();
    forwarded.put("x-request-id", "r-1");
    forwarded.put("x-forwarded-for", "203.0.113.9");
    List<Header> headers = MessageHeaders.of(event("track", "Order Completed \u00e9", forwarded));

    assertThat(headers)
        .extracting(Header::key)
        .containsExactly(
            "content-type", "event_type", "event_name", "x-request-id", "x-forwarded-for");
    assertThat(headers)
        .extracting(h -> new String(h.value(), StandardCharsets.UTF_8))
        .containsExactly(
            "application/json", "track", "Order Completed \u00e9", "r-1", "203.0.113.9");
  }

  @Test
  void anEventWithoutANameHasNoNameHeader() {
    List<Header> headers = MessageHeaders.of(event("identify", null, Map.of()));

    assertThat(headers).extracting(Header::key).containsExactly("content-type", "event_type");
  }

  @Test
  void aValueSeenBeforeGetsTheSameHeader() {
    List<Header> first = MessageHeaders.of(event("page", "Viewed", Map.of()));
    List<Header> again = MessageHeaders.of(event("page", "Viewed", Map.of()));

    assertThat(again.get(1)).as("event_type").isSameAs(first.get(1));
    assertThat(again.get(2)).as("event_name").isSameAs(first.get(2));
  }

  @Test
  void manyDistinctValuesKeepTheMemoryBounded() {
    MessageHeaders.ByValue names = new MessageHeaders.ByValue("event_name");
    for (int i = 0; i < 3 * MessageHeaders.ByValue.MAX_VALUES; i++) {
      Header h = names.header("name-" + i);
      assertThat(new String(h.value(), StandardCharsets.UTF_8)).isEqualTo("name-" + i);
    }
    assertThat(names.size()).isBetween(1, MessageHeaders.ByValue.MAX_VALUES);

    String longest = "k".repeat(MessageHeaders.ByValue.MAX_CHARS);
    assertThat(names.header(longest)).as("kept up to the limit").isSameAs(names.header(longest));
    String longValue = "n".repeat(MessageHeaders.ByValue.MAX_CHARS + 1);
    Header once = names.header(longValue);
    assertThat(names.header(longValue)).as("long values are not kept").isNotSameAs(once);
    assertThat(names.header(longValue).value()).isEqualTo(once.value());
  }

  private static Envelope.Outgoing event(String type, String name, Map<String, String> forwarded) {
    return new Envelope.Outgoing(
        "events",
        null,
        "{}".getBytes(StandardCharsets.UTF_8),
        "id-1",
        false,
        type,
        name,
        false,
        forwarded,
        Envelope.Outgoing.PRODUCER_CLOCK);
  }
}
