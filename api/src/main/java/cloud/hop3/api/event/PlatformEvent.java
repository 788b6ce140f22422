package cloud.hop3.api.event;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import cloud.hop3.api.app.AppName;

/**
 * One event as the platform's {@link EventLog} recorded it.
 *
 * @param id         its cursor: larger than every id recorded before it, never reused
 * @param time       when it was recorded
 * @param topic      its Event Admin topic, one of {@link Hop3Events}
 * @param app        the app it is about, when it is about one
 * @param properties its other properties ({@link Hop3Events#MESSAGE}, {@link Hop3Events#RELEASE},
 *                   the actor...), as text, sorted by name
 * @since 1.5
 */
public record PlatformEvent(long id, Instant time, String topic, Optional<AppName> app, Map<String, String> properties) {

    public PlatformEvent {
        if (id < 1) {
            throw new IllegalArgumentException("An event's id is 1 or more, not " + id + ".");
        }
        if (time == null || topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("An event needs a time and a topic.");
        }
        app = app == null ? Optional.empty() : app;
        properties = properties == null ? Map.of() : java.util.Collections.unmodifiableSortedMap(new TreeMap<>(properties));
    }

    /** The last segment of the topic, lower case ({@code deployed}, {@code deploy_failed}). */
    public String kind() {
        return topic.substring(topic.lastIndexOf('/') + 1).toLowerCase(java.util.Locale.ROOT);
    }
}
