package dev.ferry.gateway.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.ferry.gateway.GatewayConfig;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConsentsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final GatewayConfig.Consent KAFKA =
      new GatewayConfig.Consent("kafka", Set.of(), "");
  private static final GatewayConfig.Consent ANALYTICS =
      new GatewayConfig.Consent("kafka", Set.of("analytics", "marketing"), "");

  @ParameterizedTest(name = "{0} denies: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{}|false",
        "{\"destinations\":{}}|false",
        "{\"destinations\":{\"kafka\":true}}|false",
        "{\"destinations\":{\"kafka\":false}}|true",
        "{\"destinations\":{\"other\":false}}|false",
        "{\"destinations\":{\"all\":false}}|true",
        "{\"destinations\":{\"all\":false,\"kafka\":true}}|false",
        "{\"destinations\":{\"all\":true,\"kafka\":false}}|true",
        "{\"destinations\":{\"all\":\"false\"}}|false",
        "{\"destinations\":{\"kafka\":\"no\"}}|false",
        "{\"categories\":{\"analytics\":false}}|false",
      })
  void destinations(String consent, boolean denies) throws Exception {
    assertThat(Consents.denies(JSON.readTree(consent), KAFKA)).isEqualTo(denies);
  }

  @ParameterizedTest(name = "{0} denies: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{}|false",
        "{\"categories\":{\"analytics\":true,\"marketing\":true}}|false",
        "{\"categories\":{\"analytics\":true}}|false",
        "{\"categories\":{\"analytics\":false}}|true",
        "{\"categories\":{\"marketing\":false,\"analytics\":true}}|true",
        "{\"categories\":{\"ads\":false}}|false",
        "{\"categories\":{\"analytics\":null}}|false",
        "{\"destinations\":{\"kafka\":true},\"categories\":{\"analytics\":false}}|true",
      })
  void categories(String consent, boolean denies) throws Exception {
    assertThat(Consents.denies(JSON.readTree(consent), ANALYTICS)).isEqualTo(denies);
  }

  @Test
  void noConsentInformationNeverDenies() {
    assertThat(Consents.denies(MissingNode.getInstance(), ANALYTICS)).isFalse();
    assertThat(Consents.denies(JSON.nullNode(), ANALYTICS)).isFalse();
  }

  @Test
  void otherDestinationNames() throws Exception {
    GatewayConfig.Consent warehouse = new GatewayConfig.Consent("warehouse", Set.of(), "");
    assertThat(
            Consents.denies(
                JSON.readTree("{\"destinations\":{\"kafka\":false,\"warehouse\":true}}"),
                warehouse))
        .isFalse();
    assertThat(
            Consents.denies(JSON.readTree("{\"destinations\":{\"warehouse\":false}}"), warehouse))
        .isTrue();
  }
}
