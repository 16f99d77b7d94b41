package dev.ferry.pipeline.deliver;

import dev.ferry.http.retry.BackoffSchedule;
import java.time.Duration;

/**
 * How the engine batches, orders and retries.
 *
 * @param lanes how many requests may be in flight at once
 * @param orderByKey true: records of one key keep their order (more concurrency); false: records of
 *     one partition keep their order
 * @param maxRecords records in one request at most
 * @param maxBytes value bytes in one request at most (a larger single record is sent alone)
 * @param linger how long a batch may wait to fill up
 * @param requestDelay a record is not sent before its timestamp plus this delay
 * @param ignoreTombstones true: records without a value are skipped (and counted as dropped);
 *     false: they are sent as DELETE requests
 */
public record DeliverySettings(
    int lanes,
    boolean orderByKey,
    int maxRecords,
    long maxBytes,
    Duration linger,
    Duration requestDelay,
    BackoffSchedule schedule,
    ErrorStrategy strategy,
    boolean ignoreTombstones) {}
