package dev.ferry.http.testing;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A real Jetty target on an ephemeral port of 127.0.0.1 that records the {@code Authorization}
 * header of each request and answers 200 and {@code {}}, or what was queued with {@link
 * #answerNext(int, String)}.
 */
public final class TargetServer implements AutoCloseable {
  private final Server server = new Server();
  private final ServerConnector connector;
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
  private final String scheme;

  private TargetServer(SslContextFactory.Server tls) {
    if (tls == null) {
      connector = new ServerConnector(server);
      scheme = "http";
    } else {
      HttpConfiguration https = new HttpConfiguration();
      https.addCustomizer(new SecureRequestCustomizer());
      connector =
          new ServerConnector(
              server,
              new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString()),
              new HttpConnectionFactory(https));
      scheme = "https";
    }
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            Content.Source.asString(request); // read the body before answering, to keep alive
            String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
            authorizations.add(auth == null ? "" : auth);
            Answer answer = answers.poll();
            response.setStatus(answer == null ? 200 : answer.status());
            String body = answer == null ? "{}" : answer.body();
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
            return true;
          }
        });
  }

  /** A plain HTTP target. */
  public static TargetServer http() throws Exception {
    TargetServer target = new TargetServer(null);
    target.server.start();
    return target;
  }

  /** An HTTPS target with the given server TLS settings. */
  public static TargetServer https(SslContextFactory.Server tls) throws Exception {
    TargetServer target = new TargetServer(tls);
    target.server.start();
    return target;
  }

  private record Answer(int status, String body) {}

  /** Answers the next request with this status instead of 200. */
  public void answerNext(int status) {
    answerNext(status, "{}");
  }

  /** Answers the next request with this status and JSON body instead of 200 and {@code {}}. */
  public void answerNext(int status, String body) {
    answers.add(new Answer(status, body));
  }

  /** The target's URI on {@code host} (use "localhost" for HTTPS, to match the certificate). */
  public URI uri(String host) {
    return URI.create(scheme + "://" + host + ":" + connector.getLocalPort() + "/ingest");
  }

  public URI uri() {
    return uri("127.0.0.1");
  }

  /** The Authorization header of each request so far, "" where there was none. */
  public List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
