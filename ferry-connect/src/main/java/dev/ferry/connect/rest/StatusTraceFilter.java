package dev.ferry.connect.rest;

import dev.ferry.connect.kafka.KafkaErrors;
import dev.ferry.connect.kafka.KafkaProfile;
import dev.ferry.connect.kafka.KafkaProfileConfig;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.kafka.connect.health.ConnectClusterState;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo.ConnectorState;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo.TaskState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts Ferry's answer in front of the stack trace of a failed Ferry connector or task when the
 * failure is one of its Kafka client's that Ferry recognises (credentials refused, ACL missing,
 * TLS, token endpoint, unreachable brokers): the {@code trace} of {@code GET
 * /connectors/{name}/status}, {@code GET /connectors/{name}/tasks/{id}/status} and {@code GET
 * /connectors?expand=status} then starts with {@code Ferry: <what to fix>}, a blank line, and
 * Connect's trace as it was. Any other trace is left as it is.
 */
final class StatusTraceFilter implements ContainerResponseFilter {
  static final String PREFIX = "Ferry: ";
  private static final Logger log = LoggerFactory.getLogger(StatusTraceFilter.class);
  private static final String FAILED = "FAILED";

  /**
   * A frame of Ferry's own code: the failure is not the consumer's (e.g. the delta store, which
   * talks to another cluster); Ferry's code says itself what it could not do.
   */
  private static final Pattern FERRY_FRAME = Pattern.compile("(?m)^\\s+at dev\\.ferry\\.");

  /** The raw config of a connector by name; throws or gives null when there is none. */
  private final Function<String, Map<String, String>> configs;

  StatusTraceFilter(ConnectClusterState cluster) {
    this(cluster::connectorConfig);
  }

  StatusTraceFilter(Function<String, Map<String, String>> configs) {
    this.configs = configs;
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (!"GET".equals(request.getMethod()) || !response.hasEntity()) {
      return;
    }
    try {
      Object entity = response.getEntity();
      Object rewritten =
          rewrite(entity, request.getUriInfo().getPathParameters().getFirst("connector"));
      if (rewritten != entity) {
        response.setEntity(rewritten);
      }
    } catch (RuntimeException e) {
      // The status must be answered whatever Ferry makes of it.
      log.debug("Could not translate the failure in a status response: {}", e.toString());
    }
  }

  /**
   * The status entity with translated traces, or {@code entity} itself when nothing changed: a
   * connector's status, a task's (of {@code connectorInPath}), or the map of {@code GET
   * /connectors?expand=status}.
   */
  Object rewrite(Object entity, String connectorInPath) {
    if (entity instanceof ConnectorStateInfo info) {
      return rewrite(info, new Translator(info.name()));
    }
    if (entity instanceof TaskState task && connectorInPath != null) {
      return rewrite(task, new Translator(connectorInPath));
    }
    if (entity instanceof Map<?, ?> expanded) {
      return rewriteExpanded(expanded);
    }
    return entity;
  }

  private static ConnectorStateInfo rewrite(ConnectorStateInfo info, Translator t) {
    ConnectorState c = info.connector();
    ConnectorState connector = c;
    if (c != null && t.applies(c.state(), c.trace())) {
      String trace = t.translate(c.trace());
      if (!trace.equals(c.trace())) {
        connector = new ConnectorState(c.state(), c.workerId(), trace, c.version());
      }
    }
    boolean changed = connector != c;
    List<TaskState> tasks = info.tasks();
    if (tasks != null) {
      tasks = new ArrayList<>(info.tasks().size());
      for (TaskState task : info.tasks()) {
        TaskState rewritten = rewrite(task, t);
        changed |= rewritten != task;
        tasks.add(rewritten);
      }
    }
    return changed ? new ConnectorStateInfo(info.name(), connector, tasks, info.type()) : info;
  }

  private static TaskState rewrite(TaskState task, Translator t) {
    if (task == null || !t.applies(task.state(), task.trace())) {
      return task;
    }
    String trace = t.translate(task.trace());
    return trace.equals(task.trace())
        ? task
        : new TaskState(task.id(), task.state(), task.workerId(), trace, task.version());
  }

  /** Each connector's {@code status} in {@code {name: {status: ..., info: ...}}}. */
  private Object rewriteExpanded(Map<?, ?> expanded) {
    Map<Object, Object> result = new LinkedHashMap<>();
    boolean changed = false;
    for (Map.Entry<?, ?> e : expanded.entrySet()) {
      Object value = e.getValue();
      if (value instanceof Map<?, ?> parts
          && parts.get("status") instanceof ConnectorStateInfo info) {
        ConnectorStateInfo rewritten = rewrite(info, new Translator(info.name()));
        if (rewritten != info) {
          Map<Object, Object> copy = new HashMap<>(parts);
          copy.put("status", rewritten);
          value = copy;
          changed = true;
        }
      }
      result.put(e.getKey(), value);
    }
    return changed ? result : expanded;
  }

  /** Translates the traces of one connector, reading its config (once) only when needed. */
  private final class Translator {
    private final String connector;
    private boolean looked;
    private KafkaProfile profile; // null: no Ferry connector, or its config is unknown

    Translator(String connector) {
      this.connector = connector;
    }

    boolean applies(String state, String trace) {
      return FAILED.equals(state)
          && trace != null
          && !trace.startsWith(PREFIX)
          && !FERRY_FRAME.matcher(trace).find();
    }

    String translate(String trace) {
      if (!looked) {
        looked = true;
        profile = ferryProfile();
      }
      if (profile == null) {
        return trace;
      }
      return KafkaErrors.translateTrace(trace, profile)
          .map(message -> PREFIX + message + "\n\n" + trace)
          .orElse(trace);
    }

    private KafkaProfile ferryProfile() {
      Map<String, String> config;
      try {
        config = configs.apply(connector);
      } catch (RuntimeException e) {
        return null; // deleted meanwhile, or not known to this worker yet
      }
      if (config == null || !ProfileOverrides.isFerryConnector(config.get("connector.class"))) {
        return null;
      }
      try {
        return KafkaProfileConfig.from(config);
      } catch (RuntimeException e) {
        return KafkaProfileConfig.from(Map.of()); // invalid kafka.* values: the worker's cluster
      }
    }
  }
}
