package dev.ferry.connect.sink;

import dev.ferry.connect.Version;
import dev.ferry.connect.kafka.KafkaProfileConfig;
import dev.ferry.connect.sink.config.CatalogConfig;
import dev.ferry.connect.sink.config.DeltaStoreCluster;
import dev.ferry.connect.sink.config.ErrorConfig;
import dev.ferry.connect.sink.config.HttpSinkConfig;
import dev.ferry.connect.sink.config.MappingConfig;
import dev.ferry.connect.sink.convert.RecordConverter;
import dev.ferry.connect.sink.delta.KafkaHashStore;
import dev.ferry.connect.sink.report.SinkMetrics;
import dev.ferry.connect.sink.report.TaskListener;
import dev.ferry.http.HttpSender;
import dev.ferry.http.HttpSettings;
import dev.ferry.http.outcome.OutcomeClassifier;
import dev.ferry.http.tls.TlsSettings;
import dev.ferry.pipeline.body.BodyFormat;
import dev.ferry.pipeline.body.GroupedBody;
import dev.ferry.pipeline.decode.MessageDecoder;
import dev.ferry.pipeline.decode.SchemaRegistryClient;
import dev.ferry.pipeline.deliver.DeliveryEngine;
import dev.ferry.pipeline.deliver.DeliverySettings;
import dev.ferry.pipeline.deliver.PartitionRef;
import dev.ferry.pipeline.deliver.Stages;
import dev.ferry.pipeline.delta.Delta;
import dev.ferry.pipeline.delta.DeltaMode;
import dev.ferry.pipeline.delta.HashStore;
import dev.ferry.pipeline.map.Mapper;
import dev.ferry.pipeline.map.Mappers;
import dev.ferry.pipeline.map.MappingException;
import dev.ferry.pipeline.record.PipelineRecord;
import dev.ferry.pipeline.request.RequestFactory;
import dev.ferry.pipeline.shape.Shaper;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/**
 * Hands records to the {@link DeliveryEngine} and commits only offsets whose records are finished:
 * delivered, dead-lettered or dropped by the user's choice.
 */
public class HttpSinkTask extends SinkTask {
  /** How long {@link #put} may wait for room before it pauses reading instead. */
  private static final Duration MAX_PUT_WAIT = Duration.ofSeconds(5);

