package dev.ferry.connect.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigDocsTest {
  private static final Path DOC = Path.of("..", "docs", "http-sink-connector.md");

  @Test
  void checkedInReferenceMatchesTheCode() throws Exception {
    String generated = ConfigDocs.render();
    if (Boolean.getBoolean("ferry.docs.update")) {
      Files.writeString(DOC, generated, StandardCharsets.UTF_8);
    }
    assertThat(Files.exists(DOC))
        .as(
            "docs/http-sink-connector.md is missing: run ./mvnw -pl ferry-connect test"
                + " -Dferry.docs.update=true")
        .isTrue();
    assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
        .as(
            "docs/http-sink-connector.md drifted from the code: run ./mvnw -pl ferry-connect test"
                + " -Dferry.docs.update=true and commit the result")
        .isEqualTo(generated);
  }
}
