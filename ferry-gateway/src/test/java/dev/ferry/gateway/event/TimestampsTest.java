package dev.ferry.gateway.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {
  private static boolean formatterAccepts(String s) {
    try {
      OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-12-01T09:30:00Z",
        "2026-12-01T09:30:00.1Z",
        "2026-12-01T09:30:00.123456789Z",
        "2026-12-01T09:30:00+01:00",
        "2026-12-01T23:59:59.5-18:00",
        "2024-02-29T00:00:00+18:00",
        "2000-02-29T00:00:00Z",
        "0000-01-01T00:00:00Z"
      })
  void theCommonShapeIsCheckedByHand(String s) {
    assertThat(Timestamps.isCommonInstant(s)).isTrue();
    assertThat(formatterAccepts(s)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-12-01T09:30Z",
        "2026-12-01t09:30:00z",
        "2026-12-01T09:30:00.Z",
        "2026-12-01T09:30:00+01:00:30",
        "+12026-12-01T09:30:00Z"
      })
  void otherShapesTheFormatterTakesAreLeftToIt(String s) {
    assertThat(Timestamps.isCommonInstant(s)).isFalse();
    assertThat(Timestamps.isInstant(s)).isEqualTo(formatterAccepts(s)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-02-29T00:00:00Z",
        "1900-02-29T00:00:00Z",
        "2026-04-31T00:00:00Z",
        "2026-13-01T00:00:00Z",
        "2026-00-01T00:00:00Z",
        "2026-12-00T00:00:00Z",
        "2026-12-01T24:00:00Z",
        "2026-12-01T09:60:00Z",
        "2026-12-01T09:30:60Z",
        "2026-12-01T09:30:00+0100",
        "2026-12-01T09:30:00.1234567890Z",
        "2026-12-01T09:30:00+18:01",
        "2026-12-01T09:30:00+19:00",
        "2026-12-01T09:30:00",
        "2026-12-01 09:30:00Z",
        "1764581400",
        ""
      })
  void invalidTimesAreRefused(String s) {
    assertThat(Timestamps.isInstant(s)).isFalse();
    assertThat(formatterAccepts(s)).isFalse();
  }

  @Test
  void theHandCheckNeverAcceptsWhatTheFormatterRefuses() {
    // Mutations of valid times: every character replaced by one of a set that matters.
    String alphabet = "0123456789-+:.TZtz 9";
    Random random = new Random(42);
    int accepted = 0;
    for (int i = 0; i < 200_000; i++) {
      char[] s = "2024-02-29T23:59:59.123+05:30".toCharArray();
      int length = 19 + random.nextInt(s.length - 18);
      for (int m = random.nextInt(3); m >= 0; m--) {
        s[random.nextInt(length)] = alphabet.charAt(random.nextInt(alphabet.length()));
      }
      String candidate = new String(s, 0, length);
      if (random.nextBoolean()) {
        candidate = candidate.substring(0, Math.min(candidate.length(), 19)) + "Z";
      }
      boolean byHand = Timestamps.isCommonInstant(candidate);
      if (byHand) {
        accepted++;
        assertThat(formatterAccepts(candidate)).as(candidate).isTrue();
      }
      assertThat(Timestamps.isInstant(candidate))
          .as(candidate)
          .isEqualTo(formatterAccepts(candidate));
    }
    assertThat(accepted).as("the mutations reach valid times too").isGreaterThan(1000);
  }
}
