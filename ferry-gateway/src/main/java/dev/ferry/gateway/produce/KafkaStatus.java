package dev.ferry.gateway.produce;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Kafka answers, asked every few seconds with an Admin {@code describeCluster}: {@code
 * /ready} reports it, and while Kafka does not answer new events are refused with 503 at once
 * rather than held until the producer gives up.
 */
public final class KafkaStatus implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaStatus.class);

  private final Admin admin;
  private final Duration every;
  private final ScheduledExecutorService probe;
  private volatile State state = new State(false, "not checked yet", Instant.now());

  /**
   * What the last probe found.
   *
   * @param ready true when Kafka answered
   * @param detail the cluster id, or why it did not answer
   * @param since when this state began
   */
  public record State(boolean ready, String detail, Instant since) {}

  public KafkaStatus(Map<String, Object> clientProps, Duration every) {
    Map<String, Object> props = new HashMap<>(clientProps);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "ferry-gateway-probe");
    int timeoutMs = (int) Math.max(1000, every.toMillis());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    this.admin = Admin.create(props);
    this.every = every;
    this.probe =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ferry-gateway-kafka-probe");
              t.setDaemon(true);
              return t;
            });
  }

  /** Probes once now (waiting for the answer), then every period in the background. */
  public void start() {
    check();
    var unused =
        probe.scheduleWithFixedDelay(
            this::check, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  public State state() {
    return state;
  }

  /**
   * Whether Kafka knows {@code topic}: false when it answers that the topic does not exist, true
   * when it describes it; completes exceptionally when it does not answer (or refuses to say).
   */
  public CompletableFuture<Boolean> topicExists(String topic) {
    int timeoutMs = (int) Math.max(1000, every.toMillis());
    CompletableFuture<Boolean> exists = new CompletableFuture<>();
    var unused =
        admin
            .describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs(timeoutMs))
            .allTopicNames()
            .whenComplete(
                (topics, error) -> {
                  if (error == null) {
                    exists.complete(true);
                  } else if (Failure.rootCause(error) instanceof UnknownTopicOrPartitionException) {
                    exists.complete(false);
                  } else {
                    exists.completeExceptionally(error);
                  }
                });
    return exists;
  }

  /** Marks Kafka unreachable now, when an event timed out (the next probe may clear it). */
  public void reportUnavailable(String detail) {
    State now = state;
    if (now.ready()) {
      state = new State(false, detail, Instant.now());
      log.warn("Kafka stopped acknowledging events: {}", detail);
    }
  }

  private void check() {
    int timeoutMs = (int) Math.max(1000, every.toMillis());
    try {
      String clusterId =
          admin
              .describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs))
              .clusterId()
              .get(timeoutMs + 500L, TimeUnit.MILLISECONDS);
      if (!state.ready()) {
        log.info("Kafka answers (cluster {})", clusterId);
        state = new State(true, "cluster " + clusterId, Instant.now());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // Refused credentials are not an outage: say what to fix (never the client's own message).
      Failure failure = Failure.of(e, "");
      String detail =
          failure.reason().equals("kafka_authentication")
              ? failure.message()
              : "no answer from the brokers within " + timeoutMs + " ms";
      if (state.ready() || state.detail().equals("not checked yet")) {
        log.warn(
            "Kafka does not answer: events are refused with 503 until it does ({}: {})",
            Failure.rootCause(e).getClass().getSimpleName(),
            detail);
      }
      if (state.ready() || !state.detail().equals(detail)) {
        state = new State(false, detail, Instant.now());
      }
    }
  }

  @Override
  public void close() {
    probe.shutdownNow();
    admin.close(Duration.ofSeconds(5));
  }
}
