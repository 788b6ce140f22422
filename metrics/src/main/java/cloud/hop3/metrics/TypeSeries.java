package cloud.hop3.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.metrics.RequestMeter;

/**
 * The metrics of one process type of one app: its Micrometer meters (created when first needed:
 * the request meters at the proxy's first call, the process meters at the first sample of a
 * process), what the current minute has counted, and its ring of past minutes.
 * <p>
 * A row of the ring holds, in this order, the requests by status class (1xx to 5xx), the p50,
 * p95 and p99 latencies in microseconds (-1 without requests), the CPU used in nanoseconds, the
 * resident memory in bytes, the restarts and the crashes.
 */
final class TypeSeries {

    static final int S1XX = 0;
    static final int P50 = 5;
    static final int P95 = 6;
    static final int P99 = 7;
    static final int CPU_NANOS = 8;
    static final int RSS = 9;
    static final int RESTARTS = 10;
    static final int CRASHES = 11;
    static final int FIELDS = 12;

    private static final String[] CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    private final AppName app;
    private final String type;
    private final MeterRegistry registry;
    private final Histogram durations;
    private final MinuteRing ring;
    private final Tags tags;
    private final List<Meter> meters = new ArrayList<>();
    private volatile Requests requests;
    // the process part, written by the sampler's thread
    private Counter cpu;
    private Counter restarts;
    private Counter crashes;
    private final AtomicLong rss = new AtomicLong();
    private final AtomicLong processes = new AtomicLong();
    private final AtomicLong minuteCpuNanos = new AtomicLong();
    private final AtomicLong minuteRestarts = new AtomicLong();
    private final AtomicLong minuteCrashes = new AtomicLong();
    // the last minute's latencies, in microseconds, for the gauges
    private final AtomicLong[] lastPercentiles = {new AtomicLong(-1), new AtomicLong(-1), new AtomicLong(-1)};

    /**
     * @param durations the request latency histogram that {@link Collector} shares among all
     *                  types, labelled by app and process type
     */
    TypeSeries(AppName app, String type, MeterRegistry registry, Histogram durations, int capacity) {
        this.app = app;
        this.type = type;
        this.registry = registry;
        this.durations = durations;
        this.ring = new MinuteRing(capacity, FIELDS);
        this.tags = Tags.of("app", app.value(), "process_type", type);
    }

    AppName app() {
        return app;
    }

    String type() {
        return type;
    }

    MinuteRing ring() {
        return ring;
    }

    /** The meter the proxy reports this type's requests to. */
    synchronized RequestMeter requests() {
        if (requests == null) {
            requests = new Requests();
        }
        return requests;
    }

    /** A sample of this type's processes: their CPU time since the last sample, restarts and crashes, memory now. */
    synchronized void sampled(int count, long cpuNanos, long rssBytes, long restarted, long crashed) {
        if (cpu == null) {
            if (count == 0 && restarted == 0 && crashed == 0) {
                return; // no process of this type has run in this run of the platform
            }
            cpu = keep(Counter.builder("hop3.app.cpu").baseUnit("seconds").tags(tags)
                    .description("CPU time used by the processes of an app's process type").register(registry));
            restarts = keep(Counter.builder("hop3.app.restarts").tags(tags)
                    .description("Restarts of crashed processes by the process driver").register(registry));
            crashes = keep(Counter.builder("hop3.app.crashes").tags(tags)
                    .description("Processes that exited or failed to start without being asked to").register(registry));
            keep(Gauge.builder("hop3.app.memory.rss", rss, AtomicLong::get).baseUnit("bytes").tags(tags)
                    .description("Resident memory of the processes of an app's process type").register(registry));
            keep(Gauge.builder("hop3.app.processes", processes, AtomicLong::get).tags(tags)
                    .description("Processes of an app's process type that the driver supervises").register(registry));
        }
        processes.set(count);
        rss.set(rssBytes);
        if (cpuNanos > 0) {
            cpu.increment(cpuNanos / 1e9);
            minuteCpuNanos.addAndGet(cpuNanos);
        }
        if (restarted > 0) {
            restarts.increment(restarted);
            minuteRestarts.addAndGet(restarted);
        }
        if (crashed > 0) {
            crashes.increment(crashed);
            minuteCrashes.addAndGet(crashed);
        }
    }

    /**
     * Ends a minute: stores what it counted in the ring, added to what the ring holds for that
     * minute already (an earlier run of the platform within the same minute), and starts the
     * next. Stores nothing for a minute without requests nor processes.
     */
    synchronized void close(long minute) {
        long[] row = row(true);
        if (row == null) {
            return;
        }
        long[] earlier = ring.get(minute);
        ring.put(minute, earlier == null ? row : merge(earlier, row));
    }

    /** What the current minute has counted so far, without ending it; null when nothing. */
    synchronized long[] peek() {
        return row(false);
    }

