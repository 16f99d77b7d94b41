package dev.ferry.connect.sink;

import dev.ferry.connect.Version;
import dev.ferry.connect.sink.config.HttpSinkConfig;
import dev.ferry.connect.sink.config.SeedAliases;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Delivers records from Kafka topics to any HTTP API. Use {@code "connector.class":
 * "HttpSinkConnector"}; the seed connector's keys are accepted as aliases.
 */
public class HttpSinkConnector extends SinkConnector {
  private Map<String, String> props;

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    new HttpSinkConfig(props);
    this.props = new HashMap<>(props);
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

  @Override
  public ConfigDef config() {
    return HttpSinkConfig.CONFIG_DEF;
  }

  /** Single-key checks from the ConfigDef, then the rules that span keys, each on its key. */
  @Override
  public Config validate(Map<String, String> connectorConfigs) {
    Config config = new Config(config().validate(SeedAliases.resolve(connectorConfigs)));
    Map<String, List<String>> errors = HttpSinkConfig.crossFieldErrors(connectorConfigs);
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
