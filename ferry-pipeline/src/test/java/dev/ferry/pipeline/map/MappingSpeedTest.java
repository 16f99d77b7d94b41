package dev.ferry.pipeline.map;

import static dev.ferry.pipeline.map.Messages.meta;
import static dev.ferry.pipeline.map.Messages.product;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Prints the average time per call on a 1 KB product after warm-up, in a few rounds since a busy
 * machine shows in single rounds; asserts only the results.
 */
class MappingSpeedTest {
  private static final int WARM_UP = 20_000;
  private static final int MEASURED = 20_000;
  private static final int ROUNDS = 3;

  private static final String JSONATA =
      """
      [{"type": "item", "id": sku, "op": "upsert",
        "data": {"name": title, "price": price, "brand": brand.name, "tags": tags,
                 "topic": $meta.topic}},
       variants.{"type": "variant", "id": sku, "op": "upsert",
                 "data": {"price": price, "stock": stock}}]
      """;

  private static final String JAVASCRIPT =
      """
      function map(m, meta) {
        const item = {type: 'item', id: m.sku, op: 'upsert',
                      data: {name: m.title, price: m.price, brand: m.brand.name, tags: m.tags,
                             topic: meta.topic}};
        return [item, ...m.variants.map(v =>
            ({type: 'variant', id: v.sku, op: 'upsert', data: {price: v.price, stock: v.stock}}))];
      }
      """;

  @Test
  void measuresMicrosecondsPerCall() throws Exception {
    JsonNode message = product();
    System.out.printf(
        Locale.ROOT, "message: %d bytes%n", Messages.JSON.writeValueAsBytes(message).length);
    for (MappingLanguage language : MappingLanguage.values()) {
      String source = language == MappingLanguage.JSONATA ? JSONATA : JAVASCRIPT;
      try (Mapper mapper = Mappers.create(language, source, Duration.ofSeconds(5))) {
        for (int i = 0; i < WARM_UP; i++) {
          assertThat(mapper.map(message, meta())).hasSize(4);
        }
        for (int round = 1; round <= ROUNDS; round++) {
          long start = System.nanoTime();
          for (int i = 0; i < MEASURED; i++) {
            mapper.map(message, meta());
          }
          double micros = (System.nanoTime() - start) / 1000.0 / MEASURED;
          System.out.printf(
              Locale.ROOT,
              "%s round %d: %.1f µs per call (%d calls)%n",
              language,
              round,
              micros,
              MEASURED);
        }
      }
    }
  }
}
