package dev.ferry.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SchemaRegistryServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static final Schema PRODUCT =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "Product", "namespace": "shop", "fields": [
                {"name": "sku", "type": "string"},
                {"name": "price", "type": {"type": "bytes", "logicalType": "decimal",
                                           "precision": 9, "scale": 2}},
                {"name": "stock", "type": "int"},
                {"name": "state", "type": {"type": "enum", "name": "State",
                                           "symbols": ["ACTIVE", "RETIRED"]}},
                {"name": "note", "type": ["null", "string"], "default": null},
                {"name": "tags", "type": {"type": "array", "items": "string"}},
                {"name": "attrs", "type": {"type": "map", "values": "long"}},
                {"name": "image", "type": "bytes"},
                {"name": "dims", "type": ["null", {"type": "record", "name": "Dims", "fields": [
                  {"name": "w", "type": "double"}, {"name": "h", "type": "double"}]}]}
              ]}
              """);

  private final SchemaRegistryServer registry = SchemaRegistryServer.start();

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void registerNumbersSchemasFromOneAndKeepsTheIdOfAKnownSchema() {
    String user = "{\"type\":\"record\",\"name\":\"User\",\"fields\":[]}";

    assertThat(registry.register(PRODUCT.toString())).isEqualTo(1);
    assertThat(registry.register(user)).isEqualTo(2);
    assertThat(registry.register(PRODUCT.toString(true))).isEqualTo(1);
    assertThat(registry.register(user)).isEqualTo(2);
  }

  @Test
  void servesSchemasByIdLikeConfluent() throws Exception {
    int id = registry.register(PRODUCT.toString(true));

    HttpResponse<String> response = get("/schemas/ids/" + id, null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("application/vnd.schemaregistry.v1+json");
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.fieldNames()).toIterable().containsExactly("schema");
    assertThat(new Schema.Parser().parse(body.get("schema").asText())).isEqualTo(PRODUCT);
    assertThat(registry.schemaRequests()).isEqualTo(1);
  }

  @Test
  void unknownIdIsNotFoundWithConfluentsErrorCode() throws Exception {
    HttpResponse<String> response = get("/schemas/ids/7", null);

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(response.body()))
        .isEqualTo(JSON.readTree("{\"error_code\":40403,\"message\":\"Schema 7 not found\"}"));
    assertThat(registry.schemaRequests()).isEqualTo(1);
  }

  @Test
  void basicAuthIsRequiredOnceAsked() throws Exception {
    int id = registry.register(PRODUCT.toString());
    registry.requireBasicAuth("ferry", "s3cret");

    assertThat(get("/schemas/ids/" + id, null).statusCode()).isEqualTo(401);
    assertThat(get("/schemas/ids/" + id, basic("ferry", "wrong")).statusCode()).isEqualTo(401);
    assertThat(get("/schemas/ids/" + id, basic("ferry", "s3cret")).statusCode()).isEqualTo(200);
    assertThat(registry.schemaRequests()).isEqualTo(3);
  }

  @Test
  void framesPlainJsonAsAvroThatAvroReadsBack() throws Exception {
    JsonNode product =
        JSON.readTree(
            """
            {"sku": "A-1", "price": 12.5, "stock": 3, "state": "ACTIVE",
             "tags": ["red", "big"], "attrs": {"weight": 1200}, "image": "AQID",
             "dims": {"w": 1.5, "h": 2}}
            """);

    byte[] framed = AvroFrames.frameJson(300, PRODUCT, product);

    assertThat(Arrays.copyOf(framed, 5)).containsExactly(0, 0, 0, 1, 44);
    GenericRecord read =
        new GenericDatumReader<GenericRecord>(PRODUCT)
            .read(null, DecoderFactory.get().binaryDecoder(framed, 5, framed.length - 5, null));
    assertThat(read.get("sku")).hasToString("A-1");
    Schema price = PRODUCT.getField("price").schema();
    assertThat(
            new Conversions.DecimalConversion()
                .fromBytes((ByteBuffer) read.get("price"), price, price.getLogicalType()))
        .isEqualTo(new BigDecimal("12.50"));
    assertThat(read.get("stock")).isEqualTo(3);
    assertThat(read.get("state")).hasToString("ACTIVE");
    assertThat(read.get("note")).isNull();
    assertThat((List<?>) read.get("tags")).map(Object::toString).containsExactly("red", "big");
    assertThat(((Map<?, ?>) read.get("attrs")).get(new Utf8("weight"))).isEqualTo(1200L);
    assertThat(((ByteBuffer) read.get("image")).array()).containsExactly(1, 2, 3);
    assertThat(((GenericData.Record) read.get("dims")).get("h")).isEqualTo(2.0);
  }

  @Test
  void encodeNamesThePathOfWhatDoesNotFit() throws Exception {
    JsonNode wrongStock =
        JSON.readTree(
            "{\"sku\":\"A\",\"price\":1,\"stock\":\"many\",\"state\":\"ACTIVE\",\"tags\":[],"
                + "\"attrs\":{},\"image\":\"\",\"dims\":null}");
    JsonNode wrongDims =
        JSON.readTree(
            "{\"sku\":\"A\",\"price\":1,\"stock\":1,\"state\":\"ACTIVE\",\"tags\":[],"
                + "\"attrs\":{},\"image\":\"\",\"dims\":{\"w\":1}}");

    assertThatThrownBy(() -> AvroFrames.encode(PRODUCT, wrongStock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("at $.stock: expected int, found string");
    assertThatThrownBy(() -> AvroFrames.encode(PRODUCT, wrongDims))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("at $.dims.h: missing");
  }

  private HttpResponse<String> get(String path, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(registry.url() + path));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
