package dev.ferry.pipeline.request;

import static dev.ferry.pipeline.testing.Records.record;
import static dev.ferry.pipeline.testing.Records.tombstone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UrlTemplateTest {

  @Test
  void staticUrlIsTheSameForEveryRecordAndSaysSo() {
    UrlTemplate url = UrlTemplate.parse("  https://api.example.com/items?x=1  ");

    assertThat(url.isStatic()).isTrue();
    assertThat(url.readsValue()).isFalse();
    assertThat(url.render(record("orders", 3, 42, "k1", "{\"a\":1}")))
        .isEqualTo("https://api.example.com/items?x=1");
    assertThat(url.render(tombstone("other", 0, 0, null)))
        .isEqualTo("https://api.example.com/items?x=1");
  }

  @Test
  void fillsTopicPartitionOffsetAndKey() {
    UrlTemplate url =
        UrlTemplate.parse("https://api.example.com/${topic}/${partition}/${offset}?key=${key}");

    assertThat(url.isStatic()).isFalse();
    assertThat(url.readsValue()).isFalse();
    assertThat(url.render(record("orders", 3, 42, "customer-7", "{}")))
        .isEqualTo("https://api.example.com/orders/3/42?key=customer-7");
  }

  @Test
  void urlEncodesSubstitutedValuesWithSpaceAsPercent20() {
    UrlTemplate url = UrlTemplate.parse("https://api.example.com/items/${key}");

    assertThat(url.render(record("t", 0, 0, "a b/c?d&e+f=ü", "{}")))
        .isEqualTo("https://api.example.com/items/a%20b%2Fc%3Fd%26e%2Bf%3D%C3%BC");
  }

  @Test
  void nullKeyBecomesEmpty() {
    UrlTemplate url = UrlTemplate.parse("https://api.example.com/items/${key}");

    assertThat(url.render(record("t", 0, 0, null, "{}")))
        .isEqualTo("https://api.example.com/items/");
  }

  @Test
  void fillsNestedValueFieldsEncoded() {
    UrlTemplate url =
        UrlTemplate.parse("https://api.example.com/customers/${value.customer.id}/${value.kind}");

    assertThat(url.readsValue()).isTrue();
    assertThat(
            url.render(
                record(
                    "t", 0, 0, "k", "{\"customer\":{\"id\":\"c 17\"},\"kind\":7,\"other\":true}")))
        .isEqualTo("https://api.example.com/customers/c%2017/7");
  }

  @Test
  void missingValueFieldBecomesEmpty() {
    UrlTemplate url = UrlTemplate.parse("https://api.example.com/c/${value.customer.id}/x");

    assertThat(url.render(record("t", 0, 0, "k", "{\"customer\":{}}")))
        .isEqualTo("https://api.example.com/c//x");
    assertThat(url.render(record("t", 0, 0, "k", "{\"customer\":{\"id\":null}}")))
        .isEqualTo("https://api.example.com/c//x");
    assertThat(url.render(record("t", 0, 0, "k", "not json at all")))
        .isEqualTo("https://api.example.com/c//x");
    assertThat(url.render(tombstone("t", 0, 0, "k"))).isEqualTo("https://api.example.com/c//x");
  }

  @Test
  void unknownPlaceholderIsRejectedByName() {
    assertThatThrownBy(() -> UrlTemplate.parse("https://api.example.com/${tenant}/items"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("${tenant}")
        .hasMessageContaining("https://api.example.com/${tenant}/items");
    assertThatThrownBy(() -> UrlTemplate.parse("https://api.example.com/${value.}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("${value.}");
  }

  @Test
  void relativeUrlIsRejected() {
    assertThatThrownBy(() -> UrlTemplate.parse("/items/${key}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'/items/${key}'")
        .hasMessageContaining("not an absolute http or https URL");
    assertThatThrownBy(() -> UrlTemplate.parse("api.example.com/items"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an absolute http or https URL");
  }
}
