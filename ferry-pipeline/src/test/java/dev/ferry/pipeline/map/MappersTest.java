package dev.ferry.pipeline.map;

import static dev.ferry.pipeline.map.Messages.json;
import static dev.ferry.pipeline.map.Messages.meta;
import static dev.ferry.pipeline.map.Messages.product;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappersTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  @Test
  void readsJavaScriptFromFileAndNamesItInErrors(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("products.js");
    Files.writeString(
        file,
        "// catalogue → items\nfunction map(m) {\n  if (!m.sku) throw new TypeError('no sku');\n"
            + "  return {type: 'item', id: m.sku, name: 'Größe ' + m.size};\n}\n",
        StandardCharsets.UTF_8);

    try (Mapper mapper = Mappers.create(MappingLanguage.JAVASCRIPT, "file:" + file, TIMEOUT)) {
      assertThat(mapper.map(json("{\"sku\": \"P-1\", \"size\": \"M\"}"), meta()))
          .containsExactly(json("{\"type\": \"item\", \"id\": \"P-1\", \"name\": \"Größe M\"}"));
      assertThatThrownBy(() -> mapper.map(json("{}"), meta()))
          .isInstanceOf(MappingException.class)
          .hasMessageContaining(file + ":3:");
    }
  }

  @Test
  void readsJsonataFromFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("products.jsonata");
    Files.writeString(file, "{\"type\": \"item\", \"id\": sku}", StandardCharsets.UTF_8);

    try (Mapper mapper = Mappers.create(MappingLanguage.JSONATA, "file:" + file, TIMEOUT)) {
      assertThat(mapper.map(product(), meta()))
          .containsExactly(json("{\"type\": \"item\", \"id\": \"P-1\"}"));
    }
  }

  @Test
  void missingFileIsNamed(@TempDir Path dir) {
    Path file = dir.resolve("nowhere.js");
    assertThatThrownBy(() -> Mappers.create(MappingLanguage.JAVASCRIPT, "file:" + file, TIMEOUT))
        .isInstanceOf(MappingException.class)
        .hasMessageContaining("cannot read the mapping file " + file)
        .hasMessageContaining("NoSuchFileException");
  }

  @Test
  void rejectsTimeoutThatIsNotPositive() {
    assertThatThrownBy(() -> Mappers.create(MappingLanguage.JSONATA, "sku", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout");
  }
}
