package dev.ferry.pipeline.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.http.HttpSender;
import dev.ferry.http.HttpSettings;
import dev.ferry.http.Request;
import dev.ferry.http.Response;
import dev.ferry.http.Secret;
import dev.ferry.http.auth.Auth;
import dev.ferry.http.auth.BasicAuth;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * A Confluent-compatible Schema Registry client: {@code GET {url}/schemas/ids/{id}}. Schemas are
 * immutable, so each one is fetched once and kept; concurrent requests for the same id share one
 * fetch. Failures are never cached. Thread-safe.
 */
public final class SchemaRegistryClient implements SchemaSource, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<Map.Entry<String, String>> HEADERS =
      List.of(Map.entry("Accept", "application/vnd.schemaregistry.v1+json, application/json"));

  /** The pauses before the second and third attempts. */
  private static final List<Duration> BACKOFF =
      List.of(Duration.ofMillis(100), Duration.ofMillis(400));

  private final String base;
  private final String shown;
  private final HttpSender sender;
  private final Map<Integer, RegisteredSchema> cache = new ConcurrentHashMap<>();
  private final Map<Integer, CompletableFuture<RegisteredSchema>> inFlight =
      new ConcurrentHashMap<>();

  /**
   * @param url the registry's base URL, such as {@code http://registry:8081}
   * @param basicAuthUserInfo {@code user:password} for Basic auth, or null for none
   * @param http timeouts and TLS
   * @throws IllegalArgumentException when {@code basicAuthUserInfo} is not {@code user:password}
   */
  public SchemaRegistryClient(URI url, String basicAuthUserInfo, HttpSettings http) {
    String text = url.toString();
    this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    this.shown = shown(url);
    this.sender = new HttpSender(http, auth(basicAuthUserInfo));
  }

  @Override
  public RegisteredSchema schema(int id) throws DecodeException {
    RegisteredSchema known = cache.get(id);
    if (known != null) {
      return known;
    }
    CompletableFuture<RegisteredSchema> mine = new CompletableFuture<>();
    CompletableFuture<RegisteredSchema> theirs = inFlight.putIfAbsent(id, mine);
    if (theirs != null) {
      return await(theirs);
    }
    try {
      known = cache.get(id); // fetched by another thread between our two looks
      RegisteredSchema schema = known != null ? known : fetch(id);
      cache.put(id, schema);
      mine.complete(schema);
      return schema;
    } catch (DecodeException | RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(id, mine);
    }
  }

  private RegisteredSchema fetch(int id) throws DecodeException {
    Request request =
        new Request("GET", URI.create(base + "/schemas/ids/" + id), HEADERS, new byte[0]);
    String failure = null;
    for (int attempt = 0; attempt <= BACKOFF.size(); attempt++) {
      if (attempt > 0) {
        pause(BACKOFF.get(attempt - 1));
      }
      Response response;
      try {
        response = sender.send(request);
      } catch (IOException e) {
        failure = describe(e);
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DecodeException("interrupted while fetching schema id " + id, true, e);
      }
      if (response.isSuccess()) {
        return parse(id, response);
      }
      if (response.status() == 404) {
        if (isSchemaNotFound(response)) {
          throw new DecodeException(
              "schema id " + id + " not found in the schema registry at " + shown, false);
        }
        // Not the registry's own "no such schema" (error_code 40403): a wrong URL or path.
        throw new DecodeException(
            "the schema registry at "
                + shown
                + " has no /schemas/ids/"
                + id
                + " endpoint (HTTP 404 without error_code 40403): check schema.registry.url",
            true);
      }
      if (response.status() == 401 || response.status() == 403) {
        throw new DecodeException(
            "the schema registry at "
                + shown
                + " refused the credentials (HTTP "
                + response.status()
                + "): check schema.registry.basic.auth.user.info",
            true);
      }
      failure = "HTTP " + response.status() + " " + response.excerpt(120);
    }
    throw new DecodeException(
        "schema registry at " + shown + " unreachable: " + failure.strip(), true);
  }

  /** Confluent's registry answers an unknown id with {@code {"error_code": 40403, ...}}. */
  private static boolean isSchemaNotFound(Response response) {
    try {
      JsonNode body = JSON.readTree(response.body());
      return body != null && body.path("error_code").asInt() == 40403;
    } catch (IOException e) {
      return false;
    }
  }

  private RegisteredSchema parse(int id, Response response) throws DecodeException {
    try {
      JsonNode body = JSON.readTree(response.body());
      JsonNode schema = body == null ? null : body.get("schema");
      if (schema != null && schema.isTextual()) {
        JsonNode type = body.get("schemaType");
        return new RegisteredSchema(
            id, type != null && type.isTextual() ? type.asText() : "AVRO", schema.asText());
      }
    } catch (IOException e) {
      // Not JSON: reported below.
    }
    throw new DecodeException(
        "the schema registry at "
            + shown
            + " answered schema id "
            + id
            + " without a \"schema\" field: check schema.registry.url",
        true);
  }

  private static RegisteredSchema await(CompletableFuture<RegisteredSchema> fetch)
      throws DecodeException {
    try {
      return fetch.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DecodeException("interrupted while waiting for the schema registry", true, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof DecodeException failed) {
        throw new DecodeException(failed.getMessage(), failed.retriable(), failed);
      }
      throw new IllegalStateException("fetching a schema failed", e.getCause());
    }
  }

  private static void pause(Duration pause) throws DecodeException {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DecodeException("interrupted while waiting to retry the schema registry", true, e);
    }
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    String name = e.getClass().getSimpleName();
    return message == null || message.isBlank() ? name : name + ": " + message;
  }

  private static Auth auth(String userInfo) {
    if (userInfo == null || userInfo.isEmpty()) {
      return Auth.none();
    }
    int colon = userInfo.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(
          "schema.registry.basic.auth.user.info must be user:password, and it holds no ':'");
    }
    return new BasicAuth(userInfo.substring(0, colon), Secret.of(userInfo.substring(colon + 1)));
  }

  /** The URL without user info, for messages. */
  private static String shown(URI url) {
    if (url.getRawUserInfo() == null) {
      return url.toString();
    }
    return url.getScheme()
        + "://"
        + url.getHost()
        + (url.getPort() < 0 ? "" : ":" + url.getPort())
        + (url.getRawPath() == null ? "" : url.getRawPath());
  }

  @Override
  public void close() {
    sender.close();
  }

  @Override
  public String toString() {
    return "SchemaRegistryClient[" + shown + "]";
  }
}
