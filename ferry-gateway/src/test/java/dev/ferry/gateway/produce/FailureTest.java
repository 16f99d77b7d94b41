package dev.ferry.gateway.produce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

class FailureTest {

  @Test
  void tooLarge() {
    Failure f =
        Failure.of(
            new RecordTooLargeException(
                "The message is 2000 bytes when serialized which is larger than 1000"),
            "events");
    assertThat(f.reason()).isEqualTo("too_large");
    assertThat(f.retriable()).isFalse();
    assertThat(f.message())
        .contains("topic events")
        .contains("2000 bytes")
        .contains("max.message.bytes");
  }

  @Test
  void authorization() {
    Failure f = Failure.of(new TopicAuthorizationException("denied"), "events");
    assertThat(f.reason()).isEqualTo("kafka_authorization");
    assertThat(f.retriable()).isFalse();
    assertThat(f.message()).contains("WRITE").contains("events");
  }

  @Test
  void unknownTopic() {
    Failure f = Failure.of(new UnknownTopicOrPartitionException("x"), "tracks");
    assertThat(f.reason()).isEqualTo("unknown_topic");
    assertThat(f.retriable()).isFalse();
    assertThat(f.message()).contains("topic tracks does not exist");
  }

  @Test
  void authentication() {
    Failure f = Failure.of(new SaslAuthenticationException("bad password"), "events");
    assertThat(f.reason()).isEqualTo("kafka_authentication");
    assertThat(f.message()).doesNotContain("bad password");
  }

  @Test
  void retriableErrorsMeanKafkaIsUnavailable() {
    for (Exception e :
        new Exception[] {
          new TimeoutException("Expiring 1 record(s)"),
          new NetworkException("gone"),
          new NotEnoughReplicasException("isr")
        }) {
      Failure f = Failure.of(e, "events");
      assertThat(f.reason()).isEqualTo("kafka_unavailable");
      assertThat(f.retriable()).isTrue();
    }
  }

  @Test
  void aMissingTopicMetadataIsRecognised() {
    assertThat(
            Failure.isMissingMetadata(
                new TimeoutException("Topic tracks not present in metadata after 2000 ms.")))
        .isTrue();
    assertThat(
            Failure.isMissingMetadata(
                new ExecutionException(
                    new TimeoutException(
                        "Partition 3 of topic tracks with partition count 1 is not present in"
                            + " metadata after 2000 ms."))))
        .isTrue();
    assertThat(Failure.isMissingMetadata(new TimeoutException("Expiring 1 record(s)"))).isFalse();
    assertThat(Failure.isMissingMetadata(new NetworkException("not present in metadata")))
        .isFalse();
  }

  @Test
  void wrappedErrorsAreUnwrapped() {
    assertThat(
            Failure.of(
                    new ExecutionException(
                        new CompletionException(new TopicAuthorizationException("x"))),
                    "events")
                .reason())
        .isEqualTo("kafka_authorization");
  }

  @Test
  void otherErrorsAreNamedButNotRepeated() {
    Failure f = Failure.of(new SerializationException("sasl.jaas.config=secret"), "events");
    assertThat(f.reason()).isEqualTo("kafka_error");
    assertThat(f.retriable()).isFalse();
    assertThat(f.message()).contains("SerializationException").doesNotContain("secret");
  }
}
