package dev.ferry.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScriptedHttpTargetTest {

  private ScriptedHttpTarget target;
  private HttpClient client;

  @BeforeEach
  void setUp() {
    target = ScriptedHttpTarget.start();
    client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  @AfterEach
  void tearDown() {
    target.close();
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return client.send(postRequest(target.uri(path), body), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest postRequest(URI uri, String body) {
    return HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  @Test
  void answersTheScriptInOrderThenTheDefault() throws Exception {
    target
        .enqueue(Answer.status(503).header("Retry-After", "1"))
        .enqueue(2, Answer.status(500, "{\"error\":\"boom\"}"));
    assertThat(target.pendingAnswers()).isEqualTo(3);

    HttpResponse<String> first = post("/ingest", "{}");
    assertThat(first.statusCode()).isEqualTo(503);
    assertThat(first.headers().firstValue("retry-after")).hasValue("1");
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> r = post("/ingest", "{}");
      assertThat(r.statusCode()).isEqualTo(500);
      assertThat(r.body()).isEqualTo("{\"error\":\"boom\"}");
      assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    }
    HttpResponse<String> fallback = post("/ingest", "{}");
    assertThat(fallback.statusCode()).isEqualTo(200);
    assertThat(fallback.body()).isEqualTo("{\"ok\":true}");

    target.setDefault(Answer.status(202));
    assertThat(post("/ingest", "{}").statusCode()).isEqualTo(202);
    assertThat(target.receivedCount()).isEqualTo(5);
  }

  @Test
  void recordsRequests() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(target.uri("/v1/events?tenant=a&x=1"))
            .header("X-Api-Key", "secret")
            .header("X-Multi", "one")
            .header("X-Multi", "two")
            .PUT(HttpRequest.BodyPublishers.ofString("[{\"id\":1},{\"id\":2}]"))
            .build();
    client.send(request, HttpResponse.BodyHandlers.discarding());
    post("/nd", "{\"id\":3}\n{\"id\":4}\n{\"id\":5}\n");
    post("/one", "{\"id\":6}");

    List<ReceivedRequest> got = target.awaitReceived(3, Duration.ofSeconds(5));
    ReceivedRequest first = got.get(0);
    assertThat(first.method()).isEqualTo("PUT");
    assertThat(first.path()).isEqualTo("/v1/events");
    assertThat(first.query()).isEqualTo("tenant=a&x=1");
    assertThat(first.header("x-api-key")).isEqualTo("secret");
    assertThat(first.header("X-API-KEY")).isEqualTo("secret");
    assertThat(first.headerValues("x-multi")).containsExactly("one", "two");
    assertThat(first.header("absent")).isNull();
    assertThat(first.bodyAsString()).isEqualTo("[{\"id\":1},{\"id\":2}]");
    assertThat(first.receivedAt()).isNotNull();
    assertThat(ids(first)).containsExactly(1, 2);
    assertThat(got.get(1).query()).isNull();
    assertThat(ids(got.get(1))).containsExactly(3, 4, 5);
    assertThat(ids(got.get(2))).containsExactly(6);
    assertThat(target.receivedRecords()).isEqualTo(6);
    assertThat(target.receivedBytes()).isPositive();

    target.clear();
    assertThat(target.received()).isEmpty();
    assertThat(target.receivedCount()).isZero();
    assertThat(target.receivedRecords()).isZero();
  }

  private static List<Integer> ids(ReceivedRequest r) {
    List<Integer> ids = new ArrayList<>();
    for (JsonNode n : r.jsonRecords()) {
      ids.add(n.get("id").asInt());
    }
    return ids;
  }

  @Test
  void delaysTheAnswer() throws Exception {
    target.enqueue(Answer.status(201).delay(Duration.ofMillis(400)));
    long start = System.nanoTime();
    HttpResponse<String> r = post("/slow", "{}");
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(tookMs).isGreaterThanOrEqualTo(400);
  }

  @Test
  void resetsTheConnectionThenServesTheNextRequest() throws Exception {
    target.enqueue(Answer.reset());
    assertThatThrownBy(() -> post("/reset", "{}")).isInstanceOf(IOException.class);
    assertThat(post("/after", "{}").statusCode()).isEqualTo(200);
    assertThat(target.receivedCount()).isEqualTo(2);
  }

  @Test
  void hangsUntilTheClientGivesUpOrTheTargetCloses() throws Exception {
    target.enqueue(Answer.hang(), Answer.hang());
    HttpRequest shortTimeout =
        HttpRequest.newBuilder(target.uri("/hang"))
            .timeout(Duration.ofMillis(300))
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build();
    assertThatThrownBy(() -> client.send(shortTimeout, HttpResponse.BodyHandlers.discarding()))
        .isInstanceOf(HttpTimeoutException.class);

    CompletableFuture<HttpResponse<Void>> pending =
        client.sendAsync(
            postRequest(target.uri("/hang"), "{}"), HttpResponse.BodyHandlers.discarding());
    target.awaitReceived(2, Duration.ofSeconds(5));
    assertThat(pending).isNotDone();
    target.close();
    assertThat(pending)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(IOException.class);
  }

  @Test
  void answersFromAFunctionOfTheRequest() throws Exception {
    target.respondWith(
        r -> r.bodyAsString().contains("poison") ? Answer.status(400, "poisoned") : null);
    target.enqueue(Answer.status(503));
    assertThat(post("/x", "poison").statusCode()).isEqualTo(503); // the script comes first
    assertThat(post("/x", "[\"poison\"]").statusCode()).isEqualTo(400);
    assertThat(post("/x", "[\"fine\"]").statusCode()).isEqualTo(200);
    target.respondWith(null);
    assertThat(post("/x", "poison").statusCode()).isEqualTo(200);
  }

  @Test
  void sustainsManyConcurrentRequestsWithoutRecordingBodies() throws Exception {
    target.recordBodies(false);
    int requests = 2_000;
    String body = "[{\"n\":1},{\"n\":2},{\"n\":3}]";
    List<CompletableFuture<HttpResponse<Void>>> all = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      all.add(
          client.sendAsync(
              postRequest(target.uri("/bulk"), body), HttpResponse.BodyHandlers.discarding()));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    for (CompletableFuture<HttpResponse<Void>> f : all) {
      assertThat(f.join().statusCode()).isEqualTo(200);
    }
    List<ReceivedRequest> got = target.awaitReceived(requests, Duration.ofSeconds(5));
    assertThat(got).hasSize(requests).allSatisfy(r -> assertThat(r.body()).isEmpty());
    assertThat(target.receivedRecords()).isEqualTo(3L * requests);
    assertThat(target.receivedBytes()).isEqualTo((long) body.length() * requests);
  }
}
