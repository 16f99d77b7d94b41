package dev.ferry.pipeline.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MappingLanguageTest {

  @Test
  void parsesNamesIgnoringCase() {
    assertThat(MappingLanguage.parse("jsonata")).isEqualTo(MappingLanguage.JSONATA);
    assertThat(MappingLanguage.parse("JavaScript")).isEqualTo(MappingLanguage.JAVASCRIPT);
    assertThat(MappingLanguage.parse(" JSONATA ")).isEqualTo(MappingLanguage.JSONATA);
  }

  @Test
  void rejectsUnknownNameListingValidOnes() {
    assertThatThrownBy(() -> MappingLanguage.parse("jslt"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'jslt'")
        .hasMessageContaining("jsonata, javascript");
    assertThatThrownBy(() -> MappingLanguage.parse(null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
