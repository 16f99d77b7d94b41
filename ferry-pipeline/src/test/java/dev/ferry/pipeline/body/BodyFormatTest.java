package dev.ferry.pipeline.body;

import static dev.ferry.pipeline.testing.Records.record;
import static dev.ferry.pipeline.testing.Records.tombstone;
import static dev.ferry.pipeline.testing.Records.withBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.pipeline.record.PipelineRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BodyFormatTest {

  private static PipelineRecord value(long offset, String value) {
    return record("t", 0, offset, null, value);
  }

  private static String text(byte[] body) {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Test
  void singleSendsTheValueBytesExactly() {
    byte[] value = {'{', ' ', '"', 'a', '"', ':', (byte) 0xC3, (byte) 0xBC, ' ', '}', '\n'};

    assertThat(BodyFormat.SINGLE.encode(List.of(withBytes("t", 0, 0, value)))).isEqualTo(value);
    assertThat(BodyFormat.SINGLE.encode(List.of(value(0, "plain text, not quoted"))))
        .isEqualTo("plain text, not quoted".getBytes(StandardCharsets.UTF_8));
    assertThat(BodyFormat.SINGLE.encode(List.of(tombstone("t", 0, 0, "k")))).isEmpty();
  }

  @Test
  void singleTakesExactlyOneRecord() {
    assertThatThrownBy(() -> BodyFormat.SINGLE.encode(List.of(value(0, "1"), value(1, "2"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 2");
  }

  @Test
  void jsonArrayJoinsValuesByteForByte() {
    List<PipelineRecord> batch =
        List.of(
            value(0, "{ \"id\" : 1,\n \"x\":[1, 2] }"),
            value(1, "[ ]"),
            value(2, "\"already a string\""),
            value(3, "-12.5e3"),
            value(4, " 42 "));

    assertThat(text(BodyFormat.JSON_ARRAY.encode(batch)))
        .isEqualTo("[{ \"id\" : 1,\n \"x\":[1, 2] },[ ],\"already a string\",-12.5e3, 42 ]");
  }

  @Test
  void jsonArrayOfOneRecordAndNonAsciiBytes() {
    byte[] value = "{\"name\":\"Zoë\"}".getBytes(StandardCharsets.UTF_8);
    byte[] expected = "[{\"name\":\"Zoë\"}]".getBytes(StandardCharsets.UTF_8);

    assertThat(BodyFormat.JSON_ARRAY.encode(List.of(withBytes("t", 0, 0, value))))
        .isEqualTo(expected);
  }

  @Test
  void ndjsonEndsEveryLineWithNewline() {
    List<PipelineRecord> batch = List.of(value(0, "{\"a\":1}"), value(1, "{\"b\":2}"));

    assertThat(text(BodyFormat.NDJSON.encode(batch))).isEqualTo("{\"a\":1}\n{\"b\":2}\n");
    assertThat(text(BodyFormat.NDJSON.encode(List.of(value(0, "{}"))))).isEqualTo("{}\n");
  }

  @Test
  void plainTextIsQuotedAsJsonString() {
    List<PipelineRecord> batch =
        List.of(value(0, "hello world"), value(1, "say \"hi\"\\now\n"), value(2, "héllo"));

    assertThat(text(BodyFormat.JSON_ARRAY.encode(batch)))
        .isEqualTo("[\"hello world\",\"say \\\"hi\\\"\\\\now\\n\",\"héllo\"]");
    assertThat(text(BodyFormat.NDJSON.encode(batch.subList(0, 1)))).isEqualTo("\"hello world\"\n");
  }

  @Test
  void jsonLiteralsPassAsIs() {
    List<PipelineRecord> batch =
        List.of(value(0, "true"), value(1, "null"), value(2, " false\n"), value(3, "0"));

    assertThat(text(BodyFormat.JSON_ARRAY.encode(batch))).isEqualTo("[true,null, false\n,0]");
  }

  @Test
  void wordsThatOnlyStartLikeLiteralsAreQuoted() {
    List<PipelineRecord> batch =
        List.of(value(0, "today"), value(1, "nothing"), value(2, "falsehood"), value(3, "trueish"));

    assertThat(text(BodyFormat.JSON_ARRAY.encode(batch)))
        .isEqualTo("[\"today\",\"nothing\",\"falsehood\",\"trueish\"]");
  }

  @Test
  void tombstoneInAnArrayIsJsonNull() {
    List<PipelineRecord> batch = List.of(value(0, "{}"), tombstone("t", 0, 1, "k"));

    assertThat(text(BodyFormat.JSON_ARRAY.encode(batch))).isEqualTo("[{},null]");
  }

  @Test
  void parsesNamesAndKnowsContentTypes() {
    assertThat(BodyFormat.parse(" json_array ")).isEqualTo(BodyFormat.JSON_ARRAY);
    assertThat(BodyFormat.parse("NDJSON")).isEqualTo(BodyFormat.NDJSON);
    assertThat(BodyFormat.SINGLE.defaultContentType()).isEqualTo("application/json");
    assertThat(BodyFormat.NDJSON.defaultContentType()).isEqualTo("application/x-ndjson");
    assertThat(BodyFormat.SINGLE.batches()).isFalse();
    assertThat(BodyFormat.JSON_ARRAY.batches()).isTrue();
  }
}
