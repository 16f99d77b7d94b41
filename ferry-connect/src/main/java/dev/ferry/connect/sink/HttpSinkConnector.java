package dev.ferry.connect.sink;

import dev.ferry.connect.Version;
import dev.ferry.connect.kafka.ConnectionCheck;
import dev.ferry.connect.kafka.KafkaProfileConfig;
import dev.ferry.connect.sink.config.HttpSinkConfig;
import dev.ferry.connect.sink.config.SeedAliases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers records from Kafka topics to any HTTP API. Use {@code "connector.class":
 * "HttpSinkConnector"}; the seed connector's keys are accepted as aliases.
 */
public class HttpSinkConnector extends SinkConnector {
  private static final Logger log = LoggerFactory.getLogger(HttpSinkConnector.class);
  private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(10);

  private Map<String, String> props;

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    new HttpSinkConfig(props);
    this.props = new HashMap<>(props);
    if (KafkaProfileConfig.from(props).isSet()) {
      // Say what is wrong in the log before the tasks' consumers fail with Kafka's own words.
      ConnectionCheck.Result check = ConnectionCheck.forConnector(props, CHECK_TIMEOUT);
      if (!check.ok()) {
        log.warn("Connection check of {} failed:\n{}", props.get("name"), check);
      }
    }
  }

  @Override
  public Class<? extends Task> taskClass() {
    return HttpSinkTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    List<Map<String, String>> configs = new ArrayList<>(maxTasks);
    for (int i = 0; i < maxTasks; i++) {
      configs.add(props);
    }
    return configs;
  }

  @Override
  public void stop() {}

  private static boolean profileSet(Map<String, String> props) {
    try {
      return KafkaProfileConfig.from(props).isSet();
    } catch (RuntimeException e) {
      return false; // invalid values are reported on their keys
    }
  }

  @Override
  public ConfigDef config() {
    return HttpSinkConfig.CONFIG_DEF;
  }

  /**
   * Single-key checks from the ConfigDef, then the rules that span keys, each on its key; with a
   * Kafka connection profile and no error so far, the profile is tried against its cluster and what
   * fails is reported on {@code kafka.bootstrap.servers}.
   */
  @Override
  public Config validate(Map<String, String> connectorConfigs) {
    Config config = new Config(config().validate(SeedAliases.resolve(connectorConfigs)));
    Map<String, List<String>> errors = HttpSinkConfig.crossFieldErrors(connectorConfigs);
    boolean valid =
        errors.isEmpty()
            && config.configValues().stream().allMatch(v -> v.errorMessages().isEmpty());
    if (valid && profileSet(connectorConfigs)) {
      ConnectionCheck.Result check = ConnectionCheck.forConnector(connectorConfigs, CHECK_TIMEOUT);
      check.steps().stream()
          .filter(step -> !step.ok())
          .forEach(
              step ->
                  errors
                      .computeIfAbsent(KafkaProfileConfig.BOOTSTRAP, k -> new ArrayList<>())
                      .add(step.message()));
    }
    if (errors.isEmpty()) {
      return config;
    }
    Map<String, ConfigValue> byName = new HashMap<>();
    config.configValues().forEach(v -> byName.put(v.name(), v));
    errors.forEach(
        (key, messages) -> {
          ConfigValue value = byName.get(key);
          if (value != null) {
            messages.forEach(value::addErrorMessage);
          }
        });
    return config;
  }
}
