package dev.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.testkit.ReceivedRequest;
import dev.ferry.testkit.ScriptedHttpTarget;
import dev.ferry.testkit.SecureKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The real {@code bin/ferry} script, run as a subprocess against a secured broker: {@code
 * check-connection} with a right and a wrong password, and {@code up --kafka-config} whose worker,
 * connector consumer and delta store all log in over SASL_SSL with the worker's settings.
 *
 * <p>Needs the built runtime ({@code ferry-runtime/target}: its jar, {@code lib/} and {@code
 * plugins/}); {@code FERRY_SKIP_BUILD=1} keeps the script from building. Each subprocess writes its
 * output to {@code target/failsafe-reports/FerryCliIT-*.log}, which {@link LogScanIT} reads for
 * secrets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FerryCliIT {
  private static final Path MODULE = Path.of("").toAbsolutePath();
  private static final Path ROOT = MODULE.getParent();
  private static final Path RUNTIME = ROOT.resolve("ferry-runtime").resolve("target");
  private static final Path LOGS = MODULE.resolve("target").resolve("failsafe-reports");
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String PASSWORD_VARIABLE = "FERRY_IT_KAFKA_PASSWORD";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Process> processes = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private SecureKafka secure;
  private Path work;
  private Path secrets;

  /** What a finished subprocess left: its exit code and everything it printed. */
  private record Run(int exitCode, String output) {}

  @BeforeAll
  void start() throws IOException {
    requireBuiltRuntime();
    Files.createDirectories(LOGS);
    work = Files.createTempDirectory("ferry-cli-it");
    secrets = work.resolve("secrets.properties");
    Files.writeString(
        secrets,
        "plain=" + TestSecrets.PLAIN_PASSWORD + "\nscram=" + TestSecrets.SCRAM_PASSWORD + "\n");
    secure = SecureKafka.builder().addPlainUser("alice", TestSecrets.PLAIN_PASSWORD).start();
    secure.addScramUser("SCRAM-SHA-512", "carol", TestSecrets.SCRAM_PASSWORD);
  }

  @AfterAll
  void stop() throws IOException {
    try {
      for (Process p : processes) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
      for (Process p : processes) {
        try {
          p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    } finally {
      try {
        if (secure != null) {
          secure.close();
        }
      } finally {
        if (work != null) {
          try (Stream<Path> files = Files.walk(work)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
              Files.deleteIfExists(f);
            }
          }
        }
      }
    }
  }

  @Test
  void checkConnectionPassesWithTheRightPasswordAndNamesTheKeysToCheckWithAWrongOne()
      throws Exception {
    secure.createTopic("cli-orders", 1);
    Path good = connectorJson("good.json", "${file:" + secrets + ":plain}");
    Run passed = run("check-connection-good", Map.of(), "check-connection", "--config", good);
    assertThat(passed.exitCode()).as(passed.output()).isZero();
    assertThat(passed.output()).contains("All checks passed.");

    Path wrong = connectorJson("wrong.json", TestSecrets.WRONG_PASSWORD);
    Run failed = run("check-connection-wrong", Map.of(), "check-connection", "--config", wrong);
    assertThat(failed.exitCode()).as(failed.output()).isEqualTo(1);
    assertThat(failed.output())
        .contains("Some checks failed.")
        .contains("kafka.sasl.username")
        .contains("kafka.sasl.password")
        .doesNotContain(TestSecrets.WRONG_PASSWORD);
  }

  @Test
  void upRunsTheWorkerOnTheSecuredClusterAndItsSinkAndDeltaStoreLogInWithItsSettings()
      throws Exception {
    Path settings = workerSettings("worker.properties", "${env:" + PASSWORD_VARIABLE + "}");
    int port = freePort();
    int gatewayPort = freePort();
    String gatewayKey = "cli-gateway-key-" + System.nanoTime();
    secure.createTopic("events", 1);
    Path log = LOGS.resolve("FerryCliIT-up.log");
    Process up =
        start(
            log,
            Map.of(
                PASSWORD_VARIABLE,
                TestSecrets.SCRAM_PASSWORD,
                "FERRY_GATEWAY_API_KEYS",
                gatewayKey),
            "up",
            "--gateway-port",
            String.valueOf(gatewayPort),
            "--bootstrap-servers",
            secure.bootstrap(SecureKafka.SASL_SSL),
            "--kafka-config",
            settings.toString(),
            "--rest-port",
            String.valueOf(port),
            "--data-dir",
            work.resolve("data").toString(),
            "--group-id",
            "ferry-cli-" + System.nanoTime());
    String rest = "http://localhost:" + port;
    try (ScriptedHttpTarget target = ScriptedHttpTarget.start()) {
      await("ferry up's banner")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                if (!up.isAlive()) {
                  throw new AssertionError("ferry up exited: " + Files.readString(log));
                }
                // The banner comes once the REST API answers healthy.
                return Files.readString(log).contains("ferry is up");
              });
      assertThat(get(rest + "/health").statusCode()).isEqualTo(200);
      assertThat(Files.readString(log)).contains("SASL_SSL with SCRAM-SHA-512 as carol");

      String topic = "cli-catalog";
      String connector = "cli-sink";
      secure.createTopic(topic, 1);
      ObjectNode config = JSON.createObjectNode();
      config.put("connector.class", "HttpSinkConnector");
      config.put("tasks.max", "1");
      config.put("topics", topic);
      config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
      config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
      config.put("http.url", target.uri("/catalog").toString());
      config.put("body.format", "grouped");
      config.put("delta.mode", "skip_unchanged");
      config.put("batch.linger.ms", "200");
      ObjectNode create = JSON.createObjectNode().put("name", connector);
      create.set("config", config);
      HttpResponse<String> created = post(rest + "/connectors", create.toString());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      await("the sink's task runs")
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(250))
          .until(() -> taskState(rest, connector).equals("RUNNING"));

      produce(topic, 0, 10, "v1");
      await("10 upserts delivered").atMost(WAIT).until(() -> items(target).size() >= 10);
      // The same ten again (unchanged: skipped by the delta store), then one new entity.
      produce(topic, 0, 10, "v1");
      produce(topic, 10, 1, "v1");
      await("the new entity delivered").atMost(WAIT).until(() -> items(target).contains("P-10"));
      assertThat(items(target)).as("unchanged upserts are skipped").hasSize(11);

      TopicPartition store = new TopicPartition("ferry-delta-" + connector, 0);
      await("the delta store topic holds the hashes on the secured cluster")
          .atMost(WAIT)
          .ignoreExceptions()
          .until(
              () ->
                  secure
                          .admin()
                          .listOffsets(Map.of(store, OffsetSpec.latest()))
                          .all()
                          .get(10, TimeUnit.SECONDS)
                          .get(store)
                          .offset()
                      > 0);
      assertThat(taskState(rest, connector)).isEqualTo("RUNNING");

      // The event gateway of the same ferry writes to the secured cluster with the same settings.
      HttpResponse<String> event =
          http.send(
              HttpRequest.newBuilder(URI.create("http://localhost:" + gatewayPort + "/v1/events"))
                  .header("Authorization", "Bearer " + gatewayKey)
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"event_type\":\"track\",\"user_id\":\"u-1\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(event.statusCode()).as(event.body()).isEqualTo(200);
      assertThat(JSON.readTree(event.body()).at("/results/0/topic").asText()).isEqualTo("events");
      TopicPartition events = new TopicPartition("events", 0);
      assertThat(
              secure
                  .admin()
                  .listOffsets(Map.of(events, OffsetSpec.latest()))
                  .all()
                  .get(10, TimeUnit.SECONDS)
                  .get(events)
                  .offset())
          .as("the acknowledged event is on the secured cluster")
          .isEqualTo(1);
    } finally {
      up.destroy();
      assertThat(up.waitFor(30, TimeUnit.SECONDS)).as("ferry up stops on SIGTERM").isTrue();
    }
    assertThat(Files.readString(log))
        .contains("Ferry stopped")
        .doesNotContain(TestSecrets.SCRAM_PASSWORD);
  }

  @Test
  void upWithAWrongPasswordDoesNotStartAndNamesTheKeysToCheck() throws Exception {
    Path settings = workerSettings("wrong.properties", "${env:" + PASSWORD_VARIABLE + "}");
    Run failed =
        run(
            "up-wrong-password",
            Map.of(PASSWORD_VARIABLE, TestSecrets.WRONG_PASSWORD),
            "up",
            "--no-gateway",
            "--bootstrap-servers",
            secure.bootstrap(SecureKafka.SASL_SSL),
            "--kafka-config",
            settings,
            "--rest-port",
            String.valueOf(freePort()),
            "--group-id",
            "ferry-cli-wrong");
    assertThat(failed.exitCode()).as(failed.output()).isEqualTo(1);
    assertThat(failed.output())
        .contains("--kafka-config " + settings)
        .contains("kafka.sasl.username")
        .contains("kafka.sasl.password")
        .doesNotContain(TestSecrets.WRONG_PASSWORD);
  }

  @Test
  void upRefusesSaslWithoutTlsUnlessPlaintextIsAllowed() throws Exception {
    Path settings = work.resolve("plaintext.properties");
    Files.writeString(
        settings,
        "kafka.security.protocol=SASL_PLAINTEXT\n"
            + "kafka.sasl.username=alice\n"
            + "kafka.sasl.password=${file:"
            + secrets
            + ":plain}\n");
    Run refused =
        run(
            "up-plaintext",
            Map.of(),
            "up",
            "--no-gateway",
            "--bootstrap-servers",
            secure.bootstrap(SecureKafka.SASL_PLAINTEXT),
            "--kafka-config",
            settings,
            "--rest-port",
            String.valueOf(freePort()));
    assertThat(refused.exitCode()).as(refused.output()).isEqualTo(1);
    assertThat(refused.output())
        .contains("kafka.security.protocol=SASL_PLAINTEXT sends credentials and data unencrypted")
        .contains("kafka.allow.plaintext=true")
        .doesNotContain(TestSecrets.PLAIN_PASSWORD);
  }

  /** A connector config reading cli-orders as alice over SASL_SSL with this password. */
  private Path connectorJson(String name, String password) throws IOException {
    ObjectNode config = JSON.createObjectNode();
    config.put("connector.class", "HttpSinkConnector");
    config.put("topics", "cli-orders");
    config.put("http.url", "http://localhost:1/unused");
    config.put("kafka.bootstrap.servers", secure.bootstrap(SecureKafka.SASL_SSL));
    config.put("kafka.sasl.mechanism", "PLAIN");
    config.put("kafka.sasl.username", "alice");
    config.put("kafka.sasl.password", password);
    config.put("kafka.ssl.ca.pem", secure.caPem().toString());
    ObjectNode root = JSON.createObjectNode().put("name", "cli-check");
    root.set("config", config);
    Path file = work.resolve(name);
    Files.writeString(file, root.toString());
    return file;
  }

  /** The worker's kafka.* settings: SCRAM-SHA-512 as carol, trusting the broker's CA. */
  private Path workerSettings(String name, String password) throws IOException {
    Path file = work.resolve(name);
    Files.writeString(
        file,
        "kafka.security.protocol=SASL_SSL\n"
            + "kafka.sasl.mechanism=SCRAM-SHA-512\n"
            + "kafka.sasl.username=carol\n"
            + "kafka.sasl.password="
            + password
            + "\n"
            + "kafka.ssl.ca.pem="
            + secure.caPem()
            + "\n");
    return file;
  }

  /** Runs {@code bin/ferry ARGS} to its end (at most a minute) and returns what it printed. */
  private Run run(String name, Map<String, String> env, Object... args)
      throws IOException, InterruptedException {
    Path log = LOGS.resolve("FerryCliIT-" + name + ".log");
    String[] text = new String[args.length];
    for (int i = 0; i < args.length; i++) {
      text[i] = args[i].toString();
    }
    Process p = start(log, env, text);
    if (!p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(
          "bin/ferry " + args[0] + " did not end within " + WAIT + ": " + Files.readString(log));
    }
    return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /** Starts {@code bin/ferry ARGS} from the repository root, its output (both streams) to LOG. */
  private Process start(Path log, Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ROOT.resolve("bin").resolve("ferry").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("FERRY_SKIP_BUILD", "1");
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().remove("FERRY_JAVA_OPTS");
    builder.environment().putAll(env);
    Process p = builder.start();
    processes.add(p);
    return p;
  }

  private static void requireBuiltRuntime() throws IOException {
    String build = ": build it first (./mvnw -o package -pl ferry-runtime)";
    assertThat(RUNTIME.resolve("lib")).as("ferry-runtime/target/lib" + build).isDirectory();
    boolean jar = false;
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(RUNTIME, "ferry-runtime-*.jar")) {
      jar = jars.iterator().hasNext();
    }
    assertThat(jar).as("ferry-runtime/target/ferry-runtime-*.jar" + build).isTrue();
    try (Stream<Path> plugin = Files.walk(RUNTIME.resolve("plugins"), 3)) {
      assertThat(plugin.map(p -> p.getFileName().toString()))
          .as("ferry-runtime/target/plugins/*/lib/ferry-connect-*.jar" + build)
          .anySatisfy(f -> assertThat(f).startsWith("ferry-connect-").endsWith(".jar"));
    }
  }

  private void produce(String topic, int from, int count, String version) {
    Map<String, Object> props =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            secure.internalBootstrap(),
            ProducerConfig.ACKS_CONFIG,
            "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      for (int i = from; i < from + count; i++) {
        String id = "P-" + i;
        String entity =
            "{\"type\":\"item\",\"id\":\""
                + id
                + "\",\"op\":\"upsert\",\"data\":{\"name\":\"product "
                + i
                + "\",\"version\":\""
                + version
                + "\"}}";
        producer.send(new ProducerRecord<>(topic, id, entity)).get(10, TimeUnit.SECONDS);
      }
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("could not produce to the secured cluster", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The ids of every item upserted at the target so far, in order. */
  private static List<String> items(ScriptedHttpTarget target) throws IOException {
    List<String> ids = new ArrayList<>();
    for (ReceivedRequest r : target.received()) {
      if (r.method().equals("POST")) {
        JSON.readTree(r.bodyAsString()).path("items").forEach(i -> ids.add(i.get("id").asText()));
      }
    }
    return ids;
  }

  /** The state of the connector's task 0, or its failure's first line. */
  private String taskState(String rest, String connector) throws Exception {
    JsonNode status = JSON.readTree(get(rest + "/connectors/" + connector + "/status").body());
    JsonNode task = status.path("tasks").path(0);
    if (task.path("state").asText().equals("FAILED")) {
      throw new AssertionError(
          "the task failed: " + task.path("trace").asText().lines().findFirst().orElse(""));
    }
    return task.path("state").asText();
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String url, String body)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
