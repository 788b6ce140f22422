package cloud.hop3.api.event;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import cloud.hop3.api.app.AppName;

/**
 * The platform's events ({@link Hop3Events}), recorded as they are posted, kept on disk across
 * restarts and bounded to the most recent ones, each with a cursor ({@link PlatformEvent#id()}),
 * so that a reader that went away reads on from the last one it saw and misses nothing still kept.
 * Implemented by core; thread-safe.
 *
 * @since 1.5
 */
@ProviderType
public interface EventLog {

    /**
     * The events recorded after {@code cursor}, oldest first.
     *
     * @param cursor the id of the last event seen; 0 for the oldest kept
     * @param app    only the events about this app, when given
     * @param max    at most this many
     */
    List<PlatformEvent> after(long cursor, Optional<AppName> app, int max);

    /**
     * {@link #after}, waiting up to {@code timeout} for one to be recorded when there is none yet.
     *
     * @return the events; empty when none came in time
     */
    List<PlatformEvent> await(long cursor, Optional<AppName> app, int max, Duration timeout) throws InterruptedException;

    /** The id of the last event recorded; 0 when there is none. */
    long last();
}
