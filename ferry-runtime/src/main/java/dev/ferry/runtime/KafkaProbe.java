package dev.ferry.runtime;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;

/** Waits, with a deadline, until a Kafka cluster answers an Admin {@code describeCluster}. */
final class KafkaProbe {
  private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(5);

  private KafkaProbe() {}

  /**
   * Returns the cluster id of the cluster at {@code bootstrapServers} once it answers.
   *
   * @param clientProps the worker's client settings (security protocol, SASL, TLS), or empty
   * @throws TimeoutException if it does not answer within {@code timeout}
   * @throws KafkaException if the address or the settings cannot be used at all (e.g. the host does
   *     not resolve, a trust store is missing), or the cluster refuses the credentials
   */
  static String awaitCluster(
      String bootstrapServers, Map<String, String> clientProps, Duration timeout)
      throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Object> config = new HashMap<>(clientProps);
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "ferry-probe");
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ATTEMPT_TIMEOUT.toMillis());
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ATTEMPT_TIMEOUT.toMillis());
    config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
    try (Admin admin = Admin.create(config)) {
      Throwable last = null;
      while (true) {
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remainingMs <= 0) {
          TimeoutException timedOut =
              new TimeoutException(
                  "no answer from " + bootstrapServers + " within " + timeout.toSeconds() + " s");
          if (last != null) {
            timedOut.initCause(last);
          }
          throw timedOut;
        }
        int attemptMs = (int) Math.min(remainingMs, ATTEMPT_TIMEOUT.toMillis());
        try {
          return admin
              .describeCluster(new DescribeClusterOptions().timeoutMs(attemptMs))
              .clusterId()
              .get(attemptMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
          last = e.getCause() == null ? e : e.getCause();
          if (last instanceof AuthenticationException refused) {
            // Credentials or TLS refused: asking again gives the same answer.
            throw refused;
          }
          long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
          Thread.sleep(Math.max(0, Math.min(200, leftMs)));
        }
      }
    }
  }
}
