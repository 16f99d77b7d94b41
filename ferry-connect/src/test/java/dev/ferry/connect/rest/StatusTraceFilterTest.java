package dev.ferry.connect.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.NotFoundException;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo.ConnectorState;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo.TaskState;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorType;
import org.junit.jupiter.api.Test;

class StatusTraceFilterTest {
  /** Where Connect's sink task calls its consumer: no frame of Ferry's own code (nor this test). */
  private static final StackTraceElement[] CONNECT_FRAMES = {
    new StackTraceElement(
        "org.apache.kafka.clients.consumer.internals.ClassicKafkaConsumer",
        "poll",
        "ClassicKafkaConsumer.java",
        623),
    new StackTraceElement(
        "org.apache.kafka.connect.runtime.WorkerSinkTask", "poll", "WorkerSinkTask.java", 357),
    new StackTraceElement(
        "org.apache.kafka.connect.runtime.WorkerTask", "run", "WorkerTask.java", 266)
  };

  private static final String SECRET = "s3cr3t-do-not-echo";
  private static final String BOOTSTRAP = "pkc-abc123.us-east-1.aws.confluent.cloud:9092";
  private static final String AUTH_TRACE =
      printed(
          new KafkaException(
              "Failed to poll",
              new SaslAuthenticationException(
                  "Authentication failed: Invalid username or password")));
  private static final String HTTP_TRACE =
      printed(
          new ConnectException(
              "Exiting WorkerSinkTask due to unrecoverable exception.",
              new ConnectException("HTTP 400 from the target: not retried")));

  private final Map<String, Map<String, String>> configs = new HashMap<>();
  private final AtomicInteger lookups = new AtomicInteger();
  private final StatusTraceFilter filter =
      new StatusTraceFilter(
          name -> {
            lookups.incrementAndGet();
            Map<String, String> config = configs.get(name);
            if (config == null) {
              throw new NotFoundException("Connector " + name + " not found");
            }
            return config;
          });

  StatusTraceFilterTest() {
    Map<String, String> ferry = new HashMap<>();
    ferry.put("connector.class", "HttpSinkConnector");
    ferry.put("kafka.bootstrap.servers", BOOTSTRAP);
    ferry.put("kafka.security.protocol", "SASL_SSL");
    ferry.put("kafka.sasl.username", "ABCKEY");
    ferry.put("kafka.sasl.password", SECRET);
    configs.put("sink", ferry);
    configs.put(
        "other",
        Map.of("connector.class", "org.example.OtherSinkConnector", "kafka.sasl.username", "x"));
    Map<String, String> invalid = new HashMap<>(ferry);
    invalid.put("connector.class", "dev.ferry.connect.sink.HttpSinkConnector");
    invalid.put("kafka.security.protocol", "SMOKE_SIGNALS");
    configs.put("invalid", invalid);
  }

  /** The error as Connect prints it into a status, thrown from where Connect polls. */
  private static String printed(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      t.setStackTrace(CONNECT_FRAMES.clone());
    }
    StringWriter out = new StringWriter();
    e.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  private static TaskState task(int id, String state, String trace) {
    return new TaskState(id, state, "worker-1:8083", trace, "1.0");
  }

  private static ConnectorStateInfo status(String name, TaskState... tasks) {
    return new ConnectorStateInfo(
        name,
        new ConnectorState("RUNNING", "worker-1:8083", null, "1.0"),
        List.of(tasks),
        ConnectorType.SINK);
  }

  @Test
  void aFailedTasksKafkaFailureStartsWithFerrysAnswerAndKeepsTheTrace() {
    ConnectorStateInfo given =
        status("sink", task(0, "FAILED", AUTH_TRACE), task(1, "RUNNING", null));

    ConnectorStateInfo result = (ConnectorStateInfo) filter.rewrite(given, "sink");

    String trace = result.tasks().get(0).trace();
    assertThat(trace)
        .startsWith(
            "Ferry: authentication with "
                + BOOTSTRAP
                + " failed: the API key or secret was refused: check kafka.sasl.username (ABCKEY)"
                + " and kafka.sasl.password")
        .endsWith("\n\n" + AUTH_TRACE)
        .doesNotContain(SECRET);
    TaskState failed = result.tasks().get(0);
    assertThat(failed.id()).isZero();
    assertThat(failed.state()).isEqualTo("FAILED");
    assertThat(failed.workerId()).isEqualTo("worker-1:8083");
    assertThat(failed.version()).isEqualTo("1.0");
    assertThat(result.tasks().get(1)).isSameAs(given.tasks().get(1));
    assertThat(result.connector()).isSameAs(given.connector());
    assertThat(result.name()).isEqualTo("sink");
    assertThat(result.type()).isEqualTo(ConnectorType.SINK);
  }

