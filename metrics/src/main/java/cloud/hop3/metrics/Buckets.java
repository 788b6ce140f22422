package cloud.hop3.metrics;

import java.time.Duration;

/** The fixed buckets of the latency histograms exported to Prometheus. */
final class Buckets {

    static final Duration[] LATENCY = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    static final Duration[] DEPLOY = {Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(15)};

    private Buckets() {
    }

    /** The bounds in seconds, as the Prometheus client takes them. */
    static double[] seconds(Duration[] bounds) {
        double[] seconds = new double[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            seconds[i] = bounds[i].toNanos() / 1e9;
        }
        return seconds;
    }
}
