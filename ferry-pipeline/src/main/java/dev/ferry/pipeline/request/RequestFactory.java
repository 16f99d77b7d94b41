package dev.ferry.pipeline.request;

import dev.ferry.http.Request;
import dev.ferry.pipeline.body.BodyFormat;
import dev.ferry.pipeline.body.GroupedBody;
import dev.ferry.pipeline.body.OutputBodies;
import dev.ferry.pipeline.record.PipelineRecord;
import dev.ferry.pipeline.shape.Entity;
import dev.ferry.pipeline.shape.Output;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Builds the HTTP request for a batch: URL from the template, static headers, Kafka headers
 * forwarded as HTTP headers, the content type and an {@code Idempotency-Key} that is the same
 * whenever the same records are sent again.
 */
public final class RequestFactory {
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private final UrlTemplate url;
  private final String method;
  private final List<Map.Entry<String, String>> staticHeaders;
  private final List<String> forwardedHeaders;
  private final BodyFormat format;
  private final GroupedBody grouped;
  private final String deleteMethod;
  private final UrlTemplate deleteUrl;
  private final boolean gzip;

  /**
   * @param staticHeaders headers sent on every request; a Content-Type here overrides the format's
   * @param forwardedHeaders names of Kafka headers to send as HTTP headers
   */
  public RequestFactory(
      UrlTemplate url,
      String method,
      Map<String, String> staticHeaders,
      List<String> forwardedHeaders,
      BodyFormat format,
      String contentType) {
    this(url, method, staticHeaders(staticHeaders, contentType), forwardedHeaders, format);
  }

  private RequestFactory(
      UrlTemplate url,
      String method,
      List<Map.Entry<String, String>> staticHeaders,
      List<String> forwardedHeaders,
      BodyFormat format) {
    this(url, method, staticHeaders, forwardedHeaders, format, null, "DELETE", url, false);
  }

  private RequestFactory(
      UrlTemplate url,
      String method,
      List<Map.Entry<String, String>> staticHeaders,
      List<String> forwardedHeaders,
      BodyFormat format,
      GroupedBody grouped,
      String deleteMethod,
      UrlTemplate deleteUrl,
      boolean gzip) {
    this.url = url;
    this.method = method;
    this.staticHeaders = staticHeaders;
    this.forwardedHeaders = List.copyOf(forwardedHeaders);
    this.format = format;
    this.grouped = grouped;
    this.deleteMethod = deleteMethod;
    this.deleteUrl = deleteUrl;
    this.gzip = gzip;
  }

  /**
   * The same factory for {@link BodyFormat#GROUPED} bodies; deletes go with {@code deleteMethod} to
   * {@code deleteUrl}.
   */
  public RequestFactory withGrouped(
      GroupedBody grouped, String deleteMethod, UrlTemplate deleteUrl) {
    return new RequestFactory(
        url,
        method,
        staticHeaders,
        forwardedHeaders,
        format,
        grouped,
        deleteMethod,
        deleteUrl,
        gzip);
  }

  /** The same factory, gzipping request bodies ({@code Content-Encoding: gzip}) when true. */
  public RequestFactory withGzip(boolean on) {
    return new RequestFactory(
        url, method, staticHeaders, forwardedHeaders, format, grouped, deleteMethod, deleteUrl, on);
  }

