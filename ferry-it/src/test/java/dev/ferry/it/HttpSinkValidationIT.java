package dev.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.ferry.testkit.Answer;
import dev.ferry.testkit.ReceivedRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.junit.jupiter.api.Test;

/**
 * What the worker's {@code PUT /connector-plugins/HttpSinkConnector/config/validate} says about a
 * config: each error on the key to change, telling the fix; and secrets kept out of what the REST
 * API shows.
 */
class HttpSinkValidationIT extends SinkTestBase {
  private static final String SECRET = "SECRET-XYZ-123";

  @Test
  void seedStyleConfigHasNoErrors() {
    ConfigInfos infos = validate(seedConfig());

    assertThat(errorsByKey(infos)).isEmpty();
    assertThat(infos.errorCount()).isZero();
  }

  @Test
  void completeDeadLetterConfigHasNoErrors() {
    Map<String, String> config = seedConfig();
    config.put("exception.strategy", "DEAD_LETTER");
    config.put("errors.tolerance", "all");
    config.put("errors.deadletterqueue.topic.name", "dlq");
    config.put("errors.deadletterqueue.topic.replication.factor", "1");

    assertThat(errorsByKey(validate(config))).isEmpty();
  }

  @Test
  void aMappingThatDoesNotCompileIsAnErrorOnMappingSourceWithItsPosition() {
    Map<String, String> config = seedConfig();
    config.put("mapping.language", "jsonata");
    config.put("mapping.source", "{\"id\": sku,, }");
    assertThat(errorsByKey(validate(config)).get("mapping.source"))
        .singleElement()
        .asString()
        .containsIgnoringCase("position");

    config.put("mapping.language", "javascript");
    config.put("mapping.source", "function map(m) {\n  return {type: 'item',,};\n}");
    assertThat(errorsByKey(validate(config)).get("mapping.source"))
        .singleElement()
        .asString()
        .contains("2:");

    config.put("mapping.source", "function transform(m) { return m; }");
    assertThat(errorsByKey(validate(config)).get("mapping.source"))
        .singleElement()
        .asString()
        .contains("function map(message, meta)");

    config.put("mapping.source", "file:/no/such/mapping.js");
    assertThat(errorsByKey(validate(config)).get("mapping.source"))
        .singleElement()
        .asString()
        .contains("/no/such/mapping.js");
  }

  @Test
  void catalogKeysAreCheckedWithTheirFix() {
    Map<String, String> config = seedConfig();
    config.put("body.format", "grouped");
    config.put("delta.mode", "skip_unchanged");
    config.put("grouped.names", "item=items");
    config.put("schema.registry.url", "registry:8081");
    config.put("http.compression", "brotli");
    config.put("buffer.max.records", "2000");

    Map<String, List<String>> errors = errorsByKey(validate(config));

    assertThat(errors)
        .containsOnlyKeys(
            "delta.store.bootstrap.servers",
            "grouped.names",
            "schema.registry.url",
            "http.compression",
            "buffer.max.records");
    assertThat(errors.get("buffer.max.records").get(0)).contains("below batch.max.records (10000)");
    assertThat(errors.get("delta.store.bootstrap.servers").get(0))
        .contains("set delta.store.bootstrap.servers");
    assertThat(errors.get("grouped.names").get(0)).contains("item:items");
    assertThat(errors.get("schema.registry.url").get(0)).contains("http(s) URL");
    assertThat(errors.get("http.compression").get(0)).contains("none, gzip");

    config.put("delta.store.bootstrap.servers", cluster.bootstrapServers());
    config.put("grouped.names", "item:products,variation:variants");
    config.put("schema.registry.url", "https://registry.example.com");
    config.put("http.compression", "gzip");
    config.remove("buffer.max.records");
    assertThat(errorsByKey(validate(config))).isEmpty();
  }

  @Test
  void deadLetterWithoutATopicIsAnErrorOnErrorStrategy() {
    Map<String, String> config = seedConfig();
    config.remove("exception.strategy");
    config.put("error.strategy", "DEAD_LETTER");
    config.put("errors.tolerance", "all");

    Map<String, List<String>> errors = errorsByKey(validate(config));

    assertThat(errors).containsOnlyKeys("error.strategy");
    assertThat(errors.get("error.strategy"))
        .singleElement()
        .asString()
        .contains("errors.deadletterqueue.topic.name");
  }

