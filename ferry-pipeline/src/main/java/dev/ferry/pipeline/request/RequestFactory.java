package dev.ferry.pipeline.request;

import dev.ferry.http.Request;
import dev.ferry.pipeline.body.BodyFormat;
import dev.ferry.pipeline.record.PipelineRecord;
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
    this.url = url;
    this.method = method;
    this.format = format;
    this.forwardedHeaders = List.copyOf(forwardedHeaders);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", contentType);
    staticHeaders.forEach(
        (name, value) -> {
          headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
          headers.put(name, value);
        });
    this.staticHeaders = List.copyOf(headers.entrySet());
  }

  public BodyFormat format() {
    return format;
  }

  /** Records with equal group keys may share one request; null when all records may. */
  public String groupKey(PipelineRecord record) {
    if (url.isStatic() && forwardedHeaders.isEmpty()) {
      return null;
    }
    StringBuilder key = new StringBuilder(url.render(record));
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
          "DELETE", URI.create(url.render(first)), headers(batch, false), new byte[0]);
    }
    return new Request(
        method, URI.create(url.render(first)), headers(batch, true), format.encode(batch));
  }

  private List<Map.Entry<String, String>> headers(List<PipelineRecord> batch, boolean withBody) {
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
    headers.add(Map.entry(IDEMPOTENCY_KEY, idempotencyKey(batch)));
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
