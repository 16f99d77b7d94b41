package dev.ferry.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReferencesTest {
  private static final String ALLOWED = "org.apache.kafka.sasl.oauthbearer.allowed.urls";

  @TempDir Path dir;

  @Test
  void fileReferencesAreResolvedAndOneLeftUnresolvedNamesItsKey() throws IOException {
    Path secrets = dir.resolve("secrets.properties");
    Files.writeString(secrets, "password=s3cret\n");

    assertThat(
            ConfigReferences.resolve(
                Map.of("kafka.sasl.password", "${file:" + secrets + ":password}")))
        .containsEntry("kafka.sasl.password", "s3cret");
    assertThatThrownBy(
            () ->
                ConfigReferences.resolve(
                    Map.of("kafka.sasl.password", "${env:FERRY_TEST_SURELY_UNSET}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "kafka.sasl.password refers to ${env:FERRY_TEST_SURELY_UNSET}, which is not set here");
  }

  @Test
  void aTokenEndpointIsAllowedOnce() {
    String before = System.getProperty(ALLOWED);
    try {
      System.setProperty(ALLOWED, "https://other.example.com/token");
      ConfigReferences.allowTokenEndpoint("https://idp.example.com/token");
      ConfigReferences.allowTokenEndpoint("https://idp.example.com/token");
      ConfigReferences.allowTokenEndpoint(" ");

      assertThat(System.getProperty(ALLOWED))
          .isEqualTo("https://other.example.com/token,https://idp.example.com/token");
    } finally {
      if (before == null) {
        System.clearProperty(ALLOWED);
      } else {
        System.setProperty(ALLOWED, before);
      }
    }
  }
}
