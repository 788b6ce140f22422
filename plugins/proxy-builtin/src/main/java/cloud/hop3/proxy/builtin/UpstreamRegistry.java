package cloud.hop3.proxy.builtin;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import cloud.hop3.api.proxy.Upstream;

/**
 * The {@link UpstreamTarget}s of a proxy, one per upstream, and the waits for their requests in
 * flight to end. Waiting threads are woken when a count falls to zero, never by polling.
 */
final class UpstreamRegistry {

    private final ConcurrentHashMap<Upstream, UpstreamTarget> targets = new ConcurrentHashMap<>();
    private final Object monitor = new Object();
    private final AtomicInteger waiters = new AtomicInteger();

    /** The target of an upstream, created on first use. */
    UpstreamTarget target(Upstream upstream) {
        UpstreamTarget target = targets.get(upstream);
        return target != null ? target : targets.computeIfAbsent(upstream, u -> new UpstreamTarget(u, this));
    }

    /**
     * Forgets the targets that no table in {@code keep} names and that have nothing in flight.
     * Callers pass the tables still in use (the new one and the one it replaces), so a request
     * that picked its target from the replaced table still counts.
     */
    void retainOnly(Set<Upstream> keep) {
        targets.values().removeIf(t -> !keep.contains(t.upstream()) && t.inFlight() == 0);
    }

    /** Requests in flight to {@code upstreams}. */
    int inFlight(Collection<Upstream> upstreams) {
        int sum = 0;
        for (Upstream upstream : upstreams) {
            UpstreamTarget target = targets.get(upstream);
            if (target != null) {
                sum += target.inFlight();
            }
        }
        return sum;
    }

    /** Requests in flight to any upstream. */
    int inFlight() {
        return inFlight(targets.keySet());
    }

    /**
     * Blocks until no request is in flight to {@code upstreams} (all of them when null), or the
     * timeout.
     *
     * @return whether none is in flight
     */
    boolean awaitIdle(Collection<Upstream> upstreams, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            waiters.incrementAndGet();
            try {
                while ((upstreams == null ? inFlight() : inFlight(upstreams)) > 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(monitor, left);
                }
                return true;
            } finally {
                waiters.decrementAndGet();
            }
        }
    }

    /** A count fell to zero: wakes the waiting threads, if any. */
    void idle() {
        if (waiters.get() > 0) {
            synchronized (monitor) {
                monitor.notifyAll();
            }
        }
    }
}
