package dev.ferry.connect.kafka;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;

/** What the credentials may not do, and topics that are not there. */
final class AccessErrors {
  private AccessErrors() {}

  static String denied(ErrorChain chain, KafkaProfile profile, String topic) {
    String who = "the credentials" + identity(profile);
    String where = KafkaErrors.where(profile);
    Optional<TopicAuthorizationException> topicDenied =
        chain.find(TopicAuthorizationException.class);
    if (topicDenied.isPresent()) {
      Set<String> topics = new TreeSet<>(topicDenied.get().unauthorizedTopics());
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
    Optional<GroupAuthorizationException> groupDenied =
        chain.find(GroupAuthorizationException.class);
    if (groupDenied.isPresent()) {
      String group = groupDenied.get().groupId();
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
