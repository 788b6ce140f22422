package cloud.hop3.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.metrics.RequestMeter;
import cloud.hop3.api.metrics.RequestMetrics;

/**
 * Not a test: the metrics as the platform runs them (a {@link Collector} on Micrometer's
 * Prometheus registry, sampled and ticked every 10 s, scraped every 15 s as Prometheus would),
 * for {@code scripts/bench-metrics}, which gives it to the built-in proxy outside Karaf.
 */
public final class BenchRequestMetrics implements RequestMetrics {

    private final Collector collector;

    public BenchRequestMetrics() throws IOException {
        collector = new Collector(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                new HistoryFiles(Files.createTempDirectory("hop3-bench-metrics")), true, Clock.systemUTC());
        ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-metrics");
            t.setDaemon(true);
            return t;
        });
        ticks.scheduleWithFixedDelay(() -> {
            collector.sample(List.of());
            collector.tick();
        }, 10, 10, TimeUnit.SECONDS);
        ticks.scheduleWithFixedDelay(() -> collector.registry().scrape(), 15, 15, TimeUnit.SECONDS);
    }

    @Override
    public RequestMeter meter(AppName app, String processType) {
        return collector.meter(app, processType);
    }
}
