package dev.ferry.testkit;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.connect.util.clusters.WorkerHandle;

/**
 * One KRaft broker and one distributed Connect worker in this JVM, a thin layer over Kafka's own
 * {@link EmbeddedConnectCluster} for integration tests of connectors.
 *
 * <p>The worker loads plugins from the given {@code plugin.path} with {@code
 * plugin.discovery=service_load}, and flushes offsets every second unless told otherwise. A sink
 * connector named {@code n} consumes as group {@link #sinkGroupId(String) connect-n}.
 *
 * <pre>{@code
 * Path plugins = Path.of(System.getProperty("ferry.plugin.path"));
 * try (ConnectTestCluster cluster = ConnectTestCluster.builder().pluginPath(plugins).start()) {
 *   cluster.createTopic("orders", 3);
 *   cluster.configureConnector("sink", Map.of("connector.class", "...", "topics", "orders"));
 *   cluster.awaitConnectorRunning("sink", 1, Duration.ofSeconds(60));
 * }
 * }</pre>
 */
public final class ConnectTestCluster implements AutoCloseable {

  private static final Duration POLL = Duration.ofMillis(100);

  private final EmbeddedConnectCluster connect;
  private final KafkaClients clients;

  private ConnectTestCluster(EmbeddedConnectCluster connect) {
    this.connect = connect;
    this.clients = new KafkaClients(connect.kafka());
  }

  /** A builder for a cluster; call {@link Builder#start()} to start it. */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts a cluster with default settings and plugins from {@code pluginPath}. */
  public static ConnectTestCluster start(Path pluginPath) {
    return builder().pluginPath(pluginPath).start();
  }

  /** The group id of the consumer of the sink connector named {@code connectorName}. */
  public static String sinkGroupId(String connectorName) {
    return "connect-" + connectorName;
  }

  /** Kafka's embedded cluster, for everything this class does not wrap. */
  public EmbeddedConnectCluster connect() {
    return connect;
  }

  /** The broker's bootstrap servers. */
  public String bootstrapServers() {
    return connect.kafka().bootstrapServers();
  }

  /** Creates a topic with replication factor 1 and waits until it exists. */
  public void createTopic(String name, int partitions) {
    connect.kafka().createTopic(name, partitions);
  }

  /** Produces one record with String key and value (either may be null) and waits for the ack. */
  public void produce(String topic, Integer partition, String key, String value) {
    connect.kafka().produce(topic, partition, key, value);
  }

  /** Produces the records with one shared producer and waits until all are acknowledged. */
  public void produce(String topic, List<ProducerRecord<byte[], byte[]>> records) {
    clients.produce(topic, records);
  }

  /** Creates or reconfigures a connector; returns the worker's REST response. */
  public String configureConnector(String name, Map<String, String> config) {
    return connect.configureConnector(name, config);
  }

  /** Deletes a connector. */
  public void deleteConnector(String name) {
    connect.deleteConnector(name);
  }

  /** The connector's status as the worker's REST API reports it. */
  public ConnectorStateInfo connectorStatus(String name) {
    return connect.connectorStatus(name);
  }

  /** Waits until the connector and exactly {@code tasks} tasks are {@code RUNNING}. */
  public void awaitConnectorRunning(String name, int tasks, Duration timeout) {
    await("connector " + name + " and " + tasks + " tasks running")
        .atMost(timeout)
        .pollDelay(Duration.ZERO)
        .pollInterval(POLL)
        .ignoreExceptions()
        .until(
            () -> {
              ConnectorStateInfo s = connectorStatus(name);
              return s != null
                  && "RUNNING".equals(s.connector().state())
                  && s.tasks().size() == tasks
                  && s.tasks().stream().allMatch(t -> "RUNNING".equals(t.state()));
            });
  }

  /** Waits until a task of the connector is {@code FAILED} and returns its stack trace. */
  public String awaitTaskFailed(String name, Duration timeout) {
    AtomicReference<String> trace = new AtomicReference<>();
    await("a task of " + name + " failed")
        .atMost(timeout)
        .pollDelay(Duration.ZERO)
        .pollInterval(POLL)
        .ignoreExceptions()
        .until(
            () -> {
              for (ConnectorStateInfo.TaskState t : connectorStatus(name).tasks()) {
                if ("FAILED".equals(t.state())) {
                  trace.set(t.trace() == null ? "" : t.trace());
                  return true;
                }
              }
              return false;
            });
    return trace.get();
  }

