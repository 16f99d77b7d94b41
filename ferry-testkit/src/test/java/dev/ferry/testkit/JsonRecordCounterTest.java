package dev.ferry.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonRecordCounterTest {

  private static int count(String body) {
    return JsonRecordCounter.count(body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void countsArrayElements() {
    assertThat(count("[]")).isZero();
    assertThat(count(" [ ] ")).isZero();
    assertThat(count("[{\"a\":[1,2,{\"b\":\"],}\"}]},{\"c\":1}]")).isEqualTo(2);
    assertThat(count("[1, 22 ,\"x,y\", null, [3,4]]")).isEqualTo(5);
  }

  @Test
  void countsNdjsonLinesAndSingleValues() {
    assertThat(count("")).isZero();
    assertThat(count("{\"a\":1}")).isEqualTo(1);
    assertThat(count("{\n  \"a\": {\"b\": [1, 2]}\n}\n")).isEqualTo(1);
    assertThat(count("{\"a\":1}\n{\"a\":\"}\\\"{\"}\n\n{\"a\":3}\n")).isEqualTo(3);
    assertThat(count("12\n\"s\"\ntrue")).isEqualTo(3);
  }
}
