package dev.ferry.gateway;

import dev.ferry.gateway.ingest.Result;
import dev.ferry.gateway.produce.EventProducer;
import dev.ferry.gateway.produce.KafkaStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's metrics, served in Prometheus' text format on {@code GET /metrics}:
 *
 * <ul>
 *   <li>{@code ferry_gateway_events_total{result, reason}}: events by result (accepted, dropped,
 *       rejected, failed) and reason (the rule, the Kafka failure, consent, duplicate);
 *   <li>{@code ferry_gateway_produce_latency_seconds}: from send to Kafka's acknowledgement
 *       (histogram);
 *   <li>{@code ferry_gateway_request_size_bytes}: request bodies as received (histogram);
 *   <li>{@code ferry_gateway_requests_total{status}}: answers by HTTP status;
 *   <li>{@code ferry_gateway_in_flight_bytes}, {@code ferry_gateway_kafka_ready}: gauges.
 * </ul>
 */
public final class GatewayMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer produceLatency;
  private final Map<String, Counter> events = new ConcurrentHashMap<>();
  private final Map<Integer, Counter> requests = new ConcurrentHashMap<>();
  private final DistributionSummary requestSize;

  GatewayMetrics(EventProducer producer, KafkaStatus kafka) {
    produceLatency =
        Timer.builder("ferry.gateway.produce.latency")
            .description("Time from handing an event to the producer to Kafka's acknowledgement")
            .publishPercentileHistogram()
            .register(registry);
    requestSize =
        DistributionSummary.builder("ferry.gateway.request.size")
            .description("Request bodies as received (before gzip decompression)")
            .baseUnit("bytes")
            .publishPercentileHistogram()
            .register(registry);
    Gauge.builder("ferry.gateway.in.flight", producer, EventProducer::inFlightBytes)
        .description("Bytes of events waiting for Kafka's acknowledgement")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("ferry.gateway.kafka.ready", kafka, k -> k.state().ready() ? 1 : 0)
        .description("1 when Kafka answered the last probe, else 0")
        .register(registry);
  }

  /** Counts a request's results; runs of the same result and reason count as one increment. */
  void events(Result[] results, long[] produceNanos) {
    int i = 0;
    while (i < results.length) {
      Result r = results[i];
      String status = r.status();
      String reason = r.reason();
      int run = 1;
      while (i + run < results.length
          && results[i + run].status().equals(status)
          && results[i + run].reason().equals(reason)) {
        run++;
      }
      // A map hit instead of building and registering a meter id each time.
      events
          .computeIfAbsent(
              status + '\u0000' + reason,
              k ->
                  Counter.builder("ferry.gateway.events")
                      .description("Events by result and reason")
                      .tag("result", status)
                      .tag("reason", reason)
                      .register(registry))
          .increment(run);
      i += run;
    }
    for (long nanos : produceNanos) {
      if (nanos >= 0) {
        produceLatency.record(nanos, TimeUnit.NANOSECONDS);
      }
    }
  }

  void request(long bodyBytes, int status) {
    requests
        .computeIfAbsent(
            status,
            k ->
                Counter.builder("ferry.gateway.requests")
                    .description("Answers by HTTP status")
                    .tag("status", String.valueOf(status))
                    .register(registry))
        .increment();
    if (bodyBytes >= 0) {
      requestSize.record(bodyBytes);
    }
  }

  /** The Prometheus text exposition. */
  String scrape() {
    return registry.scrape();
  }

  void close() {
    registry.close();
  }
}