  /**
   * Stops every worker the way Connect shuts down on SIGTERM (tasks stop, sink offsets of what was
   * flushed are committed) and starts a fresh worker that takes over from the committed offsets.
   * Waits until the new worker's REST API is up; await the connector with {@link
   * #awaitConnectorRunning}.
   */
  public void restartWorker() {
    for (WorkerHandle worker : Set.copyOf(connect.workers())) {
      connect.removeWorker(worker);
    }
    WorkerHandle fresh = connect.addWorker();
    await("worker " + fresh + " healthy")
        .atMost(Duration.ofSeconds(60))
        .pollDelay(Duration.ZERO)
        .pollInterval(POLL)
        .ignoreExceptions()
        .until(() -> connect.isHealthy(fresh));
  }

  /**
   * Reads {@code topic} from the beginning up to its end offsets at the time of the call (all
   * partitions), e.g. a dead-letter topic.
   */
  public ConsumerRecords<byte[], byte[]> consumeAll(String topic, Duration timeout) {
    try {
      return connect.kafka().consumeAll(timeout.toMillis(), topic);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading " + topic, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not read " + topic, e);
    }
  }

  /** The offsets committed by a consumer group; empty when the group has committed nothing. */
  public Map<TopicPartition, OffsetAndMetadata> committedOffsets(String groupId) {
    return clients.committedOffsets(groupId);
  }

  /** The sum over the partitions of {@code topic} of the offsets committed by {@code groupId}. */
  public long committedTotal(String groupId, String topic) {
    return committedOffsets(groupId).entrySet().stream()
        .filter(e -> e.getKey().topic().equals(topic))
        .mapToLong(e -> e.getValue().offset())
        .sum();
  }

  /** Waits until {@link #committedTotal} reaches at least {@code total}. */
  public void awaitCommittedTotal(String groupId, String topic, long total, Duration timeout) {
    await(groupId + " committed " + total + " records of " + topic)
        .atMost(timeout)
        .pollDelay(Duration.ZERO)
        .pollInterval(POLL)
        .until(() -> committedTotal(groupId, topic) >= total);
  }

  /** Stops the worker and the broker and deletes their data. */
  @Override
  public void close() {
    try {
      clients.close();
    } finally {
      connect.stop();
    }
  }

  /** Settings of a {@link ConnectTestCluster}. */
  public static final class Builder {
    private String name = "ferry";
    private Path pluginPath;
    private Duration offsetFlushInterval = Duration.ofSeconds(1);
    private final Map<String, String> workerProps = new HashMap<>();
    private final Properties brokerProps = new Properties();

    private Builder() {}

    /** The cluster name, used in the names of Connect's internal topics. */
    public Builder name(String clusterName) {
      this.name = Objects.requireNonNull(clusterName, "name");
      return this;
    }

    /** The worker's {@code plugin.path}: a directory of plugin directories or archives. */
    public Builder pluginPath(Path path) {
      this.pluginPath = Objects.requireNonNull(path, "pluginPath");
      return this;
    }

    /** The worker's {@code offset.flush.interval.ms} (default 1 s). */
    public Builder offsetFlushInterval(Duration interval) {
      this.offsetFlushInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /** Adds or overrides a worker property (wins over this builder's other settings). */
    public Builder workerProp(String key, String value) {
      workerProps.put(key, value);
      return this;
    }

    /** Adds or overrides worker properties (win over this builder's other settings). */
    public Builder workerProps(Map<String, String> props) {
      workerProps.putAll(props);
      return this;
    }

    /** Adds or overrides a broker property. */
    public Builder brokerProp(String key, String value) {
      brokerProps.setProperty(key, value);
      return this;
    }

    /** Starts the broker and the worker and waits until both are up. */
    public ConnectTestCluster start() {
      if (pluginPath == null) {
        throw new IllegalStateException("pluginPath is required");
      }
      Map<String, String> props = new HashMap<>(); // mutable: the embedded cluster adds to it
      props.put("plugin.path", pluginPath.toAbsolutePath().toString());
      props.put("plugin.discovery", "service_load");
      props.put("offset.flush.interval.ms", Long.toString(offsetFlushInterval.toMillis()));
      props.put("scheduled.rebalance.max.delay.ms", "1000");
      props.putAll(workerProps);
      EmbeddedConnectCluster connect =
          new EmbeddedConnectCluster.Builder()
              .name(name)
              .numWorkers(1)
              .numBrokers(1)
              .workerProps(props)
              .brokerProps(brokerProps)
              .build();
      try {
        connect.start();
      } catch (RuntimeException e) {
        try {
          connect.stop();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
      return new ConnectTestCluster(connect);
    }
  }
}
