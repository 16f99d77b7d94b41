package dev.ferry.gateway.http;

import dev.ferry.gateway.event.Envelope;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * A request body read whole (by {@link BodyReader}): its format from {@code Content-Type} (JSON, or
 * NDJSON), gunzipped when {@code Content-Encoding} says so, refused past the size limit (the limit
 * counts the decompressed bytes).
 *
 * @param bytes the body, decompressed
 * @param ndjson true for {@code application/x-ndjson} (one event per line)
 * @param wireBytes the bytes received, for the request size metric
 */
record RequestBody(byte[] bytes, boolean ndjson, long wireBytes) {
  private static final int GZIP_BUFFER = 16 * 1024;
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

  /** How a body is sent: gzip-compressed or not, one JSON text or NDJSON. */
  record Format(boolean gzip, boolean ndjson) {}

  /**
   * The body's format from the request's headers.
   *
   * @throws Unreadable for an unsupported type or encoding
   */
  static Format format(Request request) throws Unreadable {
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
    return new Format(gzip, ndjson);
  }

  /**
   * The body from the bytes received, gunzipped when {@code format} says so.
   *
   * @param wire the bytes received, of which the first {@code length} count
   * @throws TooLarge past {@code limit} bytes after decompression
   * @throws Unreadable for a broken gzip body
   */
  static RequestBody of(byte[] wire, int length, Format format, int limit)
      throws TooLarge, Unreadable {
    if (!format.gzip()) {
      if (length > limit) {
        throw new TooLarge(length);
      }
      return new RequestBody(
          length == wire.length ? wire : Arrays.copyOf(wire, length), format.ndjson(), length);
    }
    try (InputStream in =
        new GZIPInputStream(new ByteArrayInputStream(wire, 0, length), GZIP_BUFFER)) {
      ByteArrayOutputStream out =
          new ByteArrayOutputStream((int) Math.min(limit, 4L * length + 64));
      byte[] buffer = new byte[GZIP_BUFFER];
      int n;
      while ((n = in.read(buffer)) > 0) {
        if (out.size() + n > limit) {
          throw new TooLarge(-1);
        }
        out.write(buffer, 0, n);
      }
      return new RequestBody(out.toByteArray(), format.ndjson(), length);
    } catch (EOFException e) {
      // GZIPInputStream's "Unexpected end of ZLIB input stream": the sender's fault, not ours.
      throw new Unreadable(400, "gzip", "the gzip body ends before its end: it was cut off");
    } catch (IOException e) {
      // ZipException, or any other complaint of the decompressor about the bytes.
      throw new Unreadable(
          400, "gzip", "the body is not valid gzip although Content-Encoding says so");
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
}