  private HttpSinkConfig config;
  private HttpSender sender;
  private DeliveryEngine engine;
  private final RecordConverter converter = new RecordConverter();
  private SchemaRegistryClient registry;
  private KafkaHashStore hashStore;
  private Shaper shaper;
  private boolean paused;

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    config = new HttpSinkConfig(props);
    sender = new HttpSender(config.http, config.auth());
    DeliverySettings settings =
        new DeliverySettings(
            config.delivery.inFlight(),
            config.delivery.orderByKey(),
            config.batch.maxRecords(),
            config.batch.maxBytes(),
            config.batch.linger(),
            config.delivery.delay(),
            config.errors.schedule(),
            config.errors.strategy(),
            !config.sendsTombstones());
    String contentType =
        config.request.contentType().isBlank()
            ? config.batch.format().defaultContentType()
            : config.request.contentType();
    CatalogConfig catalog = config.catalog;
    RequestFactory requests =
        new RequestFactory(
                config.request.url(),
                config.request.method(),
                config.request.headers(),
                config.request.forwardedHeaders(),
                config.batch.format(),
                contentType)
            .withGrouped(
                new GroupedBody(catalog.groupedNames()),
                catalog.deleteMethod(),
                catalog.deleteUrl())
            .withGzip(catalog.gzip());
    OutcomeClassifier classifier =
        new OutcomeClassifier(
            config.errors.statusRules(), config.errors.retryField(), Clock.systemUTC());
    String name = props.getOrDefault("name", "ferry-http-sink");
    Stages stages = stages(name);
    engine =
        new DeliveryEngine(
            settings,
            sender,
            requests,
            classifier,
            new TaskListener(
                new SinkMetrics(context.pluginMetrics(), () -> engine.inFlightRequests()),
                errantRecordReporter(),
                config.errors.strategy().name()),
            stages,
            name);
  }

  /** Decoding, mapping and delta, as configured. */
  private Stages stages(String name) {
    MappingConfig m = config.mapping;
    if (m.registryUrl() != null) {
      registry =
          new SchemaRegistryClient(
              m.registryUrl(),
              m.registryUserInfo() == null ? null : m.registryUserInfo().value(),
              // The target's trust store and client certificate are not the registry's.
              new HttpSettings(
                  config.http.connectTimeout(),
                  config.http.requestTimeout(),
                  TlsSettings.systemDefault()));
    }
    Mapper mapper = null;
    if (m.maps()) {
      try {
        mapper = Mappers.create(m.language(), m.source(), m.timeout());
      } catch (MappingException e) {
        throw new ConnectException("mapping.source: " + e.getMessage(), e);
      }
    }
    CatalogConfig catalog = config.catalog;
    shaper =
        new Shaper(
            new MessageDecoder(registry),
            mapper,
            config.batch.format() == BodyFormat.GROUPED,
            catalog.tombstoneType());
    HashStore store = null;
    if (catalog.deltaMode() == DeltaMode.SKIP_UNCHANGED) {
      if (catalog.storeBootstrap().isEmpty()) {
        throw new ConnectException(
            "delta.mode=skip_unchanged needs delta.store.bootstrap.servers: the cluster that"
                + " keeps the hashes of delivered entities");
      }
      DeltaStoreCluster cluster =
          DeltaStoreCluster.select(
              catalog.storeBootstrap(), KafkaProfileConfig.from(config), System::getProperty);
      hashStore =
          new KafkaHashStore(
              cluster, catalog.storeTopic(), catalog.storeMaxEntries(), name + "-" + taskId());
      store = hashStore;
    }
    return new Stages(shaper, new Delta(catalog.deltaMode(), store));
  }

  private String taskId() {
    return String.valueOf(System.identityHashCode(this));
  }

  private org.apache.kafka.connect.sink.ErrantRecordReporter errantRecordReporter() {
    try {
      return context.errantRecordReporter();
    } catch (NoSuchMethodError | NoClassDefFoundError e) {
      return null;
    }
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    List<PipelineRecord> converted = new ArrayList<>(records.size());
    for (SinkRecord r : records) {
      if (r.value() == null && config.errors.nullValues() == ErrorConfig.NullValues.FAIL) {
        throw new ConnectException(
            "Record "
                + r.topic()
                + "/"
                + r.kafkaPartition()
                + "@"
                + r.kafkaOffset()
                + " has no value (a tombstone) and behavior.on.null.values=fail: set it to"
                + " ignore or delete to let such records through");
      }
      converted.add(converter.convert(r));
    }
    engine.submit(converted);
    try {
      boolean room = engine.awaitCapacity(config.bufferRecords(), MAX_PUT_WAIT);
      engine.throwIfFailed();
      pauseOrResume(!room);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectException("interrupted while waiting for deliveries", e);
    }
  }

  /** Stops reading while the buffer is full, so a slow target never costs a rebalance. */
  private void pauseOrResume(boolean full) {
    Set<TopicPartition> assigned = context.assignment();
    if (full && !paused) {
      context.pause(assigned.toArray(new TopicPartition[0]));
      paused = true;
    } else if (!full && paused) {
      context.resume(assigned.toArray(new TopicPartition[0]));
      paused = false;
    }
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> preCommit(
      Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
    Map<TopicPartition, OffsetAndMetadata> safe = new HashMap<>();
    engine
        .committable()
        .forEach(
            (p, next) ->
                safe.put(
                    new TopicPartition(p.topic(), p.partition()), new OffsetAndMetadata(next)));
    if (hashStore != null && !safe.isEmpty()) {
      // The hashes of what is committed must be stored first, or a restart could skip an upsert.
      try {
        hashStore.flush();
      } catch (ConnectException e) {
        engine.stop(e.getMessage(), e); // the next put() fails the task with this message
        return Map.of();
      }
    }
    if (paused && engine.buffered() < config.bufferRecords()) {
      pauseOrResume(false);
    }
    return safe;
  }

  @Override
  public void open(Collection<TopicPartition> partitions) {
    if (hashStore != null) {
      // What the previous owners of these partitions delivered (after our own writes are stored,
      // so reading them back cannot take memory back to an older hash).
      hashStore.flush();
      hashStore.catchUp();
    }
  }

  @Override
  public void close(Collection<TopicPartition> partitions) {
    List<PartitionRef> refs = new ArrayList<>();
    partitions.forEach(tp -> refs.add(new PartitionRef(tp.topic(), tp.partition())));
    engine.revoke(refs);
    if (hashStore != null) {
      hashStore.flush();
    }
  }

  @Override
  public void stop() {
    try {
      if (engine != null) {
        engine.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(sender);
      closeQuietly(shaper);
      closeQuietly(registry);
      closeQuietly(hashStore);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      org.slf4j.LoggerFactory.getLogger(HttpSinkTask.class).warn("Closing {}: {}", c, e.toString());
    }
  }
}
