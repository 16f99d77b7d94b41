package dev.ferry.bench;

import dev.ferry.testkit.ConnectTestCluster;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;

/**
 * Creates, watches and deletes the benchmark's sink connectors on the worker, each under a fresh
 * name so that each run is a fresh consumer group reading from the beginning.
 */
final class Connectors {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final ConnectTestCluster cluster;
  private final Waiter waiter;
  private final AtomicInteger counter = new AtomicInteger();

  Connectors(ConnectTestCluster cluster, Waiter waiter) {
    this.cluster = cluster;
    this.waiter = waiter;
  }

  /** A connector name not used before in this run. */
  String freshName(String prefix) {
    return prefix + "-" + counter.incrementAndGet();
  }

  /** Creates the connector and waits until it and its tasks run. */
  void start(String name, Map<String, String> config) {
    cluster.configureConnector(name, config);
    cluster.awaitConnectorRunning(name, Integer.parseInt(config.get("tasks.max")), START_TIMEOUT);
  }

  /** Throws when a task of the connector failed, with the task's stack trace. */
  void throwIfFailed(String name) {
    ConnectorStateInfo status;
    try {
      status = cluster.connectorStatus(name);
    } catch (RuntimeException e) {
      return; // the REST call itself failed: no news, the deadline will tell
    }
    if (status == null) {
      return;
    }
    for (ConnectorStateInfo.TaskState task : status.tasks()) {
      if ("FAILED".equals(task.state())) {
        throw new IllegalStateException(
            "task " + task.id() + " of " + name + " failed: " + task.trace());
      }
    }
  }

  /** Deletes the connector and waits until the worker no longer lists it. */
  void delete(String name) throws TimeoutException {
    cluster.deleteConnector(name);
    waiter.until(
        "connector " + name + " deleted",
        START_TIMEOUT,
        Duration.ofMillis(50),
        () -> !cluster.connect().connectors().contains(name),
        () -> "still listed");
  }
}
