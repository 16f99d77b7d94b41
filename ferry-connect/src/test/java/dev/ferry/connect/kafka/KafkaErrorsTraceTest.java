package dev.ferry.connect.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.login.LoginException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

/** Failures known only as printed stack traces, as Connect shows a failed task's. */
class KafkaErrorsTraceTest {
  private static final String BOOTSTRAP = "broker-1.example.com:9093,broker-2.example.com:9093";
  private static final String SECRET = "s3cr3t-do-not-echo";

  private static final KafkaProfile SCRAM =
      profile(
          "kafka.sasl.mechanism", "SCRAM-SHA-512",
          "kafka.sasl.username", "carol",
          "kafka.sasl.password", SECRET);
  private static final KafkaProfile PLAIN =
      profile("kafka.sasl.username", "ABCKEY", "kafka.sasl.password", SECRET);
  private static final KafkaProfile OAUTH =
      profile(
          "kafka.oauth.client.id", "ferry-client",
          "kafka.oauth.client.secret", SECRET,
          "kafka.oauth.token.endpoint", "https://idp.example.com/oauth2/token");

  private static KafkaProfile profile(String... kv) {
    Map<String, String> props = new HashMap<>();
    props.put("kafka.bootstrap.servers", BOOTSTRAP);
    props.put("kafka.security.protocol", "SASL_SSL");
    for (int i = 0; i < kv.length; i += 2) {
      props.put(kv[i], kv[i + 1]);
    }
    return KafkaProfileConfig.from(props);
  }

