package dev.ferry.connect.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Tries a profile before a pipeline runs: creates a client (loading TLS stores, fetching an OAuth
 * token), reaches the cluster, and looks at each topic and the consumer group. Every failure
 * becomes a translated step; nothing is thrown for Kafka failures.
 */
public final class ConnectionCheck {
  /** The outcome of a step. */
  public enum Status {
    OK,
    FAILED,
    SKIPPED
  }

  /** One step: what was checked and what came of it. */
  public record Step(String name, Status status, String message) {
    public boolean ok() {
      return status != Status.FAILED;
    }

    @Override
    public String toString() {
      String mark = status == Status.OK ? "✓" : status == Status.FAILED ? "✗" : "-";
      return mark + " " + name + ": " + message;
    }
  }

  /** All steps, in order; ok when none failed. */
  public record Result(List<Step> steps) {
    public Result {
      steps = List.copyOf(steps);
    }

    public boolean ok() {
      return steps.stream().allMatch(Step::ok);
    }

    /** One line a step, marked ✓ (passed), ✗ (failed) or - (skipped). */
    @Override
    public String toString() {
      StringBuilder out = new StringBuilder();
      steps.forEach(s -> out.append(s).append('\n'));
      return out.toString();
    }
  }

  private ConnectionCheck() {}

  /**
   * Checks the profile's cluster, the {@code topics} and, unless null, the consumer group {@code
   * groupId} (then READ is required on topics and group), each step within {@code timeout}.
   */
  public static Result run(
      KafkaProfile profile, List<String> topics, String groupId, Duration timeout) {
    List<Step> steps = new ArrayList<>();
    if (!profile.isSet()) {
      steps.add(
          new Step(
              "profile",
              Status.FAILED,
              "kafka.bootstrap.servers is not set: the pipeline uses the worker's own cluster,"
                  + " which this check does not know"));
      return new Result(steps);
    }
    Admin admin;
    try {
      admin = Admin.create(new HashMap<>(adminProps(profile, timeout)));
    } catch (RuntimeException e) {
      steps.add(new Step("client", Status.FAILED, KafkaErrors.translate(e, profile)));
      return new Result(steps);
    }
    try {
      steps.add(new Step("client", Status.OK, clientOk(profile)));
      Step cluster = cluster(admin, profile, timeout);
      steps.add(cluster);
      boolean reached = cluster.status() == Status.OK;
      for (String topic : topics) {
        steps.add(
            reached
                ? topic(admin, profile, topic, groupId != null, timeout)
                : skip("topic " + topic));
      }
      if (groupId != null) {
        steps.add(reached ? group(admin, profile, groupId, timeout) : skip("group " + groupId));
      }
    } finally {
      admin.close(Duration.ofSeconds(2));
    }
    return new Result(steps);
  }

  /**
   * Checks a connector config's profile: its cross-field errors first, then {@link #run} with its
   * {@code topics} and the sink's consumer group ({@code consumer.override.group.id}, else {@code
   * connect-<name>}). Config provider references must be resolved already.
   */
  public static Result forConnector(Map<String, String> config, Duration timeout) {
    List<Step> steps = new ArrayList<>();
    KafkaProfileConfig.crossFieldErrors(config)
        .forEach((key, messages) -> messages.forEach(m -> steps.add(failed("profile", m))));
    if (!steps.isEmpty()) {
      return new Result(steps);
    }
    KafkaProfile profile;
    try {
      profile = KafkaProfileConfig.from(config);
    } catch (ConfigException e) {
      // Kafka hides the values of PASSWORD keys in these messages.
      steps.add(failed("profile", e.getMessage()));
      return new Result(steps);
    }
    steps.add(new Step("profile", Status.OK, profile.describe()));
    List<String> topics =
        Arrays.stream(config.getOrDefault("topics", "").split(","))
            .map(String::strip)
            .filter(t -> !t.isEmpty())
            .toList();
    if (!config.getOrDefault("topics.regex", "").isBlank()) {
      steps.add(new Step("topics.regex", Status.SKIPPED, "topic patterns are not checked"));
    }
    String group = config.get("consumer.override.group.id");
    if ((group == null || group.isBlank()) && config.get("name") != null) {
      group = "connect-" + config.get("name").strip();
    }
    steps.addAll(run(profile, topics, group, timeout).steps());
    return new Result(steps);
  }

