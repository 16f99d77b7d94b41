package dev.ferry.pipeline.request;

import static dev.ferry.pipeline.testing.Records.record;
import static dev.ferry.pipeline.testing.Records.tombstone;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.http.Request;
import dev.ferry.pipeline.body.BodyFormat;
import dev.ferry.pipeline.record.PipelineRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestFactoryTest {
  private static final UrlTemplate STATIC = UrlTemplate.parse("https://api.example.com/items");

  private static RequestFactory factory(
      UrlTemplate url, Map<String, String> staticHeaders, List<String> forwarded) {
    return new RequestFactory(
        url,
        "POST",
        staticHeaders,
        forwarded,
        BodyFormat.JSON_ARRAY,
        BodyFormat.JSON_ARRAY.defaultContentType());
  }

  private static RequestFactory plain() {
    return factory(STATIC, Map.of(), List.of());
  }

  private static List<String> values(Request request, String name) {
    List<String> found = new ArrayList<>();
    for (Map.Entry<String, String> h : request.headers()) {
      if (h.getKey().equalsIgnoreCase(name)) {
        found.add(h.getValue());
      }
    }
    return found;
  }

  private static PipelineRecord withHeaders(
      long offset, String key, List<Map.Entry<String, String>> headers) {
    return record("orders", 1, offset, -1, key, "{\"n\":" + offset + "}", headers);
  }

  @Test
  void buildsPostWithTheFormatsBodyAndDefaultContentType() {
    Request request =
        plain()
            .build(
                List.of(
                    record("orders", 1, 5, "k", "{\"a\":1}"), record("orders", 1, 6, "k", "2")));

    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.uri()).hasToString("https://api.example.com/items");
    assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo("[{\"a\":1},2]");
    assertThat(values(request, "Content-Type")).containsExactly("application/json");
  }

  @Test
  void staticContentTypeOverridesTheDefaultWhateverItsCase() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Api-Version", "3");
    headers.put("content-TYPE", "application/vnd.example+json");

    Request request =
        factory(STATIC, headers, List.of()).build(List.of(record("t", 0, 0, "k", "{}")));

    assertThat(values(request, "Content-Type")).containsExactly("application/vnd.example+json");
    assertThat(values(request, "X-Api-Version")).containsExactly("3");
  }

  @Test
  void forwardsNamedKafkaHeadersOnly() {
    RequestFactory requests = factory(STATIC, Map.of(), List.of("X-Tenant", "X-Trace"));
    PipelineRecord r =
        withHeaders(
            0,
            "k",
            List.of(
                Map.entry("x-tenant", "acme-old"),
                Map.entry("X-Tenant", "acme"),
                Map.entry("X-Secret", "do-not-send")));

    Request request = requests.build(List.of(r));

    assertThat(values(request, "X-Tenant")).containsExactly("acme");
    assertThat(values(request, "X-Trace")).isEmpty();
    assertThat(values(request, "X-Secret")).isEmpty();
  }

  @Test
  void recordsWithDifferentForwardedHeadersAreNotGrouped() {
    RequestFactory requests = factory(STATIC, Map.of(), List.of("X-Tenant"));

    String acme = requests.groupKey(withHeaders(0, "k", List.of(Map.entry("X-Tenant", "acme"))));
    String acme2 = requests.groupKey(withHeaders(1, "j", List.of(Map.entry("X-Tenant", "acme"))));
    String other = requests.groupKey(withHeaders(2, "k", List.of(Map.entry("X-Tenant", "other"))));

    assertThat(acme).isNotNull().isEqualTo(acme2).isNotEqualTo(other);
  }

  @Test
  void groupKeyIsNullForAStaticUrl() {
    assertThat(plain().groupKey(record("orders", 1, 5, "a", "{}"))).isNull();
    assertThat(plain().groupKey(record("orders", 2, 9, "b", "{}"))).isNull();
  }

  @Test
  void groupKeyDiffersByKeyWhenTheUrlUsesTheKey() {
    RequestFactory requests =
        factory(UrlTemplate.parse("https://api.example.com/items/${key}"), Map.of(), List.of());

    String a = requests.groupKey(record("orders", 1, 5, "a", "{}"));
    String a2 = requests.groupKey(record("orders", 2, 6, "a", "{}"));
    String b = requests.groupKey(record("orders", 1, 7, "b", "{}"));

    assertThat(a).isNotNull().isEqualTo(a2).isNotEqualTo(b);
  }

  @Test
  void requestGoesToTheFirstRecordsUrl() {
    RequestFactory requests =
        factory(UrlTemplate.parse("https://api.example.com/items/${key}"), Map.of(), List.of());

    Request request = requests.build(List.of(record("orders", 1, 5, "a b", "{}")));

    assertThat(request.uri()).hasToString("https://api.example.com/items/a%20b");
  }

  @Test
  void idempotencyKeyOfOneRecordIsTopicPartitionOffset() {
    Request request = plain().build(List.of(record("orders", 1, 5, "k", "{}")));

    assertThat(values(request, RequestFactory.IDEMPOTENCY_KEY)).containsExactly("orders-1-5");
  }

  @Test
  void idempotencyKeyIsTheSameForTheSameBatchBuiltTwice() {
    List<PipelineRecord> batch =
        List.of(
            record("orders", 1, 5, "k", "{}"),
            record("orders", 1, 6, "k", "{}"),
            record("orders", 2, 3, "k", "{}"));
    List<PipelineRecord> again =
        List.of(
            record("orders", 1, 5, "k", "{\"changed\":true}"),
            record("orders", 1, 6, "other", "{}"),
            record("orders", 2, 3, "k", "{}"));

    String first = values(plain().build(batch), RequestFactory.IDEMPOTENCY_KEY).get(0);

    assertThat(values(plain().build(batch), RequestFactory.IDEMPOTENCY_KEY)).containsExactly(first);
    assertThat(values(plain().build(again), RequestFactory.IDEMPOTENCY_KEY)).containsExactly(first);
    assertThat(first).matches("[0-9a-f]{32}");
  }

  @Test
  void idempotencyKeyDiffersForDifferentOffsets() {
    String one = RequestFactory.idempotencyKey(List.of(record("orders", 1, 5, "k", "{}")));
    String otherOffset = RequestFactory.idempotencyKey(List.of(record("orders", 1, 6, "k", "{}")));
    String batch =
        RequestFactory.idempotencyKey(
            List.of(record("orders", 1, 5, "k", "{}"), record("orders", 1, 6, "k", "{}")));
    String shifted =
        RequestFactory.idempotencyKey(
            List.of(record("orders", 1, 6, "k", "{}"), record("orders", 1, 7, "k", "{}")));
    String gap =
        RequestFactory.idempotencyKey(
            List.of(record("orders", 1, 5, "k", "{}"), record("orders", 1, 7, "k", "{}")));
    String filled =
        RequestFactory.idempotencyKey(
            List.of(
                record("orders", 1, 5, "k", "{}"),
                record("orders", 1, 6, "k", "{}"),
                record("orders", 1, 7, "k", "{}")));
    String otherPartition =
        RequestFactory.idempotencyKey(
            List.of(record("orders", 2, 5, "k", "{}"), record("orders", 2, 6, "k", "{}")));

    assertThat(List.of(one, otherOffset, batch, shifted, gap, filled, otherPartition))
        .doesNotHaveDuplicates();
  }

  @Test
  void tombstoneBecomesDeleteWithoutBodyOrContentType() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/vnd.example+json");
    headers.put("X-Api-Version", "3");
    RequestFactory requests =
        factory(UrlTemplate.parse("https://api.example.com/items/${key}"), headers, List.of());

    Request request = requests.build(List.of(tombstone("orders", 1, 5, "item-9")));

    assertThat(request.method()).isEqualTo("DELETE");
    assertThat(request.uri()).hasToString("https://api.example.com/items/item-9");
    assertThat(request.body()).isEmpty();
    assertThat(values(request, "Content-Type")).isEmpty();
    assertThat(values(request, "X-Api-Version")).containsExactly("3");
    assertThat(values(request, RequestFactory.IDEMPOTENCY_KEY)).containsExactly("orders-1-5");
  }
}
