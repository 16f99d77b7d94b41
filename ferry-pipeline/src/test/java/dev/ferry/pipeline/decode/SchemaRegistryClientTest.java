package dev.ferry.pipeline.decode;

import static dev.ferry.pipeline.decode.MessageDecoderTest.framed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.http.HttpSettings;
import dev.ferry.http.tls.TlsSettings;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SchemaRegistryClientTest {
  private static final String USER_SCHEMA =
      "{\"type\":\"record\",\"name\":\"User\",\"fields\":[{\"name\":\"name\",\"type\":\"string\"}]}";

  /** A User record: name "Ada" (zig-zag length 3, then the bytes). */
  private static final byte[] ADA = {6, 'A', 'd', 'a'};

  private static final HttpSettings HTTP =
      new HttpSettings(Duration.ofSeconds(2), Duration.ofSeconds(5), TlsSettings.systemDefault());

  private RegistryStub registry;
  private SchemaRegistryClient client;

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void fetchesASchemaOnceAndDecodesWithIt() throws Exception {
    registry = new RegistryStub().schema(1, USER_SCHEMA);
    client = new SchemaRegistryClient(registry.url(), null, HTTP);
    MessageDecoder decoder = new MessageDecoder(client);

    assertThat(decoder.decode(framed(1, ADA)).toString()).isEqualTo("{\"name\":\"Ada\"}");
    assertThat(decoder.decode(framed(1, ADA)).toString()).isEqualTo("{\"name\":\"Ada\"}");
    assertThat(client.schema(1)).isEqualTo(new RegisteredSchema(1, "AVRO", USER_SCHEMA));

    assertThat(registry.requests()).isEqualTo(1);
  }

  @Test
  void sendsBasicAuth() throws Exception {
    registry = new RegistryStub().schema(1, USER_SCHEMA);
    client = new SchemaRegistryClient(registry.url(), "ferry:s3cr:et", HTTP);

    client.schema(1);

    String expected =
        "Basic "
            + Base64.getEncoder().encodeToString("ferry:s3cr:et".getBytes(StandardCharsets.UTF_8));
    assertThat(registry.authorizations()).containsExactly(expected);
    assertThat(client.toString()).doesNotContain("s3cr");
  }

  @Test
  void unknownIdIsNotFoundAndNotRetriable() throws Exception {
    registry = new RegistryStub();
    client = new SchemaRegistryClient(registry.url(), null, HTTP);

    assertThatThrownBy(() -> client.schema(42))
        .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.retriable()).isFalse())
        .hasMessage("schema id 42 not found in the schema registry at " + registry.url());
    assertThat(registry.requests()).isEqualTo(1);
  }

  @Test
  void refusedCredentialsAreRetriableAndNotRetriedAtOnce() throws Exception {
    registry = new RegistryStub().schema(1, USER_SCHEMA).thenStatuses(401);
    client = new SchemaRegistryClient(registry.url(), "ferry:wrong-password", HTTP);

    assertThatThrownBy(() -> client.schema(1))
        .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.retriable()).isTrue())
        .hasMessageContaining("refused the credentials (HTTP 401)")
        .hasMessageContaining("schema.registry.basic.auth.user.info")
        .hasMessageNotContaining("wrong-password");
    assertThat(registry.requests()).isEqualTo(1);
  }

  @Test
  void serverErrorsAreRetriedThenTheSchemaIsServedAndCached() throws Exception {
    registry = new RegistryStub().schema(1, USER_SCHEMA).thenStatuses(500, 503);
    client = new SchemaRegistryClient(registry.url(), null, HTTP);

    assertThat(client.schema(1).text()).isEqualTo(USER_SCHEMA);
    assertThat(client.schema(1).text()).isEqualTo(USER_SCHEMA);

    assertThat(registry.requests()).isEqualTo(3);
  }

  @Test
  void persistentServerErrorsAreRetriableAndNotCached() throws Exception {
    registry = new RegistryStub().schema(1, USER_SCHEMA).thenStatuses(500, 500, 500);
    client = new SchemaRegistryClient(registry.url(), null, HTTP);

    assertThatThrownBy(() -> client.schema(1))
        .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.retriable()).isTrue())
        .hasMessageStartingWith("schema registry at " + registry.url() + " unreachable: HTTP 500");
    assertThat(registry.requests()).isEqualTo(3);

    assertThat(client.schema(1).text()).isEqualTo(USER_SCHEMA);
  }

  @Test
  void registryDownIsRetriableWithTheUrlAndWithoutThePassword() throws Exception {
    URI down;
    try (ServerSocket socket = new ServerSocket(0)) {
      down = URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
    client = new SchemaRegistryClient(down, "ferry:hunter2", HTTP);
    MessageDecoder decoder = new MessageDecoder(client);

    assertThatThrownBy(() -> decoder.decode(framed(1, ADA)))
        .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.retriable()).isTrue())
        .hasMessageStartingWith("schema registry at " + down + " unreachable: ")
        .hasMessageNotContaining("hunter2");
  }
}
