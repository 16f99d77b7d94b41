package dev.ferry.gateway.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8Test {
  /** The JDK's decoder, which refuses overlong forms, surrogates and code points past U+10FFFF. */
  private static boolean jdkAccepts(byte[] b) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  @Test
  void wellFormedTextPasses() {
    byte[] text =
        "plain ascii, caf\u00e9, \u20ac, \ud83d\ude00, \u07ff\u0800\ud7ff\ue000\uffff\udbff\udfff"
            .getBytes(StandardCharsets.UTF_8);
    assertThat(Utf8.firstInvalid(text, 0, text.length)).isEqualTo(-1);
  }

  @Test
  void eachKindOfBrokenSequenceIsFoundWhereItStarts() {
    int[][] broken = {
      {0x80}, // a continuation byte alone
      {0xC3}, // cut short
      {0xC3, 0x28}, // a continuation byte missing
      {0xC0, 0xAF}, // overlong
      {0xE0, 0x80, 0x80}, // overlong
      {0xED, 0xA0, 0x80}, // a surrogate
      {0xF4, 0x90, 0x80, 0x80}, // above U+10FFFF
      {0xF5, 0x80, 0x80, 0x80},
      {0xFF}
    };
    for (int[] sequence : broken) {
      byte[] b = new byte[12 + sequence.length];
      java.util.Arrays.fill(b, (byte) 'a');
      System.arraycopy(bytes(sequence), 0, b, 10, sequence.length);
      assertThat(Utf8.firstInvalid(b, 0, b.length)).as("%s", (Object) sequence).isEqualTo(10);
      assertThat(Utf8.firstInvalid(b, 0, 10)).isEqualTo(-1);
    }
  }

  @Test
  void agreesWithTheJdkDecoderOnRandomBytes() {
    Random random = new Random(7);
    int rejected = 0;
    for (int i = 0; i < 50_000; i++) {
      byte[] b = new byte[1 + random.nextInt(40)];
      for (int k = 0; k < b.length; k++) {
        // Mostly ASCII, some lead and continuation bytes.
        int r = random.nextInt(10);
        b[k] = (byte) (r < 6 ? 'a' + random.nextInt(26) : 0x80 + random.nextInt(128));
      }
      boolean jdk = jdkAccepts(b);
      assertThat(Utf8.firstInvalid(b, 0, b.length) < 0)
          .as("%s", java.util.Arrays.toString(b))
          .isEqualTo(jdk);
      rejected += jdk ? 0 : 1;
    }
    assertThat(rejected).isBetween(1000, 49_000);
  }
}
