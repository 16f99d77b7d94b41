package dev.ferry.pipeline.decode;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A Schema Registry on 127.0.0.1 that serves {@code GET /schemas/ids/{id}} from a map, answers
 * scripted statuses first, and records the Authorization header of each request.
 */
final class RegistryStub implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Server server = new Server();
  private final ServerConnector connector = new ServerConnector(server);
  private final Map<Integer, String> schemas = new ConcurrentHashMap<>();
  private final Queue<Integer> scripted = new ConcurrentLinkedQueue<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();

  RegistryStub() throws Exception {
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            authorizations.add(String.valueOf(request.getHeaders().get(HttpHeader.AUTHORIZATION)));
            answer(request.getHttpURI().getPath(), response, callback);
            return true;
          }
        });
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  RegistryStub schema(int id, String text) {
    schemas.put(id, text);
    return this;
  }

  /** Statuses answered, one per request, before schemas are served. */
  RegistryStub thenStatuses(Integer... statuses) {
    scripted.addAll(List.of(statuses));
    return this;
  }

  int requests() {
    return authorizations.size();
  }

  List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  private void answer(String path, Response response, Callback callback) throws Exception {
    Integer status = scripted.poll();
    String prefix = "/schemas/ids/";
    String schema =
        path.startsWith(prefix)
            ? schemas.get(Integer.valueOf(path.substring(prefix.length())))
            : null;
    String body;
    if (status != null) {
      body = "{\"error_code\":" + status + ",\"message\":\"scripted\"}";
    } else if (schema == null) {
      status = 404;
      body = "{\"error_code\":40403,\"message\":\"Schema not found\"}";
    } else {
      status = 200;
      body = JSON.writeValueAsString(Map.of("schema", schema));
    }
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/vnd.schemaregistry.v1+json");
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
