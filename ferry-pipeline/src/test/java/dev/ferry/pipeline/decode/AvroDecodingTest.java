package dev.ferry.pipeline.decode;

import static dev.ferry.pipeline.decode.MessageDecoderTest.framed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

class AvroDecodingTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String ORDER =
      """
      {"type": "record", "name": "Order", "namespace": "shop", "fields": [
        {"name": "id", "type": "long"},
        {"name": "customer", "type": {"type": "record", "name": "Customer", "fields": [
          {"name": "name", "type": "string"},
          {"name": "email", "type": ["null", "string"], "default": null}]}},
        {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID"]}},
        {"name": "lines", "type": {"type": "array", "items": "int"}},
        {"name": "tags", "type": {"type": "map", "values": "string"}},
        {"name": "total", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}},
        {"name": "blob", "type": "bytes"},
        {"name": "code", "type": {"type": "fixed", "name": "Code", "size": 2}},
        {"name": "ratio", "type": "float"},
        {"name": "weight", "type": "double"},
        {"name": "gift", "type": "boolean"},
        {"name": "note", "type": ["null", "string", "int"]},
        {"name": "placed", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "day", "type": {"type": "int", "logicalType": "date"}},
        {"name": "ref", "type": {"type": "string", "logicalType": "uuid"}}
      ]}
      """;
  private static final Schema SCHEMA = new Schema.Parser().parse(ORDER);

  private final AtomicInteger lookups = new AtomicInteger();
  private final MessageDecoder decoder =
      new MessageDecoder(
          id -> {
            lookups.incrementAndGet();
            if (id != 12) {
              throw new DecodeException("schema id " + id + " not found", false);
            }
            return new RegisteredSchema(id, "AVRO", ORDER);
          });

  @Test
  void decodesAvroIntoPlainJsonInSchemaOrder() throws Exception {
    JsonNode decoded = decoder.decode(framed(12, avro(order(1))));

    assertThat(JSON.writeValueAsString(decoded))
        .isEqualTo(
            "{\"id\":1,\"customer\":{\"name\":\"Ada\",\"email\":\"ada@example.com\"},"
                + "\"status\":\"PAID\",\"lines\":[3,5],\"tags\":{\"channel\":\"web\",\"lang\":\"en\"},"
                + "\"total\":1234.50,\"blob\":\"AQID\",\"code\":\"qrs=\",\"ratio\":1.1,"
                + "\"weight\":2.25,\"gift\":true,\"note\":7,\"placed\":1700000000000,"
                + "\"day\":19675,\"ref\":\"0f8fad5b-d9cb-469f-a165-70867728950e\"}");
  }

  @Test
  void nullBranchOfAUnionIsJsonNull() throws Exception {
    GenericRecord order = order(2);
    ((GenericRecord) order.get("customer")).put("email", null);
    order.put("note", null);

    JsonNode decoded = decoder.decode(framed(12, avro(order)));

    assertThat(decoded.get("customer").get("email").isNull()).isTrue();
    assertThat(decoded.get("note").isNull()).isTrue();
  }

  @Test
  void fetchesEachSchemaOnceAndIsSafeAcrossThreads() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Callable<JsonNode>> work =
          IntStream.range(0, 400)
              .<Callable<JsonNode>>mapToObj(i -> () -> decoder.decode(framed(12, avro(order(i)))))
              .toList();
      List<Future<JsonNode>> results = threads.invokeAll(work);
      for (int i = 0; i < results.size(); i++) {
        assertThat(results.get(i).get().get("id").asLong()).isEqualTo(i);
      }
    } finally {
      threads.shutdownNow();
    }
    // Threads that race on the first record may each ask; afterwards nobody does.
    int afterWarmUp = lookups.get();
    decoder.decode(framed(12, avro(order(1))));
    assertThat(lookups.get()).isEqualTo(afterWarmUp).isLessThanOrEqualTo(8);
  }

  @Test
  void truncatedPayloadNamesTheSchemaId() throws Exception {
    byte[] payload = avro(order(1));
    byte[] truncated = Arrays.copyOf(payload, payload.length - 10);

    assertThatThrownBy(() -> decoder.decode(framed(12, truncated)))
        .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.retriable()).isFalse())
        .hasMessageContaining("schema id 12");
  }

  @Test
  void trailingBytesAfterTheDatumFail() throws Exception {
    byte[] payload = avro(order(1));
    byte[] longer = Arrays.copyOf(payload, payload.length + 3);

    assertThatThrownBy(() -> decoder.decode(framed(12, longer)))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("bytes after the datum of schema id 12");
  }

  @Test
  void unknownSchemaIdIsNotRetriable() {
    assertThatThrownBy(() -> decoder.decode(framed(13, new byte[] {2})))
        .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.retriable()).isFalse())
        .hasMessageContaining("13");
  }

  @Test
  void schemaThatIsNotAvroFails() {
    MessageDecoder broken =
        new MessageDecoder(id -> new RegisteredSchema(id, null, "{\"type\": \"recordz\"}"));
    assertThatThrownBy(() -> broken.decode(framed(4, new byte[] {2})))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("schema id 4")
        .hasMessageContaining("not an Avro schema");
  }

  private static GenericRecord order(long id) {
    Schema customerSchema = SCHEMA.getField("customer").schema();
    GenericRecord customer = new GenericData.Record(customerSchema);
    customer.put("name", "Ada");
    customer.put("email", "ada@example.com");
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("channel", "web");
    tags.put("lang", "en");
    Schema total = SCHEMA.getField("total").schema();
    GenericRecord order = new GenericData.Record(SCHEMA);
    order.put("id", id);
    order.put("customer", customer);
    order.put("status", new GenericData.EnumSymbol(SCHEMA.getField("status").schema(), "PAID"));
    order.put("lines", List.of(3, 5));
    order.put("tags", tags);
    order.put(
        "total",
        new Conversions.DecimalConversion()
            .toBytes(new BigDecimal("1234.50"), total, total.getLogicalType()));
    order.put("blob", ByteBuffer.wrap(new byte[] {1, 2, 3}));
    order.put(
        "code",
        new GenericData.Fixed(
            SCHEMA.getField("code").schema(), new byte[] {(byte) 0xaa, (byte) 0xbb}));
    order.put("ratio", 1.1f);
    order.put("weight", 2.25d);
    order.put("gift", true);
    order.put("note", 7);
    order.put("placed", 1_700_000_000_000L);
    order.put("day", 19675);
    order.put("ref", "0f8fad5b-d9cb-469f-a165-70867728950e");
    return order;
  }

  private static byte[] avro(GenericRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }
}
