package dev.ferry.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {
  private static final String KEY = "0123456789abcdef-one";
  private static final String OTHER = "0123456789abcdef-two";

  @Test
  void aKnownBearerKeyIsAllowed() {
    ApiKeys keys = new ApiKeys(Set.of(KEY, OTHER), true);
    assertThat(keys.allows("Bearer " + KEY)).isTrue();
    assertThat(keys.allows("Bearer " + OTHER)).isTrue();
    assertThat(keys.allows("bearer " + KEY)).isTrue();
    assertThat(keys.allows("BEARER  " + KEY + " ")).isTrue();
  }

  @Test
  void anythingElseIsRefused() {
    ApiKeys keys = new ApiKeys(Set.of(KEY), true);
    assertThat(keys.allows(null)).isFalse();
    assertThat(keys.allows("")).isFalse();
    assertThat(keys.allows("Bearer ")).isFalse();
    assertThat(keys.allows(KEY)).isFalse();
    assertThat(keys.allows("Basic " + KEY)).isFalse();
    assertThat(keys.allows("Bearer " + KEY.toUpperCase(java.util.Locale.ROOT))).isFalse();
    assertThat(keys.allows("Bearer " + KEY + "x")).isFalse();
    assertThat(keys.allows("Bearer " + OTHER)).isFalse();
  }

  @Test
  void withoutAuthenticationEverythingIsAllowed() {
    ApiKeys keys = new ApiKeys(Set.of(), false);
    assertThat(keys.allows(null)).isTrue();
    assertThat(keys.allows("Bearer whatever")).isTrue();
  }
}
