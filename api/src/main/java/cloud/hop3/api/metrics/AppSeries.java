package cloud.hop3.api.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import cloud.hop3.api.app.AppName;

/**
 * An app's metrics over a span of time, minute by minute.
 *
 * @param app        the app
 * @param from       the start of the first minute asked for
 * @param to         now: the last point may be the minute in progress, holding what it counted so far
 * @param resolution the length of a point: one minute
 * @param types      process type to its minutes, oldest first; minutes without a point had no
 *                   processes of the type and no requests
 */
public record AppSeries(AppName app, Instant from, Instant to, Duration resolution, Map<String, List<AppMinute>> types) {

    public AppSeries {
        types = Map.copyOf(types);
    }
}
