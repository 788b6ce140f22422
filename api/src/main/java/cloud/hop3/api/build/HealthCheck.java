package cloud.hop3.api.build;

import java.time.Duration;

/**
 * How core decides that a new web process is ready to receive traffic.
 *
 * @param path            HTTP path requested on the process's {@code $PORT}
 * @param expectedContent text the response body must contain; empty for any 2xx/3xx response
 * @param timeout         how long to wait for a healthy answer before the deploy fails
 */
public record HealthCheck(String path, String expectedContent, Duration timeout) {
}
