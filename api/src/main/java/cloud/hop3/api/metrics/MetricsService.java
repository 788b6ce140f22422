package cloud.hop3.api.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;

import cloud.hop3.api.app.AppName;

/**
 * The platform's metrics as front ends read them: minute series kept for {@link #HISTORY} (in
 * bounded memory, and on disk across restarts), and the current values in Prometheus' text
 * format. Implemented by the platform's metrics bundle.
 * <p>
 * <b>Callers.</b> Front ends (the REST API, its {@code /metrics}), from any thread; thread-safe;
 * answers from memory. Access is the caller's to check.
 */
@ProviderType
public interface MetricsService {

    /** How far back the minute series go. */
    Duration HISTORY = Duration.ofHours(24);

    /** The media type of {@link #writePrometheus}: Prometheus' text format 0.0.4. */
    String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /**
     * An app's minutes from {@code since} on (at most {@link #HISTORY} back).
     *
     * @throws IllegalArgumentException when {@code since} is in the future
     */
    AppSeries app(AppName app, Instant since);

    /**
     * The platform's minutes from {@code since} on (at most {@link #HISTORY} back).
     *
     * @throws IllegalArgumentException when {@code since} is in the future
     */
    PlatformSeries platform(Instant since);

    /** Writes every current metric, the apps' and the platform's, in Prometheus' text format. */
    void writePrometheus(OutputStream out) throws IOException;
}
