package cloud.hop3.api.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The platform's own metrics over a span of time, minute by minute.
 *
 * @param from       the start of the first minute asked for
 * @param to         the end of the last minute
 * @param resolution the length of a point: one minute
 * @param minutes    the minutes, oldest first; a minute without a point is one the platform was not running
 */
public record PlatformSeries(Instant from, Instant to, Duration resolution, List<PlatformMinute> minutes) {

    public PlatformSeries {
        minutes = List.copyOf(minutes);
    }
}
