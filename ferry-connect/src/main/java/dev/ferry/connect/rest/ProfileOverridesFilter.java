package dev.ferry.connect.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Rewrites connector configs on their way into Connect ({@code POST /connectors}, {@code PUT
 * /connectors/{name}/config} and the validate call) so that a Ferry connector's {@code kafka.*}
 * profile reaches its Kafka clients as Connect client overrides.
 */
final class ProfileOverridesFilter implements ContainerRequestFilter {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CONFIG_PUT =
      Pattern.compile("/?connectors/[^/]+/config/?|/?connector-plugins/[^/]+/config/validate/?");
  private static final Pattern CREATE = Pattern.compile("/?connectors/?");

  @Override
  public void filter(ContainerRequestContext request) throws IOException {
    String path = request.getUriInfo().getPath();
    String method = request.getMethod();
    boolean put = "PUT".equals(method) && CONFIG_PUT.matcher(path).matches();
    boolean create = "POST".equals(method) && CREATE.matcher(path).matches();
    if ((!put && !create) || !request.hasEntity()) {
      return;
    }
    byte[] body = request.getEntityStream().readAllBytes();
    byte[] rewritten = body;
    try {
      JsonNode root = JSON.readTree(body);
      JsonNode config = create ? root.path("config") : root;
      if (config instanceof ObjectNode object && ProfileOverrides.apply(object)) {
        rewritten = JSON.writeValueAsBytes(root);
      }
    } catch (JsonProcessingException e) {
      // Not JSON: Connect answers with its own error.
    }
    request.setEntityStream(new ByteArrayInputStream(rewritten));
  }

  /** The config as text values, for the profile. */
  static Map<String, String> asStrings(ObjectNode config) {
    Map<String, String> props = new LinkedHashMap<>();
    config
        .fields()
        .forEachRemaining(
            f -> props.put(f.getKey(), f.getValue().isNull() ? null : f.getValue().asText()));
    return props;
  }
}
