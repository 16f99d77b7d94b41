package dev.ferry.bench;

/** The measurements of {@code ferry-bench gateway}. */
final class GatewayResult {
  private GatewayResult() {}

  /**
   * One run of the raw idempotent producer.
   *
   * @param records records sent and acknowledged
   * @param nanos from the first send to the last acknowledgement
   * @param cpu where the CPU went meanwhile
   */
  record Raw(long records, long nanos, GatewayCpu cpu) {

    double seconds() {
      return nanos / 1e9;
    }

    double perSecond() {
      return nanos <= 0 ? 0 : records / seconds();
    }
  }

  /**
   * What the topic holds after a wrk run, next to what was acknowledged.
   *
   * @param acknowledged events in responses wrk read with a status below 400 (all 200 here)
   * @param accepted events the gateway counted as accepted ({@code ferry_gateway_events_total})
   * @param other events the gateway counted as rejected, failed or dropped
   * @param inTopic records the topic gained (end offsets less start offsets)
   * @param notRead events of requests the gateway answered but wrk did not read, at most {@code
   *     connections × events per request} (requests in flight when wrk stopped)
   * @param answered2xx requests the gateway answered with 2xx ({@code
   *     ferry_gateway_requests_total})
   */
  record Landing(
      long acknowledged, long accepted, long other, long inTopic, long notRead, long answered2xx) {

    /**
     * Every acknowledged event is in the topic, the topic holds exactly what the gateway accepted,
     * and what was accepted but not acknowledged is no more than wrk's last requests in flight.
     */
    boolean complete(int connections, int perRequest) {
      return inTopic >= acknowledged
          && inTopic == accepted
          && inTopic - acknowledged <= (long) connections * perRequest;
    }
  }

  /**
   * One measured wrk run.
   *
   * @param perRequest events per request
   * @param connections wrk's connections
   * @param threads wrk's threads
   * @param wrk what wrk measured
   * @param cpu where the CPU went while wrk ran
   * @param landing the topic afterwards
   * @param round which round of measured runs (from 1), or 0 when there is only one
   */
  record Http(
      int perRequest,
      int connections,
      int threads,
      WrkRun.Result wrk,
      GatewayCpu cpu,
      Landing landing,
      int round) {

    /** Events in responses with a status below 400, per second of the run. */
    double eventsPerSecond() {
      return wrk.seconds() <= 0 ? 0 : wrk.ok() * (double) perRequest / wrk.seconds();
    }

    /** Gateway CPU (HTTP threads and the producer's I/O thread) per acknowledged event, in µs. */
    double gatewayMicrosPerEvent() {
      long events = wrk.ok() * perRequest;
      return events <= 0 ? 0 : cpu.gateway() * 1e6 / events;
    }

    /** Responses per second (any status). */
    double requestsPerSecond() {
      return wrk.seconds() <= 0 ? 0 : wrk.requests() / wrk.seconds();
    }

    String label() {
      return round > 0 ? configuration() + ", round " + round : configuration();
    }

    /** The label without the round: runs of the same configuration share it. */
    String configuration() {
      return "gateway, "
          + perRequest
          + (perRequest == 1 ? " event" : " events")
          + "/request, wrk -t"
          + Math.min(threads, connections)
          + " -c"
          + connections;
    }
  }
}