    private long[] row(boolean close) {
        long[] row = new long[FIELDS];
        long requested = 0;
        Requests r = requests;
        if (r != null) {
            long[] counts = r.counts(close);
            System.arraycopy(counts, 0, row, S1XX, CLASSES.length);
            for (long c : counts) {
                requested += c;
            }
            long[] buckets = (close ? r.swap() : r.histogram).snapshot();
            row[P50] = LatencyHistogram.percentile(buckets, 0.50);
            row[P95] = LatencyHistogram.percentile(buckets, 0.95);
            row[P99] = LatencyHistogram.percentile(buckets, 0.99);
            if (close) {
                lastPercentiles[0].set(row[P50]);
                lastPercentiles[1].set(row[P95]);
                lastPercentiles[2].set(row[P99]);
            }
        } else {
            row[P50] = row[P95] = row[P99] = -1;
        }
        row[CPU_NANOS] = close ? minuteCpuNanos.getAndSet(0) : minuteCpuNanos.get();
        row[RESTARTS] = close ? minuteRestarts.getAndSet(0) : minuteRestarts.get();
        row[CRASHES] = close ? minuteCrashes.getAndSet(0) : minuteCrashes.get();
        row[RSS] = rss.get();
        if (requested == 0 && processes.get() == 0 && row[CPU_NANOS] == 0 && row[RESTARTS] == 0 && row[CRASHES] == 0) {
            return null;
        }
        return row;
    }

    /** Two parts of one minute: counts added, latencies of the part with more requests, memory of the later. */
    static long[] merge(long[] earlier, long[] later) {
        long[] row = later.clone();
        long before = 0;
        long after = 0;
        for (int i = S1XX; i < S1XX + CLASSES.length; i++) {
            before += earlier[i];
            after += later[i];
            row[i] = earlier[i] + later[i];
        }
        if (before > after) {
            row[P50] = earlier[P50];
            row[P95] = earlier[P95];
            row[P99] = earlier[P99];
        }
        row[CPU_NANOS] = earlier[CPU_NANOS] + later[CPU_NANOS];
        row[RESTARTS] = earlier[RESTARTS] + later[RESTARTS];
        row[CRASHES] = earlier[CRASHES] + later[CRASHES];
        return row;
    }

    /** Removes this type's meters from the registry (the app is gone). */
    synchronized void remove() {
        meters.forEach(registry::remove);
        meters.clear();
        if (requests != null) {
            durations.remove(app.value(), type);
        }
    }

    private <M extends Meter> M keep(M meter) {
        meters.add(meter);
        return meter;
    }

    /**
     * The requests of this type, as the proxy reports them: a counter per status class, a
     * point of the latency histogram exported to Prometheus, and this minute's histogram (for the
     * percentiles of the minute series).
     * <p>
     * The exported histogram is the Prometheus client's own, not a Micrometer timer: on this
     * path, called by every I/O thread of the proxy at once, Micrometer's timer with buckets
     * cost about 90 ns a request alone and over 400 ns when two threads recorded together (its
     * buckets and its windowed maximum are shared atomics), where the client's histogram costs
     * about 25 ns alone; with it this whole method, two threads at once, went from 460-520 ns to
     * 175-225 ns ({@code BenchMeterCost}). Its usual path is a striped atomic increment; only
     * while a scrape reads the histogram (every 15 s, for the time it takes to copy it) does a
     * record take a short lock and, once in 128 records, grow that scrape's buffer.
     */
    private final class Requests implements RequestMeter {

        private final Counter[] byClass = new Counter[CLASSES.length];
        private final DistributionDataPoint duration;
        private final long[] closed = new long[CLASSES.length];
        private volatile LatencyHistogram histogram = new LatencyHistogram();

        Requests() {
            for (int i = 0; i < CLASSES.length; i++) {
                byClass[i] = keep(Counter.builder("hop3.app.requests").tags(tags).tag("status", CLASSES[i])
                        .description("Requests the proxy answered, by status class").register(registry));
            }
            duration = durations.labelValues(app.value(), type);
            String[] names = {"50", "95", "99"};
            for (int i = 0; i < names.length; i++) {
                AtomicLong value = lastPercentiles[i];
                keep(Gauge.builder("hop3.app.latency.last.minute", value, v -> v.get() < 0 ? Double.NaN : v.get() / 1e6)
                        .baseUnit("seconds").tags(tags).tag("percentile", names[i])
                        .description("Latency percentile of the requests of the last whole minute").register(registry));
            }
        }

        @Override
        public void record(int status, long nanos) {
            int c = status / 100 - 1;
            if (c < 0 || c >= CLASSES.length) {
                return;
            }
            byClass[c].increment();
            duration.observe(nanos / 1e9);
            histogram.record(nanos);
        }

        /** The requests by class since the last close; a close starts counting again. */
        long[] counts(boolean close) {
            long[] counts = new long[CLASSES.length];
            for (int i = 0; i < CLASSES.length; i++) {
                long total = (long) byClass[i].count();
                counts[i] = total - closed[i];
                if (close) {
                    closed[i] = total;
                }
            }
            return counts;
        }

        /** Starts the next minute's histogram and returns the one that ends. */
        LatencyHistogram swap() {
            LatencyHistogram ended = histogram;
            histogram = new LatencyHistogram();
            return ended;
        }
    }
}
