package cloud.hop3.metrics;

import java.time.Duration;

/** The fixed buckets of the duration histograms exported to Prometheus. */
final class Buckets {

    /** The request latency histogram's upper bounds, in seconds (the Prometheus client's unit). */
    static final double[] LATENCY_SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    /** The deploy duration timer's (Micrometer's) bounds. */
    static final Duration[] DEPLOY = {Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(15)};

    private Buckets() {
    }
}
