package dev.ferry.connect.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.ferry.connect.kafka.ConnectionCheck.Result;
import dev.ferry.connect.kafka.ConnectionCheck.Status;
import dev.ferry.connect.kafka.ConnectionCheck.Step;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the check with real Kafka clients against addresses that fail on purpose: a closed port, a
 * host that does not resolve, a token endpoint that refuses, a port that does not speak TLS.
 */
class ConnectionCheckTest {
  private static final String SECRET = "s3cr3t-do-not-echo";
  private static final String ALLOWED_URLS = "org.apache.kafka.sasl.oauthbearer.allowed.urls";
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private HttpServer tokenEndpoint;
  private ServerSocket plainPort;

  @AfterEach
  void stop() throws IOException {
    System.clearProperty(ALLOWED_URLS);
    if (tokenEndpoint != null) {
      tokenEndpoint.stop(0);
    }
    if (plainPort != null) {
      plainPort.close();
    }
  }

  private static Map<String, String> props(String bootstrap, String... kv) {
    Map<String, String> props = new HashMap<>();
    props.put("kafka.bootstrap.servers", bootstrap);
    for (int i = 0; i < kv.length; i += 2) {
      props.put(kv[i], kv[i + 1]);
    }
    return props;
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Step step(Result result, String name) {
    return result.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void closedPortFailsTheClusterStepWithTheAddressAndSkipsTheRest() throws IOException {
    String bootstrap = "localhost:" + closedPort();
    KafkaProfile profile =
        KafkaProfileConfig.from(
            props(
                bootstrap,
                "kafka.security.protocol",
                "PLAINTEXT",
                "kafka.allow.plaintext",
                "true"));

    Result result = ConnectionCheck.run(profile, List.of("orders"), "connect-catalog", TIMEOUT);

    assertThat(result.ok()).isFalse();
    assertThat(step(result, "client").status()).isEqualTo(Status.OK);
    assertThat(step(result, "cluster").message())
        .startsWith(
            "could not reach the brokers at " + bootstrap + " within 3 s: check the address");
    assertThat(step(result, "topic orders").status()).isEqualTo(Status.SKIPPED);
    assertThat(step(result, "group connect-catalog").status()).isEqualTo(Status.SKIPPED);
    assertThat(result.toString()).contains("✗ cluster: could not reach").contains("- topic orders");
  }

  @Test
  void unresolvableHostFailsTheClientStep() {
    KafkaProfile profile =
        KafkaProfileConfig.from(
            props(
                "no-such-host.invalid:9092",
                "kafka.sasl.username",
                "key",
                "kafka.sasl.password",
                SECRET));

    Result result = ConnectionCheck.run(profile, List.of(), null, TIMEOUT);

    assertThat(result.steps())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.name()).isEqualTo("client");
              assertThat(s.message())
                  .startsWith(
                      "none of the brokers in kafka.bootstrap.servers (no-such-host.invalid:9092)"
                          + " resolves");
            });
  }

  @Test
  void tokenEndpointRefusingTheClientIsToldWithoutTheSecret() throws IOException {
    String url =
        startTokenEndpoint(401, "{\"error\":\"invalid_client\",\"secret\":\"" + SECRET + "\"}");
    System.setProperty(ALLOWED_URLS, url);

    Result result = ConnectionCheck.run(oauthProfile(url), List.of(), null, TIMEOUT);

    assertThat(step(result, "client").message())
        .isEqualTo(
            "the token endpoint "
                + url
                + " refused the client (HTTP 401): check kafka.oauth.client.id (ferry-client) and"
                + " kafka.oauth.client.secret");
    assertThat(result.toString()).doesNotContain(SECRET);
  }

  @Test
  void tokenEndpointTheJvmDoesNotAllowIsTold() throws IOException {
    String url = startTokenEndpoint(200, "{}");

    Result result = ConnectionCheck.run(oauthProfile(url), List.of(), null, TIMEOUT);

    assertThat(step(result, "client").message()).contains("-D" + ALLOWED_URLS + "=" + url);
  }

  @Test
  void unreachableTokenEndpointIsTold() throws IOException {
    String url = "http://127.0.0.1:" + closedPort() + "/token";
    System.setProperty(ALLOWED_URLS, url);

    Result result = ConnectionCheck.run(oauthProfile(url), List.of(), null, TIMEOUT);

    assertThat(step(result, "client").message())
        .startsWith("could not reach kafka.oauth.token.endpoint " + url + ": the connection was");
  }

  @Test
  void tlsToAPortThatDoesNotSpeakTlsIsTold() throws IOException {
    plainPort = new ServerSocket(0);
    Thread answerer =
        new Thread(
            () -> {
              while (!plainPort.isClosed()) {
                try (Socket s = plainPort.accept();
                    OutputStream out = s.getOutputStream()) {
                  out.write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                  out.flush();
                } catch (IOException e) {
                  return;
                }
              }
            });
    answerer.setDaemon(true);
    answerer.start();
    String bootstrap = "localhost:" + plainPort.getLocalPort();

    Result result =
        ConnectionCheck.run(
            KafkaProfileConfig.from(props(bootstrap, "kafka.security.protocol", "SSL")),
            List.of(),
            null,
            TIMEOUT);

    assertThat(step(result, "cluster").message())
        .startsWith("TLS handshake with " + bootstrap + " failed: the connection broke off");
  }

  @Test
  void connectorConfigWithPlaintextIsRefusedBeforeConnecting() {
    Result result =
        ConnectionCheck.forConnector(
            Map.of(
                "name", "catalog",
                "topics", "orders",
                "kafka.bootstrap.servers", "localhost:9092",
                "kafka.security.protocol", "PLAINTEXT"),
            TIMEOUT);

    assertThat(result.ok()).isFalse();
    assertThat(result.steps())
        .singleElement()
        .satisfies(s -> assertThat(s.message()).contains("kafka.allow.plaintext=true"));
  }

  @Test
  void connectorConfigChecksItsTopicsAndTheSinksGroup() throws IOException {
    Result result =
        ConnectionCheck.forConnector(
            Map.of(
                "name", "catalog",
                "topics", "orders, items",
                "kafka.bootstrap.servers", "localhost:" + closedPort(),
                "kafka.security.protocol", "PLAINTEXT",
                "kafka.allow.plaintext", "true"),
            Duration.ofSeconds(1));

    assertThat(result.steps())
        .extracting(Step::name)
        .containsExactly(
            "profile", "client", "cluster", "topic orders", "topic items", "group connect-catalog");
  }

  private static KafkaProfile oauthProfile(String url) {
    assumeTrue(
        ConnectionCheckTest.class.getClassLoader().getResource("org/jose4j/jwt/JwtClaims.class")
            != null,
        "Kafka's OAuth login needs jose4j on the test classpath");
    return KafkaProfileConfig.from(
        props(
            "localhost:9",
            "kafka.oauth.client.id",
            "ferry-client",
            "kafka.oauth.client.secret",
            SECRET,
            "kafka.oauth.token.endpoint",
            url));
  }

  private String startTokenEndpoint(int status, String body) throws IOException {
    tokenEndpoint =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    tokenEndpoint.createContext(
        "/token",
        exchange -> {
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    tokenEndpoint.start();
    return "http://127.0.0.1:" + tokenEndpoint.getAddress().getPort() + "/token";
  }
}
