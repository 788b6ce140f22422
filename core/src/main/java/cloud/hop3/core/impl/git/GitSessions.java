package cloud.hop3.core.impl.git;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The git commands under way, bounded: at most {@code limit} run at once (each push may build,
 * which costs memory and CPU), as many more wait for a free place, and any beyond those are
 * refused at once, so that a flood of connections cannot grow threads, builds or memory without
 * bound. Thread-safe.
 */
final class GitSessions {

    /** What became of a session asked for. */
    enum Admission { RUNS, WAITS, REFUSED }

    private final ThreadPoolExecutor pool;
    private final AtomicInteger admitted = new AtomicInteger();
    private volatile int limit;

    GitSessions(int limit) {
        this.limit = limit;
        AtomicInteger threads = new AtomicInteger();
        pool = new ThreadPoolExecutor(limit, limit, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "hop3-git-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    /** How many may run at once; as many more may wait. */
    int limit() {
        return limit;
    }

    /** Changes the limit; sessions under way and waiting keep their place. */
    synchronized void resize(int newLimit) {
        if (newLimit > pool.getMaximumPoolSize()) {
            pool.setMaximumPoolSize(newLimit);
            pool.setCorePoolSize(newLimit);
        } else {
            pool.setCorePoolSize(newLimit);
            pool.setMaximumPoolSize(newLimit);
        }
        limit = newLimit;
    }

    /**
     * Runs {@code session} now, or once a running one ends (after calling {@code waiting}), or
     * not at all when too many wait already. Nothing runs after {@link #shutdown()}.
     */
    Admission submit(Runnable session, Runnable waiting) {
        int count = admitted.incrementAndGet();
        if (count > 2 * limit || pool.isShutdown()) {
            admitted.decrementAndGet();
            return Admission.REFUSED;
        }
        Admission admission = count > limit ? Admission.WAITS : Admission.RUNS;
        if (admission == Admission.WAITS) {
            waiting.run();
        }
        try {
            pool.execute(() -> {
                try {
                    session.run();
                } finally {
                    admitted.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            admitted.decrementAndGet();
            return Admission.REFUSED;
        }
        return admission;
    }

    /** Interrupts the sessions under way and drops those waiting. */
    void shutdown() {
        pool.shutdownNow();
    }
}