  @Test
  void deadLetterWithoutToleranceAllIsAnErrorOnErrorStrategy() {
    Map<String, String> config = seedConfig();
    config.put("exception.strategy", "DEAD_LETTER"); // the seed's key
    config.put("errors.deadletterqueue.topic.name", "dlq");
    config.put("errors.deadletterqueue.topic.replication.factor", "1");

    Map<String, List<String>> errors = errorsByKey(validate(config));

    assertThat(errors).containsKey("error.strategy");
    assertThat(errors.get("error.strategy"))
        .anySatisfy(m -> assertThat(m).contains("errors.tolerance=all"));
  }

  @Test
  void strategyAndItsSeedAliasSetDifferentlyWithDeadLetterReportsBothErrors() {
    // exception.strategy (the seed's key) and error.strategy disagree, and the DEAD_LETTER
    // requirements are missing: two messages for error.strategy, not a failed REST call
    Map<String, String> config = seedConfig();
    config.put("exception.strategy", "PROGRESS_BACK_OFF_DROP_MESSAGE");
    config.put("error.strategy", "DEAD_LETTER");
    config.put("errors.tolerance", "all");

    AtomicReference<ConfigInfos> infos = new AtomicReference<>();
    assertThatCode(() -> infos.set(validate(config)))
        .as("PUT .../config/validate answers with errors (not HTTP 500) for this config")
        .doesNotThrowAnyException();
    Map<String, List<String>> errors = errorsByKey(infos.get());

    assertThat(errors).containsOnlyKeys("error.strategy");
    assertThat(errors.get("error.strategy"))
        .anySatisfy(m -> assertThat(m).contains("exception.strategy"))
        .anySatisfy(m -> assertThat(m).contains("errors.deadletterqueue.topic.name"));
  }

  @Test
  void basicAuthWithoutAPasswordIsAnErrorOnThePassword() {
    Map<String, String> config = seedConfig();
    config.put("http.auth.type", "basic");
    config.put("http.auth.basic.username", "ferry");

    Map<String, List<String>> errors = errorsByKey(validate(config));

    assertThat(errors).containsOnlyKeys("http.auth.basic.password");
    assertThat(errors.get("http.auth.basic.password"))
        .singleElement()
        .asString()
        .contains("http.auth.basic.password is required")
        .contains("http.auth.type=basic");
  }

  @Test
  void badUrlIsAnErrorOnTheUrl() {
    Map<String, String> config = seedConfig();
    config.remove("callback.request.url");
    config.put("http.url", "not a url");

    Map<String, List<String>> errors = errorsByKey(validate(config));

    assertThat(errors).containsOnlyKeys("http.url");
    assertThat(errors.get("http.url"))
        .singleElement()
        .asString()
        .contains("not a url")
        .as("the error tells how to write the URL")
        .contains("https://");
  }

  @Test
  void urlWithoutHttpSchemeIsAnErrorOnTheUrl() {
    Map<String, String> config = seedConfig();
    config.remove("callback.request.url");
    config.put("http.url", "ftp://files.example.com/upload");

    Map<String, List<String>> errors = errorsByKey(validate(config));

    assertThat(errors)
        .as("errors for http.url=ftp://... (the key documents 'an absolute http(s) URL')")
        .containsOnlyKeys("http.url");
    assertThat(errors.get("http.url")).singleElement().asString().contains("ftp");
  }

  @Test
  void badBackoffNamesTheBadPart() {
    Map<String, String> config = seedConfig();
    config.put("retry.backoff.sec", "5,abc");

    Map<String, List<String>> errors = errorsByKey(validate(config));

    assertThat(errors).containsOnlyKeys("retry.backoff.sec");
    assertThat(errors.get("retry.backoff.sec"))
        .singleElement()
        .asString()
        .contains("'abc'")
        .contains("5,30,60,300,600");
  }

  @Test
  void statusCodeOutOfRangeIsAnError() {
    Map<String, String> config = seedConfig();
    config.put("http.retry.status.codes", "700");

    Map<String, List<String>> errors = errorsByKey(validate(config));

    assertThat(errors).containsOnlyKeys("http.retry.status.codes");
    assertThat(errors.get("http.retry.status.codes"))
        .singleElement()
        .asString()
        .contains("'700'")
        .contains("100 to 599");
  }

  @Test
  void urlAndItsSeedAliasSetDifferentlyIsAnErrorOnTheUrl() {
    Map<String, String> config = seedConfig();
    config.put("http.url", target.uri("/other").toString());

    Map<String, List<String>> errors = errorsByKey(validate(config));

    assertThat(errors).containsOnlyKeys("http.url");
    assertThat(errors.get("http.url"))
        .singleElement()
        .asString()
        .contains("callback.request.url")
        .contains("keep one of them");
  }

