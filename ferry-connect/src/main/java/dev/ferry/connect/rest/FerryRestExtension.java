package dev.ferry.connect.rest;

import dev.ferry.connect.Version;
import java.util.Map;
import org.apache.kafka.connect.rest.ConnectRestExtension;
import org.apache.kafka.connect.rest.ConnectRestExtensionContext;

/**
 * Ferry's extension of Connect's REST API: connector configs that carry a Kafka connection profile
 * ({@code kafka.*}) are given the matching client overrides before Connect sees them, and the
 * status of a connector or task that failed on a Kafka client error Ferry recognises starts with
 * what to fix ({@code Ferry: ...}) before Connect's stack trace. Add it to a worker with {@code
 * rest.extension.classes=dev.ferry.connect.rest.FerryRestExtension}; {@code bin/ferry up} does.
 */
public class FerryRestExtension implements ConnectRestExtension {

  @Override
  public void register(ConnectRestExtensionContext context) {
    context.configurable().register(new ProfileOverridesFilter());
    context.configurable().register(new StatusTraceFilter(context.clusterState()));
  }

  @Override
  public void configure(Map<String, ?> configs) {}

  @Override
  public void close() {}

  @Override
  public String version() {
    return Version.get();
  }
}
