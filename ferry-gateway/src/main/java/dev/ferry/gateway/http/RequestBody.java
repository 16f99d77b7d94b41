package dev.ferry.gateway.http;

import dev.ferry.gateway.event.Envelope;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * A request body read whole: its format from {@code Content-Type} (JSON, or NDJSON), gunzipped when
 * {@code Content-Encoding} says so, refused past the size limit (the limit counts the decompressed
 * bytes).
 *
 * @param bytes the body, decompressed
 * @param ndjson true for {@code application/x-ndjson} (one event per line)
 * @param wireBytes the bytes received, for the request size metric
 */
record RequestBody(byte[] bytes, boolean ndjson, long wireBytes) {
  private static final Set<String> JSON_TYPES =
      // curl -d sends the form type unless told otherwise; the body is JSON all the same.
      Set.of("application/json", "text/plain", "application/x-www-form-urlencoded");

  /** The body cannot be read: an unsupported type or encoding, or broken gzip. */
  static final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    final String rule;

    Unreadable(int status, String rule, String message) {
      super(message, null, false, false);
      this.status = status;
      this.rule = rule;
    }
  }

  /** The body is larger than the limit. */
  static final class TooLarge extends Exception {
    private static final long serialVersionUID = 1L;
    final long bytes;

    /**
     * @param bytes the size reached, -1 when unknown (a gzip body)
     */
    TooLarge(long bytes) {
      super(null, null, false, false);
      this.bytes = bytes;
    }
  }

  /**
   * Reads the body of {@code request}.
   *
   * @throws TooLarge past {@code limit} bytes
   * @throws Unreadable for an unsupported type or encoding, or a broken gzip body
   */
  static RequestBody read(Request request, int limit) throws IOException, TooLarge, Unreadable {
    String encoding = lower(request.getHeaders().get(HttpHeader.CONTENT_ENCODING));
    boolean gzip = encoding.equals("gzip") || encoding.equals("x-gzip");
    if (!encoding.isEmpty() && !gzip && !encoding.equals("identity")) {
      throw new Unreadable(
          415,
          "content_encoding",
          "Content-Encoding " + encoding + " is not supported: send gzip or no encoding");
    }
    String type = lower(request.getHeaders().get(HttpHeader.CONTENT_TYPE));
    String mediaType = type.split(";", 2)[0].strip();
    boolean ndjson =
        mediaType.equals("application/x-ndjson") || mediaType.equals("application/ndjson");
    if (!ndjson && !mediaType.isEmpty() && !JSON_TYPES.contains(mediaType)) {
      throw new Unreadable(
          415,
          "content_type",
          "Content-Type "
              + type
              + " is not supported: send application/json (one event or an array) or"
              + " application/x-ndjson");
    }
    try {
      return readAll(request, gzip, ndjson, limit);
    } catch (ZipException e) {
      throw new Unreadable(
          400, "gzip", "the body is not valid gzip although Content-Encoding says so");
    } catch (EOFException e) {
      if (!gzip) {
        throw e;
      }
      // GZIPInputStream's "Unexpected end of ZLIB input stream": the sender's fault, not ours.
      throw new Unreadable(400, "gzip", "the gzip body ends before its end: it was cut off");
    }
  }

  /** Reads the whole body; a broken gzip body throws ZipException or EOFException. */
  private static RequestBody readAll(Request request, boolean gzip, boolean ndjson, int limit)
      throws IOException, TooLarge {
    CountingInputStream counted = new CountingInputStream(Content.Source.asInputStream(request));
    long length = request.getLength();
    if (!gzip && length >= 0 && length <= limit) {
      // The usual case: the size is known, read straight into an array of that size.
      try (InputStream in = counted) {
        byte[] body = new byte[(int) length];
        int read = in.readNBytes(body, 0, body.length);
        if (read < length) {
          throw new EOFException("the body ended after " + read + " of " + length + " bytes");
        }
        return new RequestBody(body, ndjson, counted.count);
      }
    }
    try (InputStream in = gzip ? new GZIPInputStream(counted, 8192) : counted) {
      long hint = length;
      ByteArrayOutputStream out = new ByteArrayOutputStream(hint > 0 && !gzip ? (int) hint : 8192);
      byte[] buffer = new byte[16384];
      int n;
      while ((n = in.read(buffer)) > 0) {
        if (out.size() + n > limit) {
          throw new TooLarge(gzip ? -1 : counted.count);
        }
        out.write(buffer, 0, n);
      }
      return new RequestBody(out.toByteArray(), ndjson, counted.count);
    }
  }

  /** Now, and the request headers {@code gateway.forward.headers} names, for the records. */
  static Envelope.Received received(Request request, List<String> forwardHeaders) {
    Instant now = Instant.now();
    if (forwardHeaders.isEmpty()) {
      return Envelope.Received.of(now);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String name : forwardHeaders) {
      List<String> values = request.getHeaders().getValuesList(name);
      if (!values.isEmpty()) {
        headers.put(name, String.join(", ", values));
      }
    }
    return Envelope.Received.of(now, headers);
  }

  private static String lower(String s) {
    return s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
  }

  /** Counts the bytes received. */
  private static final class CountingInputStream extends FilterInputStream {
    long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
