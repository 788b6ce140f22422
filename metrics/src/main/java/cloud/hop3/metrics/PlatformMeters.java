package cloud.hop3.metrics;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import cloud.hop3.api.backup.BackupHealth;
import cloud.hop3.api.plugin.PluginInfo;
import cloud.hop3.api.tls.CertificateStatus;

/**
 * The platform's own metrics beside the JVM's (which Micrometer's binders give): deploys and their
 * durations, the states of certificates, backups and plugins, and the ring of the platform's
 * minutes. A row holds heap used, heap max, threads, deploys, failed deploys, the longest deploy
 * in milliseconds, failing certificates, failing backups and plugin problems.
 */
final class PlatformMeters {

    static final int HEAP_USED = 0;
    static final int HEAP_MAX = 1;
    static final int THREADS = 2;
    static final int DEPLOYS = 3;
    static final int DEPLOY_FAILURES = 4;
    static final int DEPLOY_MAX_MILLIS = 5;
    static final int CERTIFICATES_FAILING = 6;
    static final int BACKUPS_FAILING = 7;
    static final int PLUGIN_PROBLEMS = 8;
    static final int FIELDS = 9;

    private final MinuteRing ring;
    private final Timer succeeded;
    private final Timer failed;
    private final MultiGauge certificateExpiry;
    private final MultiGauge certificateFailing;
    private final MultiGauge backupLastGood;
    private final MultiGauge backupFailures;
    private final MultiGauge plugins;
    private final AtomicLong certificatesFailing = new AtomicLong();
    private final AtomicLong backupsFailing = new AtomicLong();
    private final AtomicLong pluginProblems = new AtomicLong();
    private long minuteDeploys;
    private long minuteFailures;
    private long minuteMaxMillis;

    PlatformMeters(MeterRegistry registry, int capacity) {
        this.ring = new MinuteRing(capacity, FIELDS);
        succeeded = deployTimer(registry, "succeeded");
        failed = deployTimer(registry, "failed");
        certificateExpiry = MultiGauge.builder("hop3.certificate.expiry").baseUnit("seconds")
                .description("When the certificate serving an app expires, in seconds since the epoch").register(registry);
        certificateFailing = MultiGauge.builder("hop3.certificate.failing")
                .description("1 when issuing or renewing an app's certificate fails, else 0").register(registry);
        backupLastGood = MultiGauge.builder("hop3.backup.last.good").baseUnit("seconds")
                .description("When an app's newest good backup was taken, in seconds since the epoch").register(registry);
        backupFailures = MultiGauge.builder("hop3.backup.failures")
                .description("Failed backups of an app since its newest good one").register(registry);
        plugins = MultiGauge.builder("hop3.plugin.active")
                .description("1 for a plugin in use, 0 for one installed and not in use").register(registry);
        Gauge.builder("hop3.plugin.problems", pluginProblems, AtomicLong::get)
                .description("Plugin choices that do not hold: a configured plugin missing, or refusing its work")
                .register(registry);
    }

    private static Timer deployTimer(MeterRegistry registry, String result) {
        return Timer.builder("hop3.deploy.duration").tag("result", result)
                .description("Deploys (pushes, rollbacks, config changes, scalings) and how long they took")
                .serviceLevelObjectives(Buckets.DEPLOY).register(registry);
    }

    MinuteRing ring() {
        return ring;
    }

    /** A deploy ended. */
    synchronized void deployed(boolean ok, Duration took) {
        (ok ? succeeded : failed).record(took.toNanos(), TimeUnit.NANOSECONDS);
        if (ok) {
            minuteDeploys++;
        } else {
            minuteFailures++;
        }
        minuteMaxMillis = Math.max(minuteMaxMillis, took.toMillis());
    }

    /** The certificates as they stand. */
    void certificates(List<CertificateStatus> statuses) {
        List<MultiGauge.Row<?>> expiry = new ArrayList<>();
        List<MultiGauge.Row<?>> failing = new ArrayList<>();
        long count = 0;
        for (CertificateStatus s : statuses) {
            Tags tags = Tags.of("app", s.app().value());
            s.notAfter().ifPresent(t -> expiry.add(MultiGauge.Row.of(tags, t.getEpochSecond())));
            failing.add(MultiGauge.Row.of(tags, s.failing() ? 1 : 0));
            count += s.failing() ? 1 : 0;
        }
        certificateExpiry.register(expiry, true);
        certificateFailing.register(failing, true);
        certificatesFailing.set(count);
    }

    /** The backups as they stand, of the apps that have or had some. */
    void backups(List<BackupHealth> healths) {
        List<MultiGauge.Row<?>> good = new ArrayList<>();
        List<MultiGauge.Row<?>> failures = new ArrayList<>();
        long count = 0;
        for (BackupHealth h : healths) {
            if (h.lastGood().isEmpty() && h.failures() == 0 && h.schedule().isEmpty()) {
                continue;
            }
            Tags tags = Tags.of("app", h.app().value());
            h.lastGood().map(Instant::getEpochSecond).ifPresent(t -> good.add(MultiGauge.Row.of(tags, t)));
            failures.add(MultiGauge.Row.of(tags, h.failures()));
            count += h.failures() > 0 ? 1 : 0;
        }
        backupLastGood.register(good, true);
        backupFailures.register(failures, true);
        backupsFailing.set(count);
    }

    /** The plugins as they stand, and the problems of their choice. */
    void plugins(List<PluginInfo> infos, int problems) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (PluginInfo p : infos) {
            rows.add(MultiGauge.Row.of(Tags.of("kind", p.kind().name().toLowerCase(java.util.Locale.ROOT),
                    "name", p.name(), "version", p.version() == null ? "" : p.version()), p.active() ? 1 : 0));
        }
        plugins.register(rows, true);
        pluginProblems.set(problems);
    }

    /** Ends a minute: stores the platform's row for it. */
    void close(long minute) {
        ring.put(minute, row(true));
    }

    /** The current minute so far. */
    long[] peek() {
        return row(false);
    }

    private synchronized long[] row(boolean close) {
        long[] row = new long[FIELDS];
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        row[HEAP_USED] = heap.getUsed();
        row[HEAP_MAX] = heap.getMax();
        row[THREADS] = ManagementFactory.getThreadMXBean().getThreadCount();
        row[DEPLOYS] = minuteDeploys;
        row[DEPLOY_FAILURES] = minuteFailures;
        row[DEPLOY_MAX_MILLIS] = minuteMaxMillis;
        row[CERTIFICATES_FAILING] = certificatesFailing.get();
        row[BACKUPS_FAILING] = backupsFailing.get();
        row[PLUGIN_PROBLEMS] = pluginProblems.get();
        if (close) {
            minuteDeploys = 0;
            minuteFailures = 0;
            minuteMaxMillis = 0;
        }
        return row;
    }
}
