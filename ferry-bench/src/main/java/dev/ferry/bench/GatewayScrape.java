package dev.ferry.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's own counters, read from its {@code GET /metrics} (Prometheus text): events by
 * result, answers by status, bytes waiting for Kafka.
 *
 * @param accepted events accepted and produced ({@code result="accepted"}, duplicates excluded)
 * @param other events rejected, failed or dropped
 * @param answered2xx requests answered with a 2xx status
 * @param inFlightBytes bytes of events waiting for Kafka's acknowledgement
 */
record GatewayScrape(long accepted, long other, long answered2xx, long inFlightBytes) {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})?\\s+(\\S+)");

  /** Reads {@code base/metrics}. */
  static GatewayScrape of(URI base) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/metrics")).timeout(Duration.ofSeconds(10)).build();
    HttpResponse<String> response;
    try {
      response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (response.statusCode() != 200) {
      throw new IOException("GET /metrics answered " + response.statusCode());
    }
    return parse(response.body());
  }

  static GatewayScrape parse(String text) {
    long accepted = 0;
    long other = 0;
    long answered2xx = 0;
    long inFlight = 0;
    for (String line : text.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (line.startsWith("#") || !m.find()) {
        continue;
      }
      String name = m.group(1);
      String labels = m.group(2) == null ? "" : m.group(2);
      long value = (long) Double.parseDouble(m.group(3));
      switch (name) {
        case "ferry_gateway_events_total" -> {
          if (labels.contains("result=\"accepted\"") && !labels.contains("reason=\"duplicate\"")) {
            accepted += value;
          } else if (!labels.contains("result=\"accepted\"")) {
            other += value;
          }
        }
        case "ferry_gateway_requests_total" -> {
          if (labels.matches(".*status=\"2\\d\\d\".*")) {
            answered2xx += value;
          }
        }
        case "ferry_gateway_in_flight_bytes" -> inFlight = value;
        default -> {}
      }
    }
    return new GatewayScrape(accepted, other, answered2xx, inFlight);
  }

  /** The counts since {@code before} (the in-flight bytes are this scrape's). */
  GatewayScrape since(GatewayScrape before) {
    return new GatewayScrape(
        accepted - before.accepted,
        other - before.other,
        answered2xx - before.answered2xx,
        inFlightBytes);
  }
}