  /** What Connect puts in a failed task's status: the error printed with its causes. */
  private static String printed(Throwable e) {
    StringWriter out = new StringWriter();
    e.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  /** As Connect fails a task whose put() threw. */
  private static Throwable fromWorkerSinkTask(Throwable cause) {
    return new ConnectException("Exiting WorkerSinkTask due to unrecoverable exception.", cause);
  }

  /** The translation, which must exist and not repeat the secret. */
  private static String translate(String trace, KafkaProfile profile) {
    Optional<String> message = KafkaErrors.translateTrace(trace, profile);
    assertThat(message).as("a translation of %s", trace).isPresent();
    assertThat(message.get()).doesNotContain(SECRET);
    return message.get();
  }

  private static Optional<String> untranslated(String trace, KafkaProfile profile) {
    return KafkaErrors.translateTrace(trace, profile);
  }

  private static ErrorChain chain(Throwable e) {
    return ErrorChain.ofTrace(printed(e), KafkaErrorsTraceTest.class.getClassLoader());
  }

  @Test
  void aRefusedScramPasswordNamesTheUserAndTheKeysToCheck() {
    String trace =
        printed(
            new KafkaException(
                "Failed to construct kafka consumer",
                new SaslAuthenticationException(
                    "Authentication failed during authentication due to invalid credentials with"
                        + " SASL mechanism SCRAM-SHA-512")));

    assertThat(translate(trace, SCRAM))
        .contains(
            "authentication with "
                + BOOTSTRAP
                + " failed: the SCRAM-SHA-512 user or password was refused: check"
                + " kafka.sasl.username (carol) and kafka.sasl.password");
  }

  @Test
  void theTranslationIsTheSameAsForTheLiveError() {
    Throwable e =
        fromWorkerSinkTask(
            new KafkaException(
                new SaslAuthenticationException(
                    "Authentication failed: Invalid username or password " + SECRET)));

    assertThat(translate(printed(e), PLAIN)).contains(KafkaErrors.translate(e, PLAIN));
  }

  @Test
  void deniedTopicsAreNamedFromKafkasMessage() {
    Set<String> topics = new LinkedHashSet<>(List.of("payments", "orders"));
    String trace = printed(new TopicAuthorizationException(topics));

    assertThat(trace).startsWith("org.apache.kafka.common.errors.TopicAuthorizationException");
    assertThat(translate(trace, PLAIN))
        .contains("the credentials of ABCKEY lack permission on topic(s) orders, payments at")
        .contains("READ and DESCRIBE");
  }

  @Test
  void aTopicAuthorizationWithoutKafkasWordingNamesNoTopic() {
    String trace =
        printed(
            fromWorkerSinkTask(
                new TopicAuthorizationException("Not authorized to access topics: [" + SECRET)));

    assertThat(translate(trace, PLAIN)).contains("lack permission on topic(s) (not named by");
  }

  @Test
  void namesThatAreNoTopicNamesAreLeftOut() {
    String trace =
        printed(
            new TopicAuthorizationException(
                "Not authorized to access topics: [orders, password=" + SECRET + " x]"));

    assertThat(translate(trace, PLAIN)).contains("topic(s) orders at");
  }

  @Test
  void aDeniedGroupIsNamed() {
    String trace = printed(GroupAuthorizationException.forGroupId("connect-sink-7"));

    assertThat(translate(trace, SCRAM))
        .contains("the credentials of carol lack READ permission on consumer group connect-sink-7");
  }

  @Test
  void aRecordTooLargeGivesSizeAndLimitFromKafkasMessage() {
    String trace =
        printed(
            new KafkaException(
                "Send failed",
                new RecordTooLargeException(
                    "The message is 2000000 bytes when serialized which is larger than 1048576,"
                        + " which is the value of the max.request.size configuration.")));

    assertThat(translate(trace, PLAIN))
        .contains("a record of 2000000 bytes exceeds the limit of 1048576 bytes");
  }

  @Test
  void aTimeoutSaysWhichAddressWasTriedWithinHowLong() {
    String trace =
        printed(
            new TimeoutException(
                "Timeout of 60000ms expired before the position for partition t1-0 could be"
                    + " determined"));

    assertThat(translate(trace, SCRAM))
        .contains("could not reach the brokers at " + BOOTSTRAP + " within 60 s");
  }

  @Test
  void aTokenEndpointRefusalIsReadFromAMessageOverSeveralLines() {
    String trace =
        printed(
            new KafkaException(
                "Failed to create new KafkaAdminClient",
                new KafkaException(
                    new LoginException(
                        "java.io.IOException:\nThe response code 401 and error response"
                            + " {invalid_client "
                            + SECRET
                            + "} was encountered reading the token endpoint response"))));

    assertThat(translate(trace, OAUTH))
        .contains("refused the client (HTTP 401): check kafka.oauth.client.id (ferry-client)");
  }

  @Test
  void failuresThatAreNotTheKafkaClientsAreLeftAlone() {
    assertThat(
            untranslated(
                printed(
                    fromWorkerSinkTask(
                        new ConnectException(
                            "HTTP 500 from the target",
                            new java.util.concurrent.TimeoutException("no answer in 30000 ms")))),
                PLAIN))
        .isEmpty();
    assertThat(untranslated(printed(new IOException("javax.net.ssl. trouble")), PLAIN)).isEmpty();
    assertThat(untranslated("task failed: see the log", PLAIN)).isEmpty();
    assertThat(untranslated("", PLAIN)).isEmpty();
    assertThat(untranslated(null, PLAIN)).isEmpty();
  }

  @Test
  void aKafkaFailureWithoutAPreciseAnswerIsLeftAlone() {
    String trace =
        printed(
            fromWorkerSinkTask(
                new org.apache.kafka.common.errors.InvalidRequestException("bad request")));

    assertThat(untranslated(trace, PLAIN)).isEmpty();
    assertThat(KafkaErrors.translate(new KafkaException("x"), PLAIN)).contains("failed with");
  }

  @Test
  void aNullProfileMeansTheWorkersCluster() {
    String trace = printed(new TimeoutException("Timeout expired while fetching topic metadata"));

    assertThat(translate(trace, null))
        .contains("could not reach the brokers at the worker's own cluster")
        .contains("(the worker's bootstrap.servers)");
  }

  @Test
  void parsedErrorsAreFoundByTypeAndSupertypeButHaveNoInstance() {
    ErrorChain chain =
        chain(
            fromWorkerSinkTask(
                new KafkaException(new TopicAuthorizationException(Set.of("orders")))));

    assertThat(chain.has(TopicAuthorizationException.class)).isTrue();
    assertThat(chain.has(AuthorizationException.class)).isTrue();
    assertThat(chain.has(RuntimeException.class)).isTrue();
    assertThat(chain.has(SaslAuthenticationException.class)).isFalse();
    assertThat(chain.find(TopicAuthorizationException.class)).isEmpty();
    assertThat(chain.messageOf(TopicAuthorizationException.class))
        .contains("Not authorized to access topics: [orders]");
    assertThat(chain.mentions("not authorized to access topics")).isTrue();
    assertThat(chain.rootType()).isEqualTo("TopicAuthorizationException");
  }

  @Test
  void liveErrorsAreFoundWithTheirInstance() {
    TopicAuthorizationException denied = new TopicAuthorizationException(Set.of("orders"));
    ErrorChain chain = ErrorChain.of(new KafkaException(denied));

    assertThat(chain.find(TopicAuthorizationException.class)).containsSame(denied);
    assertThat(chain.has(AuthorizationException.class)).isTrue();
  }

  @Test
  void unknownClassesKeepTheirNameAndMessage() {
    String trace =
        "com.example.vendor.CloudAuthException: Authentication failed for key ABCKEY\n"
            + "\tat com.example.vendor.Login.run(Login.java:12)\n"
            + "Caused by: org.apache.kafka.common.errors.SaslAuthenticationException\n";
    ErrorChain chain = ErrorChain.ofTrace(trace, getClass().getClassLoader());

    assertThat(chain.mentions("com.example.vendor.cloudauthexception")).isTrue();
    assertThat(chain.mentions("authentication failed for key")).isTrue();
    assertThat(chain.rootType()).isEqualTo("SaslAuthenticationException");
    assertThat(translate(trace, PLAIN)).contains("API key or secret was refused");
  }

  @Test
  void classesAreComparedByNameWhenTheLoaderCannotSeeKafka() throws IOException {
    String trace = printed(new KafkaException(new SaslAuthenticationException("refused")));
    try (URLClassLoader bare = new URLClassLoader(new URL[0], null)) {
      ErrorChain chain = ErrorChain.ofTrace(trace, bare);

      assertThat(chain.has(SaslAuthenticationException.class)).isTrue();
      assertThat(chain.has(KafkaException.class)).isTrue();
      assertThat(chain.rootType()).isEqualTo("SaslAuthenticationException");
    }
  }

  @Test
  void suppressedErrorsAndElidedFramesAreSkipped() {
    RuntimeException top = new RuntimeException("closing failed");
    KafkaException suppressed =
        new KafkaException("suppressed", new TopicAuthorizationException(Set.of("x")));
    top.addSuppressed(suppressed);
    Throwable e = new KafkaException("outer", new IllegalStateException("inner", top));
    ErrorChain chain = chain(e);

    assertThat(chain.has(TopicAuthorizationException.class)).isFalse();
    assertThat(chain.has(IllegalStateException.class)).isTrue();
    assertThat(chain.rootType()).isEqualTo("RuntimeException");
    assertThat(printed(e)).contains("Suppressed: ").contains("... ");
  }

  @Test
  void aHugeNumberIsNoNumber() {
    String trace = printed(new TimeoutException("Timeout of 99999999999999999999999999ms expired"));

    assertThat(translate(trace, SCRAM)).doesNotContain(" within ");
  }
}
