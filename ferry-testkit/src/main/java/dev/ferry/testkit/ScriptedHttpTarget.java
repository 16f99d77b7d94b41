package dev.ferry.testkit;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A real HTTP server (Jetty 12, loopback, ephemeral port) that answers from a script and records
 * what it receives, for testing HTTP clients against failures.
 *
 * <p>Each request takes the next {@link Answer} from the queue ({@link #enqueue}); when the queue
 * is empty, the {@link #respondWith} function decides (if set and it returns non-null), and
 * otherwise the default answer ({@link #setDefault}, initially {@link Answer#ok()}). Delays, hangs
 * and resets do not hold a server thread, so thousands of requests per second and many hanging
 * requests are fine.
 *
 * <pre>{@code
 * try (ScriptedHttpTarget target = ScriptedHttpTarget.start()) {
 *   target.enqueue(Answer.status(503).header("Retry-After", "1"));
 *   target.respondWith(r -> r.bodyAsString().contains("poison") ? Answer.status(400) : null);
 *   // ... point the client at target.uri("/ingest") ...
 *   List<ReceivedRequest> got = target.awaitReceived(2, Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class ScriptedHttpTarget implements AutoCloseable {

  private final Server server;
  private final ServerConnector connector;
  private final String scheme;
  private final ScriptHandler handler = new ScriptHandler(this::nextAnswer, this::record);
  private final Queue<Answer> script = new ConcurrentLinkedQueue<>();
  private final Queue<ReceivedRequest> received = new ConcurrentLinkedQueue<>();
  private final LongAdder requestCount = new LongAdder();
  private final LongAdder byteCount = new LongAdder();
  private final LongAdder recordCount = new LongAdder();
  private volatile Answer defaultAnswer = Answer.ok();
  private volatile Function<ReceivedRequest, Answer> responder;
  private volatile boolean recordBodies = true;

  private ScriptedHttpTarget(SslContextFactory.Server tls) {
    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("scripted-http");
    threads.setDaemon(true);
    server = new Server(threads);
    server.setStopTimeout(0);
    connector = tls == null ? new ServerConnector(server) : new ServerConnector(server, tls);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    connector.setIdleTimeout(TimeUnit.MINUTES.toMillis(2));
    connector.setAcceptQueueSize(1024);
    scheme = tls == null ? "http" : "https";
    server.addConnector(connector);
    server.setHandler(handler);
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("could not start the scripted HTTP target", e);
    }
  }

  /** Starts a plain-HTTP target on {@code 127.0.0.1} and an ephemeral port. */
  public static ScriptedHttpTarget start() {
    return new ScriptedHttpTarget(null);
  }

  /**
   * Starts an HTTPS target.
   *
   * @param keyStore the server's key store (PKCS12 or JKS, detected by Jetty)
   * @param password the password of the key store, its key, and the trust store
   * @param needClientAuth whether clients must present a certificate trusted by {@code trustStore}
   * @param trustStore the store of trusted client certificates, or {@code null} for none
   */
  public static ScriptedHttpTarget startTls(
      Path keyStore, String password, boolean needClientAuth, Path trustStore) {
    SslContextFactory.Server tls = new SslContextFactory.Server();
    tls.setKeyStorePath(keyStore.toString());
    tls.setKeyStorePassword(password);
    tls.setKeyManagerPassword(password);
    tls.setNeedClientAuth(needClientAuth);
    if (trustStore != null) {
      tls.setTrustStorePath(trustStore.toString());
      tls.setTrustStorePassword(password);
    }
    return new ScriptedHttpTarget(tls);
  }

  /** The port the target listens on. */
  public int port() {
    return connector.getLocalPort();
  }

  /** The absolute URI of {@code path} (with or without a leading slash, may carry a query). */
  public URI uri(String path) {
    String p = path.startsWith("/") ? path : "/" + path;
    return URI.create(scheme + "://127.0.0.1:" + port() + p);
  }

  /** Appends answers to the script, used one per request in order. */
  public ScriptedHttpTarget enqueue(Answer... answers) {
    for (Answer a : answers) {
      script.add(Objects.requireNonNull(a, "answer"));
    }
    return this;
  }

  /** Appends {@code times} copies of {@code answer} to the script. */
  public ScriptedHttpTarget enqueue(int times, Answer answer) {
    Objects.requireNonNull(answer, "answer");
    for (int i = 0; i < times; i++) {
      script.add(answer);
    }
    return this;
  }

  /** The number of scripted answers not used yet. */
  public int pendingAnswers() {
    return script.size();
  }

  /** Sets the answer used when the script is empty and {@link #respondWith} does not decide. */
  public ScriptedHttpTarget setDefault(Answer answer) {
    defaultAnswer = Objects.requireNonNull(answer, "answer");
    return this;
  }

  /**
   * Sets a function consulted for each request when the script is empty; it sees the full request
   * (even with {@code recordBodies(false)}) and returns the answer, or {@code null} for the
   * default. It runs on server threads and must be thread-safe. {@code null} removes it.
   */
  public ScriptedHttpTarget respondWith(Function<ReceivedRequest, Answer> function) {
    responder = function;
    return this;
  }

  /**
   * Whether request bodies are kept in {@link #received()} (bytes and records are counted anyway).
   */
  public ScriptedHttpTarget recordBodies(boolean record) {
    recordBodies = record;
    return this;
  }

  /** A snapshot of the requests received so far, in arrival order. */
  public List<ReceivedRequest> received() {
    return List.copyOf(received);
  }

  /** The number of requests received so far (cheap). */
  public int receivedCount() {
    return requestCount.intValue();
  }

  /** The number of body bytes received so far. */
  public long receivedBytes() {
    return byteCount.sum();
  }

  /**
   * The number of JSON records received so far: array elements, NDJSON lines or single values,
   * counted without parsing (see {@link ReceivedRequest#jsonRecords()} for the parsed form).
   */
  public long receivedRecords() {
    return recordCount.sum();
  }

  /** Forgets the received requests and resets the counters; the script is kept. */
  public void clear() {
    received.clear();
    requestCount.reset();
    byteCount.reset();
    recordCount.reset();
  }

  /** Waits until at least {@code count} requests arrived and returns the snapshot. */
  public List<ReceivedRequest> awaitReceived(int count, Duration timeout) {
    await("at least " + count + " requests at " + uri("/"))
        .atMost(timeout)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> receivedCount() >= count);
    return received();
  }

  /** Waits until at least {@code count} JSON records arrived (see {@link #receivedRecords()}). */
  public void awaitRecords(long count, Duration timeout) {
    await("at least " + count + " records at " + uri("/"))
        .atMost(timeout)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> receivedRecords() >= count);
  }

  /** Stops the server, aborting hanging requests. */
  @Override
  public void close() {
    handler.abortHanging();
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("could not stop the scripted HTTP target", e);
    }
  }

  private Answer nextAnswer(ReceivedRequest request) {
    Answer scripted = script.poll();
    if (scripted != null) {
      return scripted;
    }
    Function<ReceivedRequest, Answer> f = responder;
    Answer decided = f == null ? null : f.apply(request);
    return decided != null ? decided : defaultAnswer;
  }

  private void record(ReceivedRequest r) {
    received.add(
        recordBodies
            ? r
            : new ReceivedRequest(
                r.method(), r.path(), r.query(), r.headers(), new byte[0], r.receivedAt()));
    byteCount.add(r.body().length);
    recordCount.add(JsonRecordCounter.count(r.body()));
    requestCount.increment();
  }

  @Override
  public String toString() {
    return "ScriptedHttpTarget[" + uri("/") + ", scripted " + Arrays.asList(script.toArray()) + "]";
  }
}
