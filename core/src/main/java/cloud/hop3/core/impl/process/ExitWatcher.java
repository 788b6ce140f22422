package cloud.hop3.core.impl.process;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells when watched processes exit. Children of this JVM are noticed at once through
 * {@link ProcessHandle#onExit()}; every watched process is also checked every poll interval,
 * because for a process that is not a child (adopted after a restart of the platform) the JDK
 * only polls itself, every 0.3 s at first and up to every 5 s later, and counts zombies as alive.
 * <p>
 * Callbacks run once per watch, on the scheduler. Closing the watcher detaches it from the JDK's
 * futures, so a process that outlives this bundle does not keep its class loader reachable.
 */
final class ExitWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExitWatcher.class);

    private final ScheduledExecutorService scheduler;
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> poller;

    ExitWatcher(ScheduledExecutorService scheduler, Duration pollInterval) {
        this.scheduler = scheduler;
        long millis = Math.max(1, pollInterval.toMillis());
        this.poller = scheduler.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Watches a process under a key, replacing an earlier watch of that key. */
    void watch(String key, ProcessHandle process, Runnable onExit) {
        Watch watch = new Watch(key, process, onExit);
        Watch previous = watches.put(key, watch);
        if (previous != null) {
            previous.detach();
        }
        if (process.parent().map(p -> p.pid() == ProcessHandle.current().pid()).orElse(false)) {
            // a JDK-only stage in between, cancelled on detach: the JDK's future then holds nothing of ours
            CompletableFuture<ProcessHandle> link = process.onExit().thenApply(Function.identity());
            watch.link = link;
            link.whenComplete((p, failure) -> {
                if (!(failure instanceof CancellationException)) {
                    fire(watch);
                }
            });
        }
        if (!ProcStat.running(process)) {
            fire(watch);
        }
    }

    /** Stops watching under a key; its callback will not run. */
    void unwatch(String key) {
        Watch watch = watches.remove(key);
        if (watch != null) {
            watch.detach();
        }
    }

    @Override
    public void close() {
        poller.cancel(false);
        watches.values().forEach(Watch::detach);
        watches.clear();
    }

    private void poll() {
        for (Watch watch : watches.values()) {
            try {
                if (!ProcStat.running(watch.process)) {
                    fire(watch);
                }
            } catch (RuntimeException e) {
                // a periodic task that throws is never run again: keep polling the others
                LOG.warn("Cannot check process {}: {}", watch.process.pid(), e.toString());
            }
        }
    }

    private void fire(Watch watch) {
        if (!watch.fired.compareAndSet(false, true)) {
            return;
        }
        watches.remove(watch.key, watch);
        watch.detach();
        try {
            scheduler.execute(watch.onExit);
        } catch (RejectedExecutionException e) {
            // closed meanwhile: the next instance of the driver looks at this process
        }
    }

    private static final class Watch {
        final String key;
        final ProcessHandle process;
        final Runnable onExit;
        final AtomicBoolean fired = new AtomicBoolean();
        volatile CompletableFuture<ProcessHandle> link;

        Watch(String key, ProcessHandle process, Runnable onExit) {
            this.key = key;
            this.process = process;
            this.onExit = onExit;
        }

        void detach() {
            fired.set(true);
            CompletableFuture<ProcessHandle> l = link;
            if (l != null) {
                l.cancel(false);
            }
        }
    }
}
