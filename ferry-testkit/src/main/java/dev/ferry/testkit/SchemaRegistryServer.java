package dev.ferry.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A Confluent-compatible Schema Registry for tests (Jetty 12, loopback, ephemeral port). It serves
 * {@code GET /schemas/ids/{id}} like Confluent's registry: 200 with {@code {"schema": "..."}}, or
 * 404 with error code 40403. Schemas are registered in code; Basic auth can be required.
 *
 * <pre>{@code
 * try (SchemaRegistryServer registry = SchemaRegistryServer.start()) {
 *   int id = registry.register(schema.toString());
 *   byte[] value = AvroFrames.frameJson(id, schema, json);
 *   // ... set schema.registry.url to registry.url() ...
 * }
 * }</pre>
 */
public final class SchemaRegistryServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SCHEMA_BY_ID = Pattern.compile("/schemas/ids/(-?\\d{1,10})/?");
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  private final Server server;
  private final ServerConnector connector;
  private final Map<String, Integer> idsByText = new HashMap<>();
  private final Map<Integer, String> textsById = new ConcurrentHashMap<>();
  private final AtomicInteger schemaRequests = new AtomicInteger();
  private volatile String requiredAuthorization;

  private SchemaRegistryServer() {
    QueuedThreadPool threads = new QueuedThreadPool(32, 2);
    threads.setName("schema-registry");
    threads.setDaemon(true);
    server = new Server(threads);
    server.setStopTimeout(0);
    connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract.NonBlocking() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            serve(request, response, callback);
            return true;
          }
        });
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("could not start the test schema registry", e);
    }
  }

  /** Starts a registry on {@code 127.0.0.1} and an ephemeral port. */
  public static SchemaRegistryServer start() {
    return new SchemaRegistryServer();
  }

  /** The base URL, for {@code schema.registry.url}, such as {@code http://127.0.0.1:41234}. */
  public String url() {
    return "http://127.0.0.1:" + connector.getLocalPort();
  }

  /**
   * Registers an Avro schema and returns its id. Ids start at 1; the same schema registered again
   * keeps its id. The schema is stored and served in Avro's canonical JSON, as Confluent does.
   *
   * @throws org.apache.avro.SchemaParseException when the text is not an Avro schema
   */
  public synchronized int register(String avroSchemaJson) {
    String text = new Schema.Parser().parse(avroSchemaJson).toString();
    Integer known = idsByText.get(text);
    if (known != null) {
      return known;
    }
    int id = idsByText.size() + 1;
    idsByText.put(text, id);
    textsById.put(id, text);
    return id;
  }

  /** From now on, answers 401 to requests without these Basic auth credentials. */
  public void requireBasicAuth(String user, String password) {
    String pair = user + ":" + password;
    requiredAuthorization =
        "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  /** The number of {@code GET /schemas/ids/*} requests received, whatever the answer. */
  public int schemaRequests() {
    return schemaRequests.get();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("could not stop the test schema registry", e);
    }
  }

  @Override
  public String toString() {
    return "SchemaRegistryServer[" + url() + ", " + textsById.size() + " schemas]";
  }

  private void serve(Request request, Response response, Callback callback) {
    Matcher byId = SCHEMA_BY_ID.matcher(request.getHttpURI().getPath());
    boolean get = "GET".equals(request.getMethod());
    if (get && byId.matches()) {
      schemaRequests.incrementAndGet();
    }
    String required = requiredAuthorization;
    if (required != null && !required.equals(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"SchemaRegistry\"");
      answer(response, callback, 401, error(401, "Unauthorized"));
    } else if (!get || !byId.matches()) {
      answer(response, callback, 404, error(404, "HTTP 404 Not Found"));
    } else {
      String text = textsById.get(parseId(byId.group(1)));
      if (text == null) {
        answer(response, callback, 404, error(40403, "Schema " + byId.group(1) + " not found"));
      } else {
        answer(response, callback, 200, JSON.createObjectNode().put("schema", text));
      }
    }
  }

  private static int parseId(String digits) {
    long id = Long.parseLong(digits);
    return id > Integer.MAX_VALUE || id < Integer.MIN_VALUE ? 0 : (int) id;
  }

  private static ObjectNode error(int code, String message) {
    return JSON.createObjectNode().put("error_code", code).put("message", message);
  }

  private static void answer(Response response, Callback callback, int status, ObjectNode body) {
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }
}