  private static List<Map.Entry<String, String>> staticHeaders(
      Map<String, String> staticHeaders, String contentType) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", contentType);
    staticHeaders.forEach(
        (name, value) -> {
          headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
          headers.put(name, value);
        });
    return List.copyOf(headers.entrySet());
  }

  public BodyFormat format() {
    return format;
  }

  /** Records with equal group keys may share one request; null when all records may. */
  public String groupKey(PipelineRecord record) {
    boolean deletesVary = format == BodyFormat.GROUPED && !deleteUrl.isStatic();
    if (url.isStatic() && forwardedHeaders.isEmpty() && !deletesVary) {
      return null;
    }
    StringBuilder key = new StringBuilder(url.render(record));
    if (deletesVary) {
      key.append('\n').append(deleteUrl.render(record));
    }
    for (String name : forwardedHeaders) {
      key.append('\n').append(record.header(name));
    }
    return key.toString();
  }

  /** The request that carries these records (all of one group). */
  public Request build(List<PipelineRecord> batch) {
    PipelineRecord first = batch.get(0);
    if (first.isTombstone()) {
      return new Request(
          "DELETE", URI.create(url.render(first)), headers(batch, false, ""), new byte[0]);
    }
    return body(method, url.render(first), headers(batch, true, ""), format.encode(batch));
  }

  /**
   * The requests that carry what these records were mapped to, in the order they must be sent; none
   * when there is nothing to send. Grouped bodies take one request for the upserts and one for the
   * deletes (more when an entity deleted in the batch is upserted again).
   */
  public List<Request> build(List<PipelineRecord> batch, List<Output> outputs) {
    if (outputs.isEmpty()) {
      return List.of();
    }
    PipelineRecord first = batch.get(0);
    if (format != BodyFormat.GROUPED) {
      return List.of(
          body(
              method,
              url.render(first),
              headers(batch, true, ""),
              OutputBodies.encode(format, outputs)));
    }
    List<Entity> entities = new ArrayList<>(outputs.size());
    for (Output o : outputs) {
      entities.add((Entity) o);
    }
    // Each part: its upserts, then its deletes; empty halves send nothing.
    List<List<Entity>> bodies = new ArrayList<>();
    for (GroupedBody.Part part : GroupedBody.parts(entities)) {
      bodies.add(part.upserts());
      bodies.add(part.deletes());
    }
    long count = bodies.stream().filter(b -> !b.isEmpty()).count();
    List<Request> requests = new ArrayList<>((int) count);
    for (int i = 0; i < bodies.size(); i++) {
      List<Entity> body = bodies.get(i);
      if (body.isEmpty()) {
        continue;
      }
      boolean deletes = i % 2 == 1;
      String suffix = count == 1 ? "" : "-" + (requests.size() + 1);
      requests.add(
          body(
              deletes ? deleteMethod : method,
              (deletes ? deleteUrl : url).render(first),
              headers(batch, true, suffix),
              grouped.encode(body)));
    }
    return requests;
  }

  private Request body(
      String method, String uri, List<Map.Entry<String, String>> headers, byte[] body) {
    if (gzip && body.length > 0) {
      headers.add(Map.entry("Content-Encoding", "gzip"));
      body = gzip(body);
    }
    return new Request(method, URI.create(uri), headers, body);
  }

  private static byte[] gzip(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
    try (GZIPOutputStream zip = new GZIPOutputStream(out, 8192)) {
      zip.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private List<Map.Entry<String, String>> headers(
      List<PipelineRecord> batch, boolean withBody, String keySuffix) {
    List<Map.Entry<String, String>> headers = new ArrayList<>(staticHeaders.size() + 4);
    for (Map.Entry<String, String> h : staticHeaders) {
      if (withBody || !h.getKey().equalsIgnoreCase("Content-Type")) {
        headers.add(h);
      }
    }
    PipelineRecord first = batch.get(0);
    for (String name : forwardedHeaders) {
      String value = first.header(name);
      if (value != null) {
        headers.add(Map.entry(name, value));
      }
    }
    headers.add(Map.entry(IDEMPOTENCY_KEY, idempotencyKey(batch) + keySuffix));
    return headers;
  }

  /**
   * {@code topic-partition-offset} for one record; for several, a digest of every record's topic,
   * partition and offset, so a re-sent batch of the same records carries the same key and any other
   * batch a different one.
   */
  public static String idempotencyKey(List<PipelineRecord> batch) {
    if (batch.size() == 1) {
      PipelineRecord r = batch.get(0);
      return r.topic() + "-" + r.partition() + "-" + r.offset();
    }
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      ByteBuffer position = ByteBuffer.allocate(12);
      String topic = null;
      for (PipelineRecord r : batch) {
        if (!r.topic().equals(topic)) {
          topic = r.topic();
          digest.update(topic.getBytes(StandardCharsets.UTF_8));
        }
        digest.update(position.clear().putInt(r.partition()).putLong(r.offset()).array());
      }
      return HexFormat.of().formatHex(digest.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
