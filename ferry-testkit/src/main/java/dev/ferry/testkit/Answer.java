package dev.ferry.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One scripted answer of a {@link ScriptedHttpTarget}: an HTTP status with body and headers, or a
 * fault (hang, connection reset), optionally after a delay.
 *
 * <p>Answers are immutable; the fluent methods return modified copies, so a constant answer can be
 * shared and enqueued many times:
 *
 * <pre>{@code
 * target.enqueue(Answer.status(503).header("Retry-After", "1"));
 * target.enqueue(3, Answer.status(500).delay(Duration.ofMillis(200)));
 * target.enqueue(Answer.reset(), Answer.hang());
 * }</pre>
 */
public final class Answer {

  /** What the target does with the request. */
  public enum Kind {
    /** Send a response with a status, headers and body. */
    RESPOND,
    /** Never answer; the request stays open until the client gives up or the target closes. */
    HANG,
    /** Abort the connection without any response (the client sees a reset or an EOF). */
    RESET
  }

  private static final byte[] OK_BODY = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] NO_BODY = new byte[0];

  private final Kind kind;
  private final int status;
  private final byte[] body;
  private final List<Map.Entry<String, String>> headers;
  private final Duration delay;

  private Answer(
      Kind kind, int status, byte[] body, List<Map.Entry<String, String>> headers, Duration delay) {
    this.kind = kind;
    this.status = status;
    this.body = body;
    this.headers = headers;
    this.delay = delay;
  }

  /** The default answer: {@code 200} with body {@code {"ok":true}} as {@code application/json}. */
  public static Answer ok() {
    return new Answer(
        Kind.RESPOND,
        200,
        OK_BODY,
        List.of(Map.entry("Content-Type", "application/json")),
        Duration.ZERO);
  }

  /** A response with the given status and an empty body. */
  public static Answer status(int status) {
    checkStatus(status);
    return new Answer(Kind.RESPOND, status, NO_BODY, List.of(), Duration.ZERO);
  }

  /**
   * A response with the given status and body; the content type is {@code application/json} when
   * the body looks like JSON, {@code text/plain} otherwise (override with {@link #header}).
   */
  public static Answer status(int status, String body) {
    return status(status).body(body);
  }

  /** Never answer (until the target is closed); the client must time out by itself. */
  public static Answer hang() {
    return new Answer(Kind.HANG, 0, NO_BODY, List.of(), Duration.ZERO);
  }

  /** Abort the TCP connection without answering (a reset where the platform allows it). */
  public static Answer reset() {
    return new Answer(Kind.RESET, 0, NO_BODY, List.of(), Duration.ZERO);
  }

  /** A copy of this answer with the given body (UTF-8) and a content type guessed from it. */
  public Answer body(String newBody) {
    Objects.requireNonNull(newBody, "body");
    String trimmed = newBody.stripLeading();
    String type =
        trimmed.startsWith("{") || trimmed.startsWith("[") ? "application/json" : "text/plain";
    List<Map.Entry<String, String>> copy = new ArrayList<>();
    for (Map.Entry<String, String> h : headers) {
      if (!h.getKey().equalsIgnoreCase("Content-Type")) {
        copy.add(h);
      }
    }
    copy.add(Map.entry("Content-Type", type));
    return new Answer(
        kind, status, newBody.getBytes(StandardCharsets.UTF_8), List.copyOf(copy), delay);
  }

  /** A copy of this answer with one more response header (headers may repeat). */
  public Answer header(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    List<Map.Entry<String, String>> copy = new ArrayList<>(headers);
    copy.add(Map.entry(name, value));
    return new Answer(kind, status, body, List.copyOf(copy), delay);
  }

  /** A copy of this answer that waits the given time before responding, resetting or hanging. */
  public Answer delay(Duration newDelay) {
    Objects.requireNonNull(newDelay, "delay");
    if (newDelay.isNegative()) {
      throw new IllegalArgumentException("negative delay " + newDelay);
    }
    return new Answer(kind, status, body, headers, newDelay);
  }

  /** What the target does with the request. */
  public Kind kind() {
    return kind;
  }

  /** The status code ({@code 0} for {@link Kind#HANG} and {@link Kind#RESET}). */
  public int statusCode() {
    return status;
  }

  /** The response body (a copy). */
  public byte[] bodyBytes() {
    return body.clone();
  }

  /** The response headers in the order they are sent. */
  public List<Map.Entry<String, String>> headers() {
    return headers;
  }

  /** The time waited before answering. */
  public Duration delayBeforeAnswer() {
    return delay;
  }

  byte[] rawBody() {
    return body;
  }

  private static void checkStatus(int status) {
    if (status < 100 || status > 999) {
      throw new IllegalArgumentException("bad HTTP status " + status);
    }
  }

  @Override
  public String toString() {
    switch (kind) {
      case HANG:
        return "Answer[hang" + delayText() + "]";
      case RESET:
        return "Answer[reset" + delayText() + "]";
      default:
        return "Answer[" + status + " " + body.length + "B " + headers + delayText() + "]";
    }
  }

  private String delayText() {
    return delay.isZero() ? "" : " after " + delay;
  }
}
