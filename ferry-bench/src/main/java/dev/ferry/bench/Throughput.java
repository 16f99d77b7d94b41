package dev.ferry.bench;

/**
 * Records moved in a measured time, and where the CPU went meanwhile.
 *
 * @param records the records counted
 * @param nanos the time they took
 * @param cpu the CPU time of the same window, or {@code null} when not measured
 * @param entities what the records became at the target, or {@code null} when each record arrived
 *     as itself
 */
record Throughput(long records, long nanos, CpuUsage cpu, Entities entities) {

  /**
   * Catalog entities sent for the records, as the target counted them.
   *
   * @param upserts entities in upsert requests
   * @param deletes entities (ids) in delete requests
   */
  record Entities(long upserts, long deletes) {

    /** Entities sent. */
    long sent() {
      return upserts + deletes;
    }
  }

  /** A throughput without CPU accounting. */
  Throughput(long records, long nanos) {
    this(records, nanos, null, null);
  }

  /** A throughput of records that arrived as themselves. */
  Throughput(long records, long nanos, CpuUsage cpu) {
    this(records, nanos, cpu, null);
  }

  /** The time in seconds. */
  double seconds() {
    return nanos / 1e9;
  }

  /** Records per second; 0 when no time was measured. */
  double perSecond() {
    return nanos <= 0 ? 0 : records / seconds();
  }

  /** Entities sent per second; 0 when none were counted. */
  double entitiesPerSecond() {
    return entities == null || nanos <= 0 ? 0 : entities.sent() / seconds();
  }
}
