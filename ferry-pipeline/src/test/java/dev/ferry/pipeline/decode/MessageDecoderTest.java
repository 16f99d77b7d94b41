package dev.ferry.pipeline.decode;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MessageDecoderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AtomicInteger lookups = new AtomicInteger();
  private final MessageDecoder decoder =
      new MessageDecoder(
          id -> {
            lookups.incrementAndGet();
            throw new DecodeException("schema id " + id + " not found", false);
          });

  @Test
  void decodesJsonObjectsArraysNumbersAndStrings() throws Exception {
    assertThat(decode(" {\"a\": [1, 2.5, true, null]}\n"))
        .isEqualTo(json("{\"a\":[1,2.5,true,null]}"));
    assertThat(decode("[{\"b\":\"x\"}]")).isEqualTo(json("[{\"b\":\"x\"}]"));
    assertThat(decode("-42")).isEqualTo(json("-42"));
    assertThat(decode("\"quoted\"")).isEqualTo(json("\"quoted\""));
    assertThat(decode("false")).isEqualTo(json("false"));
  }

  @Test
  void valuesThatOnlyStartLikeJsonAreText() throws Exception {
    assertThat(decode("42 apples").textValue()).isEqualTo("42 apples");
    assertThat(decode("true story").textValue()).isEqualTo("true story");
    assertThat(decode("\"unterminated").textValue()).isEqualTo("\"unterminated");
  }

  @Test
  void plainUtf8IsText() throws Exception {
    assertThat(decode("héllo wörld ✓").textValue()).isEqualTo("héllo wörld ✓");
    assertThat(decode("").textValue()).isEmpty();
  }

  @Test
  void brokenJsonFailsWithLineAndColumnButWithoutThePayload() {
    assertThatThrownBy(() -> decode("{\"secret-field\":"))
        .isInstanceOfSatisfying(
            DecodeException.class,
            e -> {
              assertThat(e.retriable()).isFalse();
              assertThat(e.getMessage())
                  .startsWith("not valid JSON: unexpected end of input at line 1")
                  .doesNotContain("secret");
            });
    assertThatThrownBy(() -> decode("[1, 2]\n{hunter2}"))
        .isInstanceOfSatisfying(
            DecodeException.class,
            e ->
                assertThat(e.getMessage())
                    .startsWith("not valid JSON: ")
                    .contains("line 2")
                    .doesNotContain("hunter2"));
    assertThatThrownBy(() -> decode("{\"a\": tru}"))
        .isInstanceOfSatisfying(
            DecodeException.class,
            e -> assertThat(e.getMessage()).doesNotContain("tru}").doesNotContain("'tru'"));
  }

  @Test
  void bytesThatAreNotUtf8Fail() {
    byte[] latin1 = "caf\u00e9".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> decoder.decode(latin1))
        .isInstanceOf(DecodeException.class)
        .hasMessage("the value is neither JSON, nor Schema Registry framed, nor UTF-8 text");
    assertThatThrownBy(() -> decoder.decode(new byte[] {1, (byte) 0xff, (byte) 0xfe}))
        .isInstanceOf(DecodeException.class);
  }

  @Test
  void framedJsonIsUnwrappedWithoutAskingForTheSchema() throws Exception {
    assertThat(decoder.decode(framed(7, " {\"id\": 1}".getBytes(UTF_8))))
        .isEqualTo(json("{\"id\":1}"));
    assertThat(decoder.decode(framed(7, "[1,2]".getBytes(UTF_8)))).isEqualTo(json("[1,2]"));
    assertThat(lookups).hasValue(0);
  }

  @Test
  void shortValuesStartingWithZeroAreNotFramed() throws Exception {
    assertThat(decoder.decode(new byte[] {0, 0, 0, 'x'}).textValue()).isEqualTo("\0\0\0x");
    assertThat(lookups).hasValue(0);
  }

  @Test
  void framedValueWithoutRegistryAsksToSetTheUrl() {
    MessageDecoder withoutRegistry = new MessageDecoder(null);
    assertThatThrownBy(() -> withoutRegistry.decode(framed(3, new byte[] {2, 4})))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("schema id 3")
        .hasMessageContaining("set schema.registry.url");
  }

  @Test
  void unknownSchemaIdIsNotRetriable() {
    assertThatThrownBy(() -> decoder.decode(framed(99, new byte[] {2})))
        .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.retriable()).isFalse())
        .hasMessage("schema id 99 not found");
  }

  @Test
  void retriableFailuresOfTheSchemaSourcePropagate() {
    MessageDecoder unreachable =
        new MessageDecoder(
            id -> {
              throw new DecodeException("schema registry at http://r unreachable", true);
            });
    assertThatThrownBy(() -> unreachable.decode(framed(1, new byte[] {2})))
        .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.retriable()).isTrue())
        .hasMessageContaining("unreachable");
  }

  @Test
  void framedJsonSchemaPayloadThatIsNotJsonFails() throws Exception {
    MessageDecoder jsonSchemas =
        new MessageDecoder(id -> new RegisteredSchema(id, "JSON", "{\"type\":\"object\"}"));
    assertThat(jsonSchemas.decode(framed(5, "42".getBytes(UTF_8)))).isEqualTo(json("42"));
    assertThatThrownBy(() -> jsonSchemas.decode(framed(5, "{\"a\":".getBytes(UTF_8))))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("payload")
        .hasMessageContaining("is not valid JSON");
  }

  @Test
  void protobufIsNotSupportedYet() {
    MessageDecoder protobuf =
        new MessageDecoder(id -> new RegisteredSchema(id, "PROTOBUF", "syntax = \"proto3\";"));
    assertThatThrownBy(() -> protobuf.decode(framed(8, new byte[] {0, 8, 1})))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("Protobuf is not supported yet");
  }

  static byte[] framed(int id, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
    out.writeBytes(payload);
    return out.toByteArray();
  }

  private JsonNode decode(String value) throws DecodeException {
    return decoder.decode(value.getBytes(UTF_8));
  }

  private static JsonNode json(String text) throws IOException {
    return JSON.readTree(text);
  }
}
