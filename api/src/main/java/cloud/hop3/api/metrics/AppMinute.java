package cloud.hop3.api.metrics;

import java.time.Instant;
import java.util.OptionalDouble;

/**
 * One minute of one process type of an app.
 *
 * @param minute   the start of the minute (UTC)
 * @param status1xx requests answered with a 1xx status (a protocol switch: WebSocket)
 * @param status2xx requests answered with a 2xx status
 * @param status3xx requests answered with a 3xx status
 * @param status4xx requests answered with a 4xx status
 * @param status5xx requests answered with a 5xx status
 * @param p50      median latency in milliseconds; empty when no request was answered
 * @param p95      95th percentile latency in milliseconds; empty when no request was answered
 * @param p99      99th percentile latency in milliseconds; empty when no request was answered
 * @param cpu      CPU used, in cores (1.0 is one core busy the whole minute)
 * @param rssBytes resident memory of its processes at the end of the minute, in bytes
 * @param restarts restarts after a crash within the minute
 * @param crashes  crashes within the minute
 */
public record AppMinute(Instant minute, long status1xx, long status2xx, long status3xx, long status4xx, long status5xx,
                        OptionalDouble p50, OptionalDouble p95, OptionalDouble p99, double cpu, long rssBytes,
                        long restarts, long crashes) {

    /** Every request answered within the minute. */
    public long requests() {
        return status1xx + status2xx + status3xx + status4xx + status5xx;
    }
}