  @Test
  void aFailedConnectorIsTranslatedToo() {
    ConnectorStateInfo given =
        new ConnectorStateInfo(
            "sink",
            new ConnectorState(
                "FAILED",
                "w",
                printed(GroupAuthorizationException.forGroupId("connect-sink")),
                "1"),
            List.of(),
            ConnectorType.SINK);

    ConnectorStateInfo result = (ConnectorStateInfo) filter.rewrite(given, "sink");

    assertThat(result.connector().trace())
        .startsWith("Ferry: the credentials of ABCKEY lack READ permission on consumer group")
        .contains("connect-sink");
  }

  @Test
  void aTaskStatusIsTranslatedForTheConnectorInThePath() {
    TaskState result = (TaskState) filter.rewrite(task(3, "FAILED", AUTH_TRACE), "sink");

    assertThat(result.id()).isEqualTo(3);
    assertThat(result.trace()).startsWith("Ferry: authentication with " + BOOTSTRAP);
  }

  @Test
  void theExpandedListIsTranslatedPerConnector() {
    Map<String, Map<String, Object>> expanded = new HashMap<>();
    expanded.put(
        "sink", new HashMap<>(Map.of("status", status("sink", task(0, "FAILED", AUTH_TRACE)))));
    expanded.put(
        "other", new HashMap<>(Map.of("status", status("other", task(0, "FAILED", AUTH_TRACE)))));

    Map<?, ?> result = (Map<?, ?>) filter.rewrite(expanded, null);

    ConnectorStateInfo sink = (ConnectorStateInfo) ((Map<?, ?>) result.get("sink")).get("status");
    ConnectorStateInfo other = (ConnectorStateInfo) ((Map<?, ?>) result.get("other")).get("status");
    assertThat(sink.tasks().get(0).trace()).startsWith("Ferry: ");
    assertThat(other.tasks().get(0).trace()).isEqualTo(AUTH_TRACE);
  }

  @Test
  void otherFailuresConnectorsAndStatesAreLeftAsTheyAre() {
    ConnectorStateInfo http = status("sink", task(0, "FAILED", HTTP_TRACE));
    assertThat(filter.rewrite(http, "sink")).isSameAs(http);

    ConnectorStateInfo notFerry = status("other", task(0, "FAILED", AUTH_TRACE));
    assertThat(filter.rewrite(notFerry, "other")).isSameAs(notFerry);

    ConnectorStateInfo unknown = status("deleted", task(0, "FAILED", AUTH_TRACE));
    assertThat(filter.rewrite(unknown, "deleted")).isSameAs(unknown);

    ConnectorStateInfo translated =
        (ConnectorStateInfo) filter.rewrite(status("sink", task(0, "FAILED", AUTH_TRACE)), "sink");
    assertThat(filter.rewrite(translated, "sink")).isSameAs(translated);

    assertThat(filter.rewrite(task(0, "FAILED", AUTH_TRACE), null)).isNotNull();
    Map<String, String> config = Map.of("name", "sink");
    assertThat(filter.rewrite(config, "sink")).isSameAs(config);
  }

  @Test
  void theConfigIsReadOnlyForAFailureAndOncePerStatus() {
    filter.rewrite(status("sink", task(0, "RUNNING", null), task(1, "UNASSIGNED", null)), "sink");
    assertThat(lookups).hasValue(0);

    filter.rewrite(
        status("sink", task(0, "FAILED", AUTH_TRACE), task(1, "FAILED", AUTH_TRACE)), "sink");
    assertThat(lookups).hasValue(1);
  }

  @Test
  void aFailureInFerrysOwnCodeIsLeftToFerrysOwnMessage() {
    String trace =
        AUTH_TRACE.replaceFirst(
            "\n",
            "\n\tat dev.ferry.connect.sink.delta.KafkaHashStore.flush(KafkaHashStore.java:1)\n");
    ConnectorStateInfo given = status("sink", task(0, "FAILED", trace));

    assertThat(filter.rewrite(given, "sink")).isSameAs(given);
  }

  @Test
  void invalidProfileValuesMeanTheWorkersCluster() {
    ConnectorStateInfo result =
        (ConnectorStateInfo)
            filter.rewrite(status("invalid", task(0, "FAILED", AUTH_TRACE)), "invalid");

    assertThat(result.tasks().get(0).trace())
        .startsWith("Ferry: authentication with the worker's own cluster failed");
  }
}
