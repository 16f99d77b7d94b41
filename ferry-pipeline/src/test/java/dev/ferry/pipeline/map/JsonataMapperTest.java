package dev.ferry.pipeline.map;

import static dev.ferry.pipeline.map.Messages.json;
import static dev.ferry.pipeline.map.Messages.meta;
import static dev.ferry.pipeline.map.Messages.product;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonataMapperTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  private static Mapper jsonata(String expression) throws MappingException {
    return Mappers.create(MappingLanguage.JSONATA, expression, TIMEOUT);
  }

  @Test
  void mapsMessageToOneEntity() throws Exception {
    try (Mapper mapper =
        jsonata(
            """
            {"type": "item", "id": sku, "op": "upsert",
             "data": {"name": title, "price": price, "stock": stock, "doubled": stock * 2,
                      "brand": brand.name, "tags": tags, "discontinued": discontinued}}
            """)) {
      List<JsonNode> results = mapper.map(product(), meta());

      assertThat(results)
          .containsExactly(
              json(
                  """
                  {"type": "item", "id": "P-1", "op": "upsert",
                   "data": {"name": "Blue widget with a rather long descriptive title",
                            "price": 19.99, "stock": 42, "doubled": 84, "brand": "Acme",
                            "tags": ["new", "sale"], "discontinued": null}}
                  """));
      JsonNode data = results.get(0).get("data");
      assertThat(data.get("doubled").isIntegralNumber()).as("84, not 84.0").isTrue();
      assertThat(data.get("price").isDouble()).isTrue();
    }
  }

  @Test
  void arrayConstructorGivesOneResultPerElement() throws Exception {
    try (Mapper mapper =
        jsonata(
            """
            [{"type": "item", "id": sku, "op": "upsert"},
             variants.{"type": "variant", "id": sku, "op": "upsert", "data": {"stock": stock}},
             null]
            """)) {
      List<JsonNode> results = mapper.map(product(), meta());

      assertThat(results)
          .extracting(r -> r.get("id").asText())
          .containsExactly("P-1", "P-1-S", "P-1-M", "P-1-L");
      assertThat(results.get(2).get("data")).isEqualTo(json("{\"stock\": 20}"));
    }
  }

  @Test
  void noMatchSkipsTheMessage() throws Exception {
    try (Mapper path = jsonata("missing.{\"id\": sku}");
        Mapper condition = jsonata("active = false ? {\"id\": sku}");
        Mapper nothing = jsonata("null")) {
      assertThat(path.map(product(), meta())).isEmpty();
      assertThat(condition.map(product(), meta())).isEmpty();
      assertThat(nothing.map(product(), meta())).isEmpty();
    }
  }

  @Test
  void scalarResultIsOneResult() throws Exception {
    try (Mapper mapper = jsonata("sku")) {
      assertThat(mapper.map(product(), meta())).containsExactly(json("\"P-1\""));
    }
  }

  @Test
  void metaIsBoundAsVariable() throws Exception {
    try (Mapper mapper =
        jsonata(
            """
            {"topic": $meta.topic, "partition": $meta.partition, "offset": $meta.offset,
             "key": $meta.key, "timestamp": $meta.timestamp, "tenant": $meta.headers.tenant}
            """)) {
      assertThat(mapper.map(product(), meta()))
          .containsExactly(
              json(
                  """
                  {"topic": "products", "partition": 3, "offset": 17, "key": "P-1",
                   "timestamp": 1714564800000, "tenant": "acme"}
                  """));
    }
  }

  @Test
  void nothingOfOneCallIsSeenByTheNext() throws Exception {
    String expression =
        """
        ($seen := $exists($earlier) ? "leaked" : "clean";
         $earlier := 1;
         {"seen": $seen, "key": $meta.key})
        """;
    try (Mapper mapper = jsonata(expression);
        Mapper other = jsonata(expression)) {
      assertThat(mapper.map(product(), meta("k1")))
          .containsExactly(json("{\"seen\": \"clean\", \"key\": \"k1\"}"));
      assertThat(other.map(product(), meta("k2")))
          .containsExactly(json("{\"seen\": \"clean\", \"key\": \"k2\"}"));
      assertThat(mapper.map(product(), meta(null)))
          .containsExactly(json("{\"seen\": \"clean\", \"key\": null}"));
    }
  }

  @Test
  void evaluationErrorGivesEngineMessageCodeAndMessagePosition() throws Exception {
    try (Mapper mapper = jsonata("{\"total\": $sum(title)}")) {
      assertThatThrownBy(() -> mapper.map(product(), meta()))
          .isInstanceOf(MappingException.class)
          .hasMessageContaining("T0412")
          .hasMessageContaining("at position")
          .hasMessageContaining("must be an array")
          .hasMessageContaining("products/3@17");
      // the mapper goes on working
      assertThat(mapper.map(json("{\"title\": [1, 2]}"), meta()))
          .containsExactly(json("{\"total\": 3}"));
    }
  }

  @Test
  void compileErrorIsReportedAtCreate() {
    assertThatThrownBy(() -> jsonata("{\"id\": }"))
        .isInstanceOf(MappingException.class)
        .hasMessageContaining("JSONata syntax error")
        .hasMessageContaining("S0211")
        .hasMessageContaining("position 8");
  }

  @Test
  void runawayRecursionFailsTheCall() throws Exception {
    try (Mapper mapper =
        jsonata("($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(1000000))")) {
      assertThatThrownBy(() -> mapper.map(product(), meta()))
          .isInstanceOf(MappingException.class)
          .hasMessageContaining("Stack overflow")
          .hasMessageContaining("products/3@17");
    }
  }

  @Test
  void endlessEvaluationStopsAtTheTimeLimit() throws Exception {
    try (Mapper mapper =
        Mappers.create(
            MappingLanguage.JSONATA,
            "($f := function($n) { $n < 0 ? 0 : $f($n + 1) }; $f(0))",
            Duration.ofMillis(200))) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> mapper.map(product(), meta()))
          .isInstanceOf(MappingException.class)
          .hasMessage(
              "JSONata mapping exceeded its time limit of 200 ms (mapping.timeout.ms)"
                  + " at products/3@17");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }
  }

  @Test
  void manyThreadsGetTheirOwnResults() throws Exception {
    try (Mapper mapper =
        jsonata("{\"id\": sku, \"key\": $meta.key, \"stock\": $sum(variants.stock)}")) {
      Concurrently.run(
          4,
          500,
          (thread, call) -> {
            String sku = "P-" + thread + "-" + call;
            List<JsonNode> results = mapper.map(Messages.product(sku), meta(sku));
            assertThat(results)
                .containsExactly(
                    json(
                        Messages.JSON.writeValueAsString(
                            Map.of("id", sku, "key", sku, "stock", 42))));
          });
    }
  }

  @Test
  void closedMapperRefusesWork() throws Exception {
    Mapper mapper = jsonata("sku");
    mapper.close();
    assertThatThrownBy(() -> mapper.map(product(), meta()))
        .isInstanceOf(IllegalStateException.class);
  }
}
