package dev.ferry.connect.sink.config;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Type.INT;
import static org.apache.kafka.common.config.ConfigDef.Type.LIST;
import static org.apache.kafka.common.config.ConfigDef.Type.PASSWORD;
import static org.apache.kafka.common.config.ConfigDef.Type.STRING;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.pipeline.request.UrlTemplate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Where and how requests go: URL, method, headers, timeouts. */
public record RequestConfig(
    UrlTemplate url,
    String method,
    Map<String, String> headers,
    List<String> forwardedHeaders,
    String contentType,
    Duration connectTimeout,
    Duration requestTimeout) {

  public static final String GROUP = "Request";
  public static final String URL = "http.url";
  public static final String METHOD = "http.method";
  public static final String HEADERS = "http.headers";
  public static final String FORWARD_HEADERS = "http.headers.forward";
  public static final String CONTENT_TYPE = "http.content.type";
  public static final String CONNECT_TIMEOUT = "http.connect.timeout.ms";
  public static final String REQUEST_TIMEOUT = "http.request.timeout.ms";

  private static final ObjectMapper JSON = new ObjectMapper();

  static void define(ConfigDef def) {
    int order = 0;
    def.define(
            URL,
            STRING,
            ConfigDef.NO_DEFAULT_VALUE,
            Validators.urlTemplate(),
            HIGH,
            "The target URL. Placeholders are filled from each record: ${topic}, ${partition},"
                + " ${offset}, ${key} and ${value.field} (a field of a JSON value, dots between"
                + " names); they are URL-encoded. Alias: callback.request.url.",
            GROUP,
            ++order,
            ConfigDef.Width.LONG,
            "URL")
        .define(
            METHOD,
            STRING,
            "POST",
            Validators.oneOfIgnoringCase("POST", "PUT", "PATCH", "DELETE"),
            HIGH,
            "The HTTP method. Aliases: callback.request.method, callback.request.methods.",
            GROUP,
            ++order,
            ConfigDef.Width.SHORT,
            "Method")
        .define(
            HEADERS,
            PASSWORD,
            "",
            Validators.headers(),
            MEDIUM,
            "Headers sent with every request: a JSON object such as"
                + " {\"apikey\":\"...\",\"X-Source\":\"kafka\"}, or Name:Value pairs separated by"
                + " commas. Alias: callback.request.headers (the seed's JSON string). Treated as a"
                + " secret, since headers often carry API keys: never logged.",
            GROUP,
            ++order,
            ConfigDef.Width.LONG,
            "Static headers")
        .define(
            FORWARD_HEADERS,
            LIST,
            "",
            LOW,
            "Names of Kafka record headers sent on as HTTP headers. Records with different values"
                + " of these headers never share a request.",
            GROUP,
            ++order,
            ConfigDef.Width.LONG,
            "Forwarded Kafka headers")
        .define(
            CONTENT_TYPE,
            STRING,
            "",
            LOW,
            "The Content-Type header. Empty: application/json, or application/x-ndjson for"
                + " body.format=ndjson. A Content-Type in http.headers wins.",
            GROUP,
            ++order,
            ConfigDef.Width.MEDIUM,
            "Content type")
        .define(
            CONNECT_TIMEOUT,
            INT,
            10_000,
            ConfigDef.Range.atLeast(1),
            LOW,
            "How long to wait for a connection to the target, in milliseconds.",
            GROUP,
            ++order,
            ConfigDef.Width.SHORT,
            "Connect timeout (ms)")
        .define(
            REQUEST_TIMEOUT,
            INT,
            30_000,
            ConfigDef.Range.atLeast(1),
            MEDIUM,
            "How long to wait for the target's response, in milliseconds. A timeout is retried"
                + " like a network error.",
            GROUP,
            ++order,
            ConfigDef.Width.SHORT,
            "Request timeout (ms)");
  }

  static RequestConfig from(AbstractConfig c) {
    return new RequestConfig(
        UrlTemplate.parse(c.getString(URL)),
        c.getString(METHOD).toUpperCase(java.util.Locale.ROOT),
        parseHeaders(c.getPassword(HEADERS).value()),
        c.getList(FORWARD_HEADERS),
        c.getString(CONTENT_TYPE),
        Duration.ofMillis(c.getInt(CONNECT_TIMEOUT)),
        Duration.ofMillis(c.getInt(REQUEST_TIMEOUT)));
  }

  /** A JSON object, or Name:Value pairs separated by commas. */
  static Map<String, String> parseHeaders(String text) {
    String t = text == null ? "" : text.strip();
    if (t.isEmpty()) {
      return Map.of();
    }
    if (t.startsWith("{")) {
      try {
        Map<String, Object> raw = JSON.readValue(t, new TypeReference<Map<String, Object>>() {});
        Map<String, String> headers = new LinkedHashMap<>();
        raw.forEach((k, v) -> headers.put(k, String.valueOf(v)));
        return headers;
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new ConfigException(
            HEADERS,
            "(hidden)",
            "is not a valid JSON object (line "
                + e.getLocation().getLineNr()
                + ", column "
                + e.getLocation().getColumnNr()
                + "): write it like {\"Content-Type\":\"application/json\",\"apikey\":\"...\"}");
      }
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String pair : t.split(",")) {
      int colon = pair.indexOf(':');
      if (colon <= 0) {
        throw new ConfigException(
            HEADERS,
            "(hidden)",
            "has an entry without a name: write Name:Value pairs separated by commas, or a JSON"
                + " object");
      }
      headers.put(pair.substring(0, colon).strip(), pair.substring(colon + 1).strip());
    }
    return headers;
  }
}
