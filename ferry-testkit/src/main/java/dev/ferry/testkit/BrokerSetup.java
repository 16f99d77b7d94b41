package dev.ferry.testkit;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The setup a {@link SecureKafka} does through its admin client on the INTERNAL listener. Each
 * change waits until the broker acts on it: the controller commits a change before the broker
 * applies it.
 */
final class BrokerSetup {
  static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Duration POLL = Duration.ofMillis(50);

  private final Admin admin;

  BrokerSetup(String internalBootstrap) {
    this.admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, internalBootstrap));
  }

  Admin admin() {
    return admin;
  }

  void awaitBroker() {
    await("the broker answers")
        .atMost(TIMEOUT)
        .pollDelay(Duration.ZERO)
        .pollInterval(POLL)
        .ignoreExceptions()
        .until(() -> !admin.describeCluster().nodes().get().isEmpty());
  }

  void createTopic(String name, int partitions) {
    get(
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all(),
        "create topic " + name);
    await("topic " + name + " has leaders")
        .atMost(TIMEOUT)
        .pollDelay(Duration.ZERO)
        .pollInterval(POLL)
        .ignoreExceptions()
        .until(
            () ->
                admin
                    .describeTopics(List.of(name))
                    .allTopicNames()
                    .get()
                    .get(name)
                    .partitions()
                    .stream()
                    .allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
  }

  /**
   * Upserts the credential, then waits until {@code probe} (client properties using it)
   * authenticates: only a login proves that the broker's credential cache has it.
   */
  void addScramUser(String mechanism, String user, String password, Map<String, Object> probe) {
    ScramMechanism scram = ScramMechanism.fromMechanismName(mechanism);
    if (scram == ScramMechanism.UNKNOWN) {
      throw new IllegalArgumentException(
          "unknown SCRAM mechanism " + mechanism + "; use SCRAM-SHA-256 or SCRAM-SHA-512");
    }
    UserScramCredentialUpsertion upsert =
        new UserScramCredentialUpsertion(user, new ScramCredentialInfo(scram, 4096), password);
    get(admin.alterUserScramCredentials(List.of(upsert)).all(), "add SCRAM user " + user);
    Map<String, Object> props = new LinkedHashMap<>(probe);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    await(mechanism + " user " + user + " can log in")
        .atMost(TIMEOUT)
        .pollDelay(Duration.ZERO)
        .pollInterval(POLL)
        .ignoreExceptions()
        .until(() -> logsIn(props));
  }

  /**
   * DENY for {@code principal}, ALLOW for everyone; waits until the broker's authorizer has both.
   */
  void denyTopic(String principal, String topic, AclOperation operation) {
    ResourcePattern resource = new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL);
    List<AclBinding> acls =
        List.of(
            new AclBinding(
                resource,
                new AccessControlEntry(principal, "*", operation, AclPermissionType.DENY)),
            new AclBinding(
                resource,
                new AccessControlEntry("User:*", "*", AclOperation.ALL, AclPermissionType.ALLOW)));
    get(admin.createAcls(acls).all(), "create ACLs on topic " + topic);
    AclBindingFilter filter =
        new AclBindingFilter(resource.toFilter(), AccessControlEntryFilter.ANY);
    await("ACLs on topic " + topic + " in force")
        .atMost(TIMEOUT)
        .pollDelay(Duration.ZERO)
        .pollInterval(POLL)
        .ignoreExceptions()
        .until(() -> admin.describeAcls(filter).values().get().containsAll(acls));
  }

  void close() {
    admin.close(Duration.ofSeconds(5));
  }

  private static boolean logsIn(Map<String, Object> props) throws Exception {
    try (Admin probe = Admin.create(props)) {
      probe.describeCluster().clusterId().get(15, TimeUnit.SECONDS);
      return true;
    }
  }

  private static <T> T get(KafkaFuture<T> future, String what) {
    try {
      return future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while trying to " + what, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not " + what + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("could not " + what + " within " + TIMEOUT, e);
    }
  }
}
