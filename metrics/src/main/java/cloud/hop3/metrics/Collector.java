package cloud.hop3.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.Unit;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.metrics.AppMinute;
import cloud.hop3.api.metrics.AppSeries;
import cloud.hop3.api.metrics.MetricsService;
import cloud.hop3.api.metrics.PlatformMinute;
import cloud.hop3.api.metrics.PlatformSeries;
import cloud.hop3.api.metrics.ProcessUsage;
import cloud.hop3.api.metrics.RequestMeter;
import cloud.hop3.api.metrics.RequestMetrics;

/**
 * The metrics apart from OSGi: the series of every app's process types and of the platform, fed
 * by the proxy (through the meters it hands out), by samples of the processes, and by the minute
 * ticks that move what a minute counted into the rings; read as minute series and as Prometheus
 * text. The component around it brings the samples, the ticks and the platform's states.
 */
final class Collector implements MetricsService, RequestMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(Collector.class);
    static final int CAPACITY = (int) MetricsService.HISTORY.toMinutes();

    private final PrometheusMeterRegistry registry;
    private final HistoryFiles files;
    private final boolean requests;
    private final Clock clock;
    private final Map<AppName, Map<String, TypeSeries>> apps = new ConcurrentHashMap<>();
    private final PlatformMeters platform;
    private final Histogram durations;
    /** What the last sample saw of each process: CPU time, restarts, crashes. */
    private Map<String, long[]> seen = new HashMap<>();
    private long openMinute;

    Collector(PrometheusMeterRegistry registry, HistoryFiles files, boolean requests, Clock clock) {
        this.registry = registry;
        this.files = files;
        this.requests = requests;
        this.clock = clock;
        this.platform = new PlatformMeters(registry, CAPACITY);
        this.durations = Histogram.builder().name("hop3_app_request_duration_seconds").unit(Unit.SECONDS)
                .help("Time from a request's head to the last byte of its answer, at the proxy")
                .labelNames("app", "process_type").classicOnly().classicUpperBounds(Buckets.LATENCY_SECONDS)
                .withoutExemplars().register(registry.getPrometheusRegistry());
        this.openMinute = minuteOf(clock.instant());
    }

    static long minuteOf(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), 60);
    }

    PlatformMeters platformMeters() {
        return platform;
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }

    private TypeSeries series(AppName app, String type) {
        return apps.computeIfAbsent(app, a -> new ConcurrentHashMap<>())
                .computeIfAbsent(type, t -> new TypeSeries(app, t, registry, durations, CAPACITY));
    }

    @Override
    public RequestMeter meter(AppName app, String processType) {
        return requests ? series(app, processType).requests() : RequestMeter.NONE;
    }

    /**
     * A sample of every supervised process: each process's CPU time, restarts and crashes since
     * the previous sample (nothing for a process seen for the first time: what it used before is
     * not known to fall in this run), and memory now, summed by app and process type.
     */
    synchronized void sample(List<ProcessUsage> usage) {
        Map<String, long[]> now = new HashMap<>();
        Map<TypeSeries, long[]> sums = new LinkedHashMap<>();
        for (ProcessUsage u : usage) {
            long[] current = {u.cpuNanos(), u.restarts(), u.crashes()};
            long[] before = seen.get(u.id());
            now.put(u.id(), current);
            long[] sum = sums.computeIfAbsent(series(u.app(), u.type()), s -> new long[5]);
            sum[0]++;
            sum[2] += u.rssBytes();
            if (before != null) {
                sum[1] += Math.max(0, current[0] - before[0]);
                sum[3] += Math.max(0, current[1] - before[1]);
                sum[4] += Math.max(0, current[2] - before[2]);
            }
        }
        seen = now;
        for (Map<String, TypeSeries> types : apps.values()) {
            for (TypeSeries s : types.values()) {
                long[] sum = sums.getOrDefault(s, new long[5]);
                s.sampled((int) sum[0], sum[1], sum[2], sum[3], sum[4]);
            }
        }
    }

    /** Ends the open minute when the clock has left it; returns whether it did. */
    synchronized boolean tick() {
        long current = minuteOf(clock.instant());
        if (current <= openMinute) {
            return false;
        }
        close(openMinute);
        openMinute = current;
        return true;
    }

    /** Ends the open minute now, as it stands (the platform stops). */
    synchronized void closeOpenMinute() {
        close(openMinute);
    }

    private void close(long minute) {
        for (Map<String, TypeSeries> types : apps.values()) {
            types.values().forEach(s -> s.close(minute));
        }
        platform.close(minute);
    }

    /** Forgets an app (destroyed): its meters, its series and its file. */
    void remove(AppName app) {
        Map<String, TypeSeries> types = apps.remove(app);
        if (types != null) {
            types.values().forEach(TypeSeries::remove);
        }
        try {
            files.deleteApp(app);
        } catch (IOException e) {
            LOG.error("Metrics: cannot delete the series of app {}: {}", app, e.getMessage());
        }
    }

    /** Reads the series kept on disk, the last {@link #HISTORY} of them. */
    void load() {
        long oldest = minuteOf(clock.instant()) - CAPACITY;
        files.loadApps((app, type) -> series(app, type).ring(), oldest);
        files.loadPlatform(platform.ring(), oldest);
        LOG.info("Metrics: {} app series read from {}", apps.values().stream().mapToInt(Map::size).sum(), files.root());
    }

    /** Writes every series to disk. */
    void save() {
        for (Map.Entry<AppName, Map<String, TypeSeries>> e : apps.entrySet()) {
            Map<String, MinuteRing> rings = new TreeMap<>();
            e.getValue().forEach((type, s) -> rings.put(type, s.ring()));
            try {
                files.saveApp(e.getKey(), rings);
            } catch (IOException ex) {
                LOG.error("Metrics: cannot write the series of app {}: {}", e.getKey(), ex.getMessage());
            }
        }
        try {
            files.savePlatform(platform.ring());
        } catch (IOException ex) {
            LOG.error("Metrics: cannot write the platform's series: {}", ex.getMessage());
        }
    }

    private long fromMinute(Instant since) {
        Instant now = clock.instant();
        if (since.isAfter(now)) {
            throw new IllegalArgumentException("'since' (" + since + ") is in the future; the series end now (" + now + ").");
        }
        return Math.max(minuteOf(since), minuteOf(now) - CAPACITY + 1);
    }

    @Override
    public AppSeries app(AppName app, Instant since) {
        long from = fromMinute(since);
        long open;
        synchronized (this) {
            open = openMinute;
        }
        Map<String, List<AppMinute>> types = new TreeMap<>();
        Map<String, TypeSeries> series = apps.getOrDefault(app, Map.of());
        for (TypeSeries s : series.values()) {
            List<AppMinute> minutes = new ArrayList<>();
            s.ring().read(from, open - 1, (m, row) -> minutes.add(appMinute(m, row)));
            if (open >= from) {
                long[] row = s.peek();
                if (row != null) {
                    long[] earlier = s.ring().get(open);
                    minutes.add(appMinute(open, earlier == null ? row : TypeSeries.merge(earlier, row)));
                }
            }
            if (!minutes.isEmpty()) {
                types.put(s.type(), minutes);
            }
        }
        return new AppSeries(app, Instant.ofEpochSecond(from * 60), clock.instant(), Duration.ofMinutes(1), types);
    }

    @Override
    public PlatformSeries platform(Instant since) {
        long from = fromMinute(since);
        long open;
        synchronized (this) {
            open = openMinute;
        }
        List<PlatformMinute> minutes = new ArrayList<>();
        platform.ring().read(from, open - 1, (m, row) -> minutes.add(platformMinute(m, row)));
        if (open >= from) {
            minutes.add(platformMinute(open, platform.peek()));
        }
        return new PlatformSeries(Instant.ofEpochSecond(from * 60), clock.instant(), Duration.ofMinutes(1), minutes);
    }

    @Override
    public void writePrometheus(OutputStream out) throws IOException {
        registry.scrape(out);
    }

    static AppMinute appMinute(long minute, long[] r) {
        return new AppMinute(Instant.ofEpochSecond(minute * 60), r[TypeSeries.S1XX], r[TypeSeries.S1XX + 1],
                r[TypeSeries.S1XX + 2], r[TypeSeries.S1XX + 3], r[TypeSeries.S1XX + 4], millis(r[TypeSeries.P50]),
                millis(r[TypeSeries.P95]), millis(r[TypeSeries.P99]), r[TypeSeries.CPU_NANOS] / 60e9, r[TypeSeries.RSS],
                r[TypeSeries.RESTARTS], r[TypeSeries.CRASHES]);
    }

    static PlatformMinute platformMinute(long minute, long[] r) {
        return new PlatformMinute(Instant.ofEpochSecond(minute * 60), r[PlatformMeters.HEAP_USED], r[PlatformMeters.HEAP_MAX],
                r[PlatformMeters.THREADS], r[PlatformMeters.DEPLOYS], r[PlatformMeters.DEPLOY_FAILURES],
                r[PlatformMeters.DEPLOY_MAX_MILLIS] / 1000.0, r[PlatformMeters.CERTIFICATES_FAILING],
                r[PlatformMeters.BACKUPS_FAILING], r[PlatformMeters.PLUGIN_PROBLEMS]);
    }

    private static OptionalDouble millis(long micros) {
        return micros < 0 ? OptionalDouble.empty() : OptionalDouble.of(micros / 1000.0);
    }
}