  @Test
  void sameUrlUnderBothKeysIsFine() {
    Map<String, String> config = seedConfig();
    config.put("http.url", config.get("callback.request.url"));

    assertThat(errorsByKey(validate(config))).isEmpty();
  }

  @Test
  void invalidHeadersNeverEchoTheSecretInTheError() {
    // a forgotten pair of quotes around an API key
    Map<String, String> config = seedConfig();
    config.put("callback.request.headers", "{\"apikey\": SECRETXYZ123}");

    ConfigInfos infos = validate(config);
    Map<String, List<String>> errors = errorsByKey(infos);

    assertThat(errors).containsOnlyKeys("http.headers");
    assertThat(errors.get("http.headers")).singleElement().asString().contains("JSON object");
    assertThat(String.join("\n", errors.get("http.headers")))
        .as("the error for a malformed http.headers (a secret)")
        .doesNotContain("SECRETXYZ123");
    assertThat(infos.configs())
        .extracting(info -> String.valueOf(info.configValue().value()))
        .noneMatch(value -> value.contains("SECRETXYZ123"));
  }

  @Test
  void secretNeverShowsInTheStatusOrTheTaskTrace() {
    cluster.createTopic(topic, 1);
    Map<String, String> config = sinkConfig("/secured");
    config.put("http.auth.type", "header");
    config.put("http.auth.header.value", SECRET);
    config.put("retry.backoff.sec", "0.1");
    run(config);
    target.setDefault(Answer.status(401, "{\"error\":\"invalid credentials\"}"));

    produce(1, 1);

    String trace = cluster.awaitTaskFailed(connector, WAIT);
    List<ReceivedRequest> requests = target.received();
    assertThat(requests).isNotEmpty();
    assertThat(requests.get(0).header("Authorization")).isEqualTo(SECRET); // it was in use
    assertThat(trace).contains("HTTP 401").doesNotContain(SECRET);
    assertThat(rawStatus()).contains("FAILED").doesNotContain(SECRET);
  }

  @Test
  void secretNeverShowsInTheTraceOfATaskThatCannotStart() {
    cluster.createTopic(topic, 1);
    Map<String, String> config = sinkConfig("/secured");
    config.put("http.auth.type", "header");
    config.put("http.auth.header.name", "X Api Key"); // not a valid header name
    config.put("http.auth.header.value", SECRET);
    cluster.configureConnector(connector, config);

    String trace = cluster.awaitTaskFailed(connector, WAIT);

    assertThat(trace).contains("X Api Key").doesNotContain(SECRET);
    assertThat(rawStatus()).doesNotContain(SECRET);
  }

  /** The config the seed connector's users post, with only connector.class changed. */
  private Map<String, String> seedConfig() {
    Map<String, String> c = new HashMap<>();
    c.put("name", connector);
    c.put("connector.class", "HttpSinkConnector");
    c.put("tasks.max", "1");
    c.put("topics", topic);
    c.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    c.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
    c.put("header.converter", "org.apache.kafka.connect.storage.StringConverter");
    c.put("callback.request.url", target.uri("/callback").toString());
    c.put("callback.request.method", "POST");
    c.put("callback.request.headers", "{\"Content-Type\":\"application/json\",\"apikey\":\"KEY\"}");
    c.put("retry.backoff.sec", "5,60,120,300,600");
    c.put("exception.strategy", "PROGRESS_BACK_OFF_DROP_MESSAGE");
    return c;
  }

  private ConfigInfos validate(Map<String, String> config) {
    return cluster.connect().validateConnectorConfig("HttpSinkConnector", config);
  }

  /** The keys with errors and their messages. */
  private static Map<String, List<String>> errorsByKey(ConfigInfos infos) {
    Map<String, List<String>> errors = new HashMap<>();
    for (ConfigInfo info : infos.configs()) {
      List<String> messages = info.configValue().errors();
      if (messages != null && !messages.isEmpty()) {
        errors.put(info.configValue().name(), messages);
      }
    }
    return errors;
  }

  /** The body of {@code GET /connectors/{name}/status}, as the worker sends it. */
  private String rawStatus() {
    String url = cluster.connect().endpointForResource("connectors/" + connector + "/status");
    return String.valueOf(cluster.connect().requestGet(url).getEntity());
  }
}
