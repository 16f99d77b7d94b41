package dev.ferry.bench;

import dev.ferry.testkit.ConnectTestCluster;
import dev.ferry.testkit.ScriptedHttpTarget;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What every end-to-end benchmark runs on, in this JVM: a KRaft broker and a Connect worker that
 * loads Ferry from {@code plugin.path} (and lets connectors override consumer settings), an HTTP
 * target that keeps no bodies, and the helpers that drive connectors against them.
 */
final class BenchRig implements AutoCloseable {
  final ConnectTestCluster cluster;
  final ScriptedHttpTarget target;
  final Waiter waiter;
  final Connectors connectors;
  final FerryThroughputRun ferry;

  private BenchRig(
      ConnectTestCluster cluster, ScriptedHttpTarget target, PrintStream log, Duration timeout) {
    this.cluster = cluster;
    this.target = target;
    this.waiter = new Waiter(log);
    this.connectors = new Connectors(cluster, waiter);
    this.ferry = new FerryThroughputRun(cluster, target, connectors, waiter, log, timeout);
  }

  /**
   * Starts the broker, the worker and the target.
   *
   * @param timeout the longest one phase may take
   * @throws IllegalStateException when there is no plugin directory
   */
  static BenchRig start(Path pluginPath, Duration offsetFlush, Duration timeout, PrintStream log) {
    checkPluginPath(pluginPath);
    ConnectTestCluster cluster =
        ConnectTestCluster.builder()
            .pluginPath(pluginPath)
            .offsetFlushInterval(offsetFlush)
            .workerProp("connector.client.config.override.policy", "All")
            .start();
    try {
      return new BenchRig(cluster, ScriptedHttpTarget.start().recordBodies(false), log, timeout);
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** Throws, with how to build it, when {@code pluginPath} is not a directory. */
  static void checkPluginPath(Path pluginPath) {
    if (!Files.isDirectory(pluginPath)) {
      throw new IllegalStateException(
          "no plugin directory at "
              + pluginPath
              + ": build it with ./mvnw -q -B -DskipTests install -pl ferry-bench -am,"
              + " or pass --plugin-path");
    }
  }

  @Override
  public void close() {
    try {
      target.close();
    } finally {
      cluster.close();
    }
  }
}