  static Map<String, Object> adminProps(KafkaProfile profile, Duration timeout) {
    int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    Map<String, Object> props = new HashMap<>(profile.clientProps());
    props.put("client.id", "ferry-check-connection");
    props.put("request.timeout.ms", ms);
    props.put("default.api.timeout.ms", ms);
    props.put("socket.connection.setup.timeout.ms", Math.min(ms, 10_000));
    props.put("socket.connection.setup.timeout.max.ms", Math.min(ms, 10_000));
    props.put("reconnect.backoff.max.ms", 1_000);
    props.put("sasl.login.connect.timeout.ms", ms);
    props.put("sasl.login.read.timeout.ms", ms);
    props.put("sasl.login.retry.backoff.max.ms", Math.min(ms, 5_000));
    return props;
  }

  private static String clientOk(KafkaProfile profile) {
    return profile
        .tokenEndpoint()
        .map(url -> "token fetched from " + TokenEndpointErrors.safeUrl(url))
        .orElse(profile.protocol().tls() ? "TLS settings loaded" : "settings accepted");
  }

  private static Step cluster(Admin admin, KafkaProfile profile, Duration timeout) {
    String name = "cluster";
    try {
      DescribeClusterResult cluster =
          admin.describeCluster(new DescribeClusterOptions().timeoutMs(millis(timeout)));
      String id = get(cluster.clusterId(), timeout);
      int brokers = get(cluster.nodes(), timeout).size();
      return new Step(
          name,
          Status.OK,
          "reached cluster "
              + id
              + " ("
              + brokers
              + " broker(s)) at "
              + profile.bootstrapServers());
    } catch (Exception e) {
      return failure(name, e, profile, null, timeout);
    }
  }

  private static Step topic(
      Admin admin, KafkaProfile profile, String topic, boolean reads, Duration timeout) {
    String name = "topic " + topic;
    try {
      TopicDescription d =
          get(
              admin
                  .describeTopics(
                      List.of(topic),
                      new DescribeTopicsOptions()
                          .includeAuthorizedOperations(true)
                          .timeoutMs(millis(timeout)))
                  .topicNameValues()
                  .get(topic),
              timeout);
      Set<AclOperation> ops = d.authorizedOperations();
      if (reads && lacks(ops, AclOperation.READ)) {
        return failed(
            name,
            "the credentials may describe topic "
                + topic
                + " but not READ it: grant the principal READ on the topic");
      }
      return new Step(name, Status.OK, "exists, " + d.partitions().size() + " partition(s)");
    } catch (Exception e) {
      return failure(name, e, profile, topic, timeout);
    }
  }

  private static Step group(Admin admin, KafkaProfile profile, String groupId, Duration timeout) {
    String name = "group " + groupId;
    try {
      ConsumerGroupDescription d =
          get(
              admin
                  .describeConsumerGroups(
                      List.of(groupId),
                      new DescribeConsumerGroupsOptions()
                          .includeAuthorizedOperations(true)
                          .timeoutMs(millis(timeout)))
                  .describedGroups()
                  .get(groupId),
              timeout);
      if (lacks(d.authorizedOperations(), AclOperation.READ)) {
        return failed(
            name,
            "the credentials may describe group "
                + groupId
                + " but not READ it (join it, commit offsets): grant the principal READ on the"
                + " group");
      }
      return new Step(name, Status.OK, "accessible, state " + d.groupState());
    } catch (Exception e) {
      if (unwrap(e) instanceof GroupIdNotFoundException) {
        return new Step(name, Status.OK, "accessible, not created yet (on the first start)");
      }
      return failure(name, e, profile, null, timeout);
    }
  }

  /** True when the broker listed the authorized operations and {@code op} is not among them. */
  private static boolean lacks(Set<AclOperation> ops, AclOperation op) {
    return ops != null && !ops.isEmpty() && !ops.contains(op) && !ops.contains(AclOperation.ALL);
  }

  private static Step failure(
      String name, Exception e, KafkaProfile profile, String topic, Duration timeout) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return failed(name, "interrupted");
    }
    return failed(name, KafkaErrors.translate(unwrap(e), profile, topic, timeout));
  }

  private static Throwable unwrap(Exception e) {
    return e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
  }

  private static Step failed(String name, String message) {
    return new Step(name, Status.FAILED, message);
  }

  private static Step skip(String name) {
    return new Step(name, Status.SKIPPED, "not checked: the cluster was not reached");
  }

  private static <T> T get(KafkaFuture<T> future, Duration timeout) throws Exception {
    // A little longer than the call's own timeout, so the call reports its own error first.
    return future.get(timeout.toMillis() + 2_000, TimeUnit.MILLISECONDS);
  }

  private static int millis(Duration timeout) {
    return (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
  }
}
