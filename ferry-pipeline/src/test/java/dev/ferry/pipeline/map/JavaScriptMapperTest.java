package dev.ferry.pipeline.map;

import static dev.ferry.pipeline.map.Messages.json;
import static dev.ferry.pipeline.map.Messages.meta;
import static dev.ferry.pipeline.map.Messages.product;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class JavaScriptMapperTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  private static Mapper javascript(String source) throws MappingException {
    return Mappers.create(MappingLanguage.JAVASCRIPT, source, TIMEOUT);
  }

  @Test
  void mapsMessageToOneEntity() throws Exception {
    try (Mapper mapper =
        javascript(
            """
            function map(message, meta) {
              return {type: 'item', id: message.sku, op: 'upsert',
                      data: {name: message.title, price: message.price, stock: message.stock,
                             doubled: message.stock * 2, brand: message.brand.name,
                             tags: message.tags, discontinued: message.discontinued}};
            }
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
      assertThat(results.get(0).get("data").get("doubled").isIntegralNumber()).isTrue();
    }
  }

  @Test
  void arrayResultGivesOneResultPerElement() throws Exception {
    try (Mapper mapper =
        javascript(
            """
            function map(message) {
              const item = {type: 'item', id: message.sku, op: 'upsert'};
              const variants = message.variants.map(v =>
                  ({type: 'variant', id: v.sku, op: 'upsert', data: {stock: v.stock}}));
              return [item, ...variants, null];
            }
            """)) {
      List<JsonNode> results = mapper.map(product(), meta());

      assertThat(results)
          .extracting(r -> r.get("id").asText())
          .containsExactly("P-1", "P-1-S", "P-1-M", "P-1-L");
      assertThat(results.get(2).get("data")).isEqualTo(json("{\"stock\": 20}"));
    }
  }

  @Test
  void undefinedOrNullSkipsTheMessage() throws Exception {
    try (Mapper mapper =
        javascript(
            """
            function map(message, meta) {
              if (meta.key === 'undefined') return undefined;
              if (meta.key === 'null') return null;
              if (message.active) return;
              return {id: message.sku};
            }
            """)) {
      assertThat(mapper.map(product(), meta("undefined"))).isEmpty();
      assertThat(mapper.map(product(), meta("null"))).isEmpty();
      assertThat(mapper.map(product(), meta("other"))).isEmpty();
      assertThat(mapper.map(json("{\"sku\": \"X\"}"), meta("other")))
          .containsExactly(json("{\"id\": \"X\"}"));
    }
  }

  @Test
  void metaIsTheSecondArgument() throws Exception {
    try (Mapper mapper =
        javascript(
            """
            const map = (message, meta) => ({
              topic: meta.topic, partition: meta.partition, offset: meta.offset, key: meta.key,
              timestamp: meta.timestamp, tenant: meta.headers.tenant,
              headers: Object.keys(meta.headers)});
            """)) {
      assertThat(mapper.map(product(), meta()))
          .containsExactly(
              json(
                  """
                  {"topic": "products", "partition": 3, "offset": 17, "key": "P-1",
                   "timestamp": 1714564800000, "tenant": "acme", "headers": ["tenant", "source"]}
                  """));
    }
  }

  @Test
  void messageBehavesAsPlainJavaScriptAndStaysUnchanged() throws Exception {
    JsonNode message = product();
    try (Mapper mapper =
        javascript(
            """
            function map(message) {
              message.tags.push('extra');
              delete message.brand.country;
              const copy = {...message.brand, sku: message.sku};
              return {tags: message.tags, isArray: Array.isArray(message.categories),
                      keys: Object.keys(message).length, copy: copy,
                      total: message.variants.reduce((s, v) => s + v.stock, 0)};
            }
            """)) {
      assertThat(mapper.map(message, meta()))
          .containsExactly(
              json(
                  """
                  {"tags": ["new", "sale", "extra"], "isArray": true, "keys": 16,
                   "copy": {"id": 7, "name": "Acme", "sku": "P-1"}, "total": 42}
                  """));
    }
    assertThat(message).isEqualTo(product());
  }

  @Test
  void thrownErrorGivesItsMessageAndLine() throws Exception {
    try (Mapper mapper =
        javascript(
            """
            function map(message) {
              if (message.active) {
                throw new Error('no active products, please');
              }
              return message.missing.field;
            }
            """)) {
      assertThatThrownBy(() -> mapper.map(product(), meta()))
          .isInstanceOf(MappingException.class)
          .hasMessageContaining("Error: no active products, please")
          .hasMessageContaining("mapping:3:")
          .hasMessageContaining("products/3@17");
      assertThatThrownBy(() -> mapper.map(json("{\"active\": false}"), meta()))
          .isInstanceOf(MappingException.class)
          .hasMessageContaining("TypeError")
          .hasMessageContaining("mapping:5:");
    }
  }

  @Test
  void syntaxErrorIsReportedAtCreateWithItsLine() {
    assertThatThrownBy(() -> javascript("function map(message) {\n  return message.;\n}\n"))
        .isInstanceOf(MappingException.class)
        .hasMessageContaining("JavaScript syntax error")
        .hasMessageContaining("mapping:2:")
        .hasMessageNotContaining("\n");
  }

  @Test
  void sourceWithoutMapFunctionIsRefused() {
    assertThatThrownBy(() -> javascript("function transform(message) { return message; }"))
        .isInstanceOf(MappingException.class)
        .hasMessageContaining("the JavaScript source must define function map(message, meta)");
    assertThatThrownBy(() -> javascript("var map = 42;"))
        .isInstanceOf(MappingException.class)
        .hasMessageContaining("must define function map");
  }

  @Test
  void endlessLoopStopsAtTheTimeLimitAndTheMapperGoesOn() throws Exception {
    try (Mapper mapper =
        Mappers.create(
            MappingLanguage.JAVASCRIPT,
            """
            function map(message) {
              if (message.loop) { while (true) {} }
              return {id: message.sku};
            }
            """,
            Duration.ofMillis(200))) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> mapper.map(json("{\"loop\": true}"), meta()))
          .isInstanceOf(MappingException.class)
          .hasMessage(
              "JavaScript mapping exceeded its time limit of 200 ms (mapping.timeout.ms)"
                  + " at products/3@17");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));

      assertThat(mapper.map(product(), meta())).containsExactly(json("{\"id\": \"P-1\"}"));
    }
  }

  @Test
  void loopThatOutlastsTheInterruptIsCancelledAndTheMapperGoesOn() throws Exception {
    try (Mapper mapper =
        Mappers.create(
            MappingLanguage.JAVASCRIPT,
            """
            function map(message) {
              if (message.loop) { for (;;) { try { while (true) {} } finally { } } }
              return {id: message.sku};
            }
            """,
            Duration.ofMillis(200))) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> mapper.map(json("{\"loop\": true}"), meta()))
          .isInstanceOf(MappingException.class)
          .hasMessageContaining("exceeded its time limit of 200 ms");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));

      assertThat(mapper.map(product(), meta())).containsExactly(json("{\"id\": \"P-1\"}"));
    }
  }

  @Test
  void sourceThatNeverFinishesLoadingIsRefusedAtCreate() {
    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                Mappers.create(
                    MappingLanguage.JAVASCRIPT,
                    "while (true) {}\nfunction map(message) { return message; }",
                    Duration.ofMillis(200)))
        .isInstanceOf(MappingException.class)
        .hasMessageContaining("took longer than its time limit of 200 ms to load");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void hostAccessIsDenied() throws Exception {
    try (Mapper mapper =
        javascript(
            """
            function map(message) {
              return {Java: typeof Java, java: typeof java, Packages: typeof Packages,
                      Polyglot: typeof Polyglot, Graal: typeof Graal, require: typeof require,
                      fetch: typeof fetch, load: typeof load, print: typeof print,
                      process: typeof process, XMLHttpRequest: typeof XMLHttpRequest};
            }
            """)) {
      JsonNode globals = mapper.map(product(), meta()).get(0);
      globals
          .fields()
          .forEachRemaining(
              g -> assertThat(g.getValue().asText()).as(g.getKey()).isEqualTo("undefined"));
    }
    for (String attempt :
        List.of(
            "Java.type('java.lang.System').exit(1)",
            "java.lang.System.getenv()",
            "Polyglot.eval('js', '1')",
            "load('/etc/passwd')",
            "require('fs').readFileSync('/etc/passwd')",
            "fetch('http://localhost/')")) {
      try (Mapper mapper = javascript("function map(message) { return " + attempt + "; }")) {
        assertThatThrownBy(() -> mapper.map(product(), meta()))
            .as(attempt)
            .isInstanceOf(MappingException.class)
            .hasMessageContaining("ReferenceError");
      }
    }
  }

  @Test
  void consoleOutputDoesNotDisturbTheMapping() throws Exception {
    try (Mapper mapper =
        javascript("function map(m) { console.log('mapping', m.sku); return {id: m.sku}; }")) {
      assertThat(mapper.map(product(), meta())).containsExactly(json("{\"id\": \"P-1\"}"));
    }
  }

  @Test
  void manyThreadsGetTheirOwnResults() throws Exception {
    try (Mapper mapper =
        javascript(
            """
            let calls = 0;
            function map(message, meta) {
              calls++;
              return {id: message.sku, key: meta.key,
                      stock: message.variants.reduce((s, v) => s + v.stock, 0)};
            }
            """)) {
      Concurrently.run(
          4,
          500,
          (thread, call) -> {
            String sku = "P-" + thread + "-" + call;
            assertThat(mapper.map(Messages.product(sku), meta(sku)))
                .containsExactly(
                    json("{\"id\": \"" + sku + "\", \"key\": \"" + sku + "\", \"stock\": 42}"));
          });
    }
  }

  @Test
  void closedMapperRefusesWork() throws Exception {
    Mapper mapper = javascript("function map(m) { return m; }");
    mapper.close();
    assertThatThrownBy(() -> mapper.map(product(), meta()))
        .isInstanceOf(IllegalStateException.class);
  }
}
