package cloud.hop3.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import cloud.hop3.api.app.AppInfo;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.AppService;
import cloud.hop3.api.backup.BackupHealth;
import cloud.hop3.api.backup.BackupService;
import cloud.hop3.api.event.Hop3Events;
import cloud.hop3.api.metrics.AppSeries;
import cloud.hop3.api.metrics.MetricsService;
import cloud.hop3.api.metrics.PlatformSeries;
import cloud.hop3.api.metrics.ProcessUsage;
import cloud.hop3.api.metrics.ProcessUsageSource;
import cloud.hop3.api.metrics.RequestMeter;
import cloud.hop3.api.metrics.RequestMetrics;
import cloud.hop3.api.platform.Platform;
import cloud.hop3.api.plugin.PluginRegistry;
import cloud.hop3.api.tls.CertificateService;

/**
 * The platform's metrics, as a component: a {@link Collector} on Micrometer's Prometheus registry
 * (with the JVM's binders), a thread that samples the drivers' processes every few seconds and
 * ends each minute, the states of certificates, backups and plugins read once a minute, deploys
 * timed from their events, and the series written to {@code HOP3_HOME/metrics/} every few
 * minutes and when the component stops, read back when it starts.
 */
@Component(service = {MetricsService.class, RequestMetrics.class, EventHandler.class}, configurationPid = MetricsComponent.PID,
        property = EventConstants.EVENT_TOPIC + "=" + Hop3Events.APP_TOPIC_PREFIX + "*")
@Designate(ocd = MetricsComponent.Config.class)
public class MetricsComponent implements MetricsService, RequestMetrics, EventHandler {

    static final String PID = "cloud.hop3.metrics";
    private static final Logger LOG = LoggerFactory.getLogger(MetricsComponent.class);

    @ObjectClassDefinition(id = PID, name = "Hop3 metrics", description = "What the platform measures and keeps.")
    public @interface Config {
        @AttributeDefinition(description = "Whether the proxy's requests are counted and timed (requests per status"
                + " class, latency). false leaves the proxy's requests uncounted, which only a benchmark of what counting"
                + " costs wants.")
        boolean requests_enabled() default true;

        @AttributeDefinition(min = "1", max = "60", description = "Seconds between two samples of the app processes'"
                + " CPU, memory, restarts and crashes.")
        int sample_seconds() default 10;

        @AttributeDefinition(min = "1", max = "60", description = "Minutes between two writes of the minute series to"
                + " HOP3_HOME/metrics/ (they are also written when the platform stops).")
        int flush_minutes() default 5;
    }

    @Reference
    private Platform platformFacts;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile AppService apps;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile CertificateService certificates;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile BackupService backups;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile PluginRegistry plugins;
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private final List<ProcessUsageSource> sources = new CopyOnWriteArrayList<>();

    private final Map<String, Long> deploying = new ConcurrentHashMap<>();
    private Collector collector;
    private ScheduledExecutorService scheduler;
    private int flushMinutes;
    private int minutesSinceFlush;

    @Activate
    void activate(Config config) {
        PrometheusMeterRegistry registry = withOwnClassLoader(() -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        bindJvm(registry);
        collector = new Collector(registry, new HistoryFiles(platformFacts.home().resolve("metrics")), config.requests_enabled(),
                Clock.systemUTC());
        collector.load();
        flushMinutes = Math.max(1, config.flush_minutes());
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hop3-metrics");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::sampleSafely, 0, Math.max(1, config.sample_seconds()), TimeUnit.SECONDS);
        LOG.info("Metrics: collecting{}, every {} s, series in {}", config.requests_enabled() ? "" : " (not the proxy's requests)",
                config.sample_seconds(), platformFacts.home().resolve("metrics"));
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        scheduler.shutdownNow();
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
        collector.closeOpenMinute();
        collector.save();
        collector.registry().close();
    }

    /**
     * The JVM's meters: memory, threads, uptime. Micrometer's ProcessorMetrics is left out: its
     * system.cpu.count and process.cpu.time (nanoseconds) get Prometheus names that promtool's lint
     * refuses (a gauge ending in _count, a unit abbreviated).
     */
    static void bindJvm(MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Prometheus' client reads its settings through the thread's context class loader, which OSGi leaves unset. */
    private static <T> T withOwnClassLoader(java.util.function.Supplier<T> work) {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(PrometheusMeterRegistry.class.getClassLoader());
        try {
            return work.get();
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    private void sampleSafely() {
        try {
            List<ProcessUsage> usage = new ArrayList<>();
            for (ProcessUsageSource source : sources) {
                usage.addAll(source.usage());
            }
            collector.sample(usage);
            if (collector.tick()) {
                states();
                if (++minutesSinceFlush >= flushMinutes) {
                    minutesSinceFlush = 0;
                    collector.save();
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Metrics: a sample failed", e);
        }
    }

    /** Reads the states of certificates, backups and plugins into their gauges. */
    private void states() {
        CertificateService certs = certificates;
        if (certs != null) {
            try {
                collector.platformMeters().certificates(certs.list());
            } catch (RuntimeException e) {
                LOG.debug("Metrics: cannot read the certificates: {}", e.toString());
            }
        }
        BackupService b = backups;
        AppService a = apps;
        if (b != null && a != null) {
            List<BackupHealth> healths = new ArrayList<>();
            for (AppInfo app : a.list()) {
                try {
                    healths.add(b.health(app.name()));
                } catch (Exception e) {
                    LOG.debug("Metrics: cannot read the backups of {}: {}", app.name(), e.toString());
                }
            }
            collector.platformMeters().backups(healths);
        }
        PluginRegistry p = plugins;
        if (p != null) {
            collector.platformMeters().plugins(p.plugins(), p.problems().size());
        }
    }

    @Override
    public void handleEvent(Event event) {
        Object app = event.getProperty(Hop3Events.APP);
        if (!(app instanceof String name)) {
            return;
        }
        switch (event.getTopic()) {
            case Hop3Events.APP_DEPLOY_STARTED -> deploying.put(name, System.nanoTime());
            case Hop3Events.APP_DEPLOYED, Hop3Events.APP_DEPLOY_FAILED -> {
                Long started = deploying.remove(name);
                if (started != null) {
                    collector.platformMeters().deployed(event.getTopic().equals(Hop3Events.APP_DEPLOYED),
                            Duration.ofNanos(System.nanoTime() - started));
                }
            }
            case Hop3Events.APP_DESTROYED -> {
                deploying.remove(name);
                try {
                    collector.remove(AppName.of(name));
                } catch (IllegalArgumentException e) {
                    LOG.debug("Metrics: an event named no valid app: {}", name);
                }
            }
            default -> {
            }
        }
    }

    @Override
    public RequestMeter meter(AppName app, String processType) {
        return collector.meter(app, processType);
    }

    @Override
    public AppSeries app(AppName app, Instant since) {
        return collector.app(app, since);
    }

    @Override
    public PlatformSeries platform(Instant since) {
        return collector.platform(since);
    }

    @Override
    public void writePrometheus(OutputStream out) throws IOException {
        collector.writePrometheus(out);
    }
}
