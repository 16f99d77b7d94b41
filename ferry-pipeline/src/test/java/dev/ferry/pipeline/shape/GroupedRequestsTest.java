package dev.ferry.pipeline.shape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.http.Request;
import dev.ferry.pipeline.body.BodyFormat;
import dev.ferry.pipeline.body.GroupedBody;
import dev.ferry.pipeline.record.PipelineRecord;
import dev.ferry.pipeline.request.RequestFactory;
import dev.ferry.pipeline.request.UrlTemplate;
import dev.ferry.pipeline.testing.Records;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class GroupedRequestsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<PipelineRecord> BATCH =
      List.of(Records.record("t", 0, 5, "k", "{}"), Records.record("t", 0, 6, "k", "{}"));

  private static Entity entity(String json) throws Exception {
    return Entity.parse(JSON.readTree(json));
  }

  private static RequestFactory factory(BodyFormat format) {
    return new RequestFactory(
            UrlTemplate.parse("https://api.example.com/catalog"),
            "POST",
            Map.of(),
            List.of(),
            format,
            format.defaultContentType())
        .withGrouped(
            new GroupedBody(Map.of("item", "items", "variation", "variations")),
            "DELETE",
            UrlTemplate.parse("https://api.example.com/catalog/delete"));
  }

  private static String header(Request r, String name) {
    return r.headers().stream()
        .filter(h -> h.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }

  @Test
  void upsertsGroupedByTypeThenDeletesInASecondRequest() throws Exception {
    List<Output> outputs =
        List.of(
            entity("{\"type\":\"item\",\"id\":\"P-1\",\"data\":{\"name\":\"Shoe\",\"id\":\"x\"}}"),
            entity("{\"type\":\"variation\",\"id\":7,\"data\":{\"item_id\":\"P-1\"}}"),
            entity("{\"type\":\"item\",\"id\":\"P-2\",\"op\":\"delete\"}"),
            entity("{\"type\":\"category\",\"id\":\"C\",\"data\":{}}"));
    List<Request> requests = factory(BodyFormat.GROUPED).build(BATCH, outputs);

    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).method()).isEqualTo("POST");
    assertThat(JSON.readTree(requests.get(0).body()))
        .isEqualTo(
            JSON.readTree(
                "{\"items\":[{\"id\":\"P-1\",\"name\":\"Shoe\"}],"
                    + "\"variations\":[{\"id\":\"7\",\"item_id\":\"P-1\"}],"
                    + "\"categorys\":[{\"id\":\"C\"}]}"));
    assertThat(requests.get(1).method()).isEqualTo("DELETE");
    assertThat(requests.get(1).uri().toString())
        .isEqualTo("https://api.example.com/catalog/delete");
    assertThat(JSON.readTree(requests.get(1).body()))
        .isEqualTo(JSON.readTree("{\"items\":[{\"id\":\"P-2\"}]}"));
    assertThat(header(requests.get(0), "Idempotency-Key")).endsWith("-1");
    assertThat(header(requests.get(1), "Idempotency-Key")).endsWith("-2");
  }

  @Test
  void anEntityUpsertedAgainAfterItsDeleteStartsANewPartSoOrderIsKept() throws Exception {
    List<Output> outputs =
        List.of(
            entity("{\"type\":\"item\",\"id\":\"A\",\"op\":\"delete\"}"),
            entity("{\"type\":\"item\",\"id\":\"A\",\"data\":{\"v\":2}}"));
    List<Request> requests = factory(BodyFormat.GROUPED).build(BATCH, outputs);
    assertThat(requests).extracting(Request::method).containsExactly("DELETE", "POST");
  }

  @Test
  void nothingToSendMeansNoRequest() {
    assertThat(factory(BodyFormat.GROUPED).build(BATCH, List.of())).isEmpty();
  }

  @Test
  void plainFormatsSendResultsAsJsonAndEntitiesWhole() throws Exception {
    List<Output> outputs =
        List.of(
            new Body(JSON.readTree("{\"a\":1}")),
            entity("{\"type\":\"item\",\"id\":\"P-1\",\"data\":{\"n\":1}}"));
    Request array = factory(BodyFormat.JSON_ARRAY).build(BATCH, outputs).get(0);
    assertThat(JSON.readTree(array.body()))
        .isEqualTo(
            JSON.readTree(
                "[{\"a\":1},{\"type\":\"item\",\"id\":\"P-1\",\"op\":\"upsert\",\"data\":{\"n\":1}}]"));
    Request ndjson = factory(BodyFormat.NDJSON).build(BATCH, outputs).get(0);
    assertThat(new String(ndjson.body(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"a\":1}\n{\"type\":\"item\",\"id\":\"P-1\",\"op\":\"upsert\",\"data\":{\"n\":1}}\n");
    Request single =
        factory(BodyFormat.SINGLE).build(BATCH.subList(0, 1), outputs.subList(0, 1)).get(0);
    assertThat(JSON.readTree(single.body())).isEqualTo(JSON.readTree("{\"a\":1}"));
  }

  @Test
  void plainValuesBatchedWithDecodedOnesKeepTheirBytes() throws Exception {
    byte[] exact = "{\"price\":0.12345678901234567890123}".getBytes(StandardCharsets.UTF_8);
    List<Output> outputs =
        List.of(
            new Raw(exact),
            new Body(JSON.readTree("{\"b\":2}")),
            new Raw("plain text".getBytes(StandardCharsets.UTF_8)));
    Request r = factory(BodyFormat.JSON_ARRAY).build(BATCH, outputs).get(0);
    assertThat(new String(r.body(), StandardCharsets.UTF_8))
        .isEqualTo("[{\"price\":0.12345678901234567890123},{\"b\":2},\"plain text\"]");
  }

  @Test
  void gzipCompressesBodiesAndSaysSo() throws Exception {
    List<Output> outputs = List.of(new Body(JSON.readTree("{\"a\":\"" + "x".repeat(1000) + "\"}")));
    Request r = factory(BodyFormat.JSON_ARRAY).withGzip(true).build(BATCH, outputs).get(0);
    assertThat(header(r, "Content-Encoding")).isEqualTo("gzip");
    assertThat(r.body().length).isLessThan(200);
    JsonNode back =
        JSON.readTree(new GZIPInputStream(new ByteArrayInputStream(r.body())).readAllBytes());
    assertThat(back.get(0).get("a").asText()).hasSize(1000);
  }

  @Test
  void entityResultsAreCheckedWithMessagesThatNameTheEntity() {
    assertThatThrownBy(() -> entity("{\"type\":\"item\",\"data\":{}}"))
        .hasMessageContaining("needs an id");
    assertThatThrownBy(() -> entity("{\"type\":\"item\",\"id\":\"P-1\"}"))
        .hasMessageContaining("P-1")
        .hasMessageContaining("data object");
    assertThatThrownBy(() -> entity("{\"type\":\"item\",\"id\":\"P-1\",\"op\":\"merge\"}"))
        .hasMessageContaining("upsert or delete");
    assertThatThrownBy(() -> entity("{\"type\":1,\"id\":\"P-1\"}"))
        .hasMessageContaining("type must be a non-empty string");
  }
}
