package dev.ferry.connect.kafka;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;

/** What the credentials may not do, and topics that are not there. */
final class AccessErrors {
  /** Kafka's messages, for errors known only by their printed form (a stack trace). */
  private static final Pattern TOPICS_DENIED =
      Pattern.compile("Not authorized to access topics: \\[(.*)\\]");

  private static final Pattern GROUP_DENIED =
      Pattern.compile("Not authorized to access group: (.+)");

  /** A topic or group name safe to show: Kafka's legal topic characters. */
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  private AccessErrors() {}

  static String denied(ErrorChain chain, KafkaProfile profile, String topic) {
    String who = "the credentials" + identity(profile);
    String where = KafkaErrors.where(profile);
    if (chain.has(TopicAuthorizationException.class)) {
      Set<String> topics = new TreeSet<>(deniedTopics(chain));
      if (topics.isEmpty() && topic != null) {
        topics.add(topic);
      }
      return who
          + " lack permission on topic(s) "
          + (topics.isEmpty() ? "(not named by the broker)" : String.join(", ", topics))
          + " at "
          + where
          + " (reading needs READ and DESCRIBE, writing needs WRITE and DESCRIBE): grant the"
          + " principal an ACL for them, or use a key with access to the topic (e.g. a"
          + " global access key)";
    }
    if (chain.has(GroupAuthorizationException.class)) {
      String group = deniedGroup(chain);
      return who
          + " lack READ permission on consumer group "
          + (group == null || group.isEmpty() ? "(not named by the broker)" : group)
          + " at "
          + where
          + ": grant the principal an ACL for the group (a sink's group is connect-<connector"
          + " name> unless consumer.override.group.id is set), or use a key with access to it";
    }
    return who
        + " are not authorized for this operation at "
        + where
        + ": grant the principal the ACLs it needs, or use a key with more access";
  }

  /**
   * The topics a {@link TopicAuthorizationException} names: its field when the error is live, else
   * (when it holds none) the names in Kafka's message ("Not authorized to access topics: [a, b]"),
   * if it has that form.
   */
  private static Set<String> deniedTopics(ErrorChain chain) {
    Set<String> live =
        chain
            .find(TopicAuthorizationException.class)
            .map(TopicAuthorizationException::unauthorizedTopics)
            .orElse(Set.of());
    if (!live.isEmpty()) {
      return live;
    }
    Optional<Matcher> m =
        chain
            .messageOf(TopicAuthorizationException.class)
            .map(TOPICS_DENIED::matcher)
            .filter(Matcher::matches);
    if (m.isEmpty()) {
      return Set.of();
    }
    Set<String> topics = new TreeSet<>();
    for (String name : m.get().group(1).split(", ")) {
      if (NAME.matcher(name).matches()) {
        topics.add(name);
      }
    }
    return topics;
  }

  /** The group a {@link GroupAuthorizationException} names, or null; as for topics. */
  private static String deniedGroup(ErrorChain chain) {
    Optional<String> live =
        chain
            .find(GroupAuthorizationException.class)
            .map(GroupAuthorizationException::groupId)
            .filter(g -> !g.isEmpty());
    if (live.isPresent()) {
      return live.get();
    }
    return chain
        .messageOf(GroupAuthorizationException.class)
        .map(GROUP_DENIED::matcher)
        .filter(Matcher::matches)
        .map(m -> m.group(1))
        .filter(g -> NAME.matcher(g).matches())
        .orElse(null);
  }

  static String unknownTopic(KafkaProfile profile, String topic) {
    return (topic == null ? "a topic" : "topic " + topic)
        + " does not exist on "
        + KafkaErrors.where(profile)
        + ": check the topic name (topics) against the cluster's topic list, e.g. the"
        + " Confluent Cloud console's Topics page, or create it";
  }

  static String notInMetadata(KafkaProfile profile, String topic, String within) {
    return (topic == null ? "the topic" : "topic " + topic)
        + " did not appear in the metadata of "
        + KafkaErrors.where(profile)
        + within
        + ": it may not exist, or the credentials"
        + identity(profile)
        + " may not see it: check the topic name and the principal's DESCRIBE ACL";
  }

  /** " of KEY" or " of client id ID", for naming the principal; empty without SASL. */
  static String identity(KafkaProfile profile) {
    return profile
        .mechanism()
        .map(
            m ->
                m == KafkaProfile.Mechanism.OAUTHBEARER
                    ? " of client id " + profile.clientId()
                    : " of " + profile.username())
        .orElse("");
  }
}
