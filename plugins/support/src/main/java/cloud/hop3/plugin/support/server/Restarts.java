package cloud.hop3.plugin.support.server;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts an external server again after it died, on its own daemon thread: after 1 s, then after
 * a pause that doubles with each death in a row, up to 30 s; a server that then runs for a minute
 * starts the count afresh. A failed start counts as a death. The restart itself is the plugin's
 * (it knows how to start its server and whether one runs already); closing stops all of it.
 * Thread-safe.
 */
public final class Restarts implements AutoCloseable {

    /** Starts the server again; a no-op when it should not (stopping, or already running). */
    @FunctionalInterface
    public interface Restart {
        void run() throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(Restarts.class);
    private static final long HEALTHY_SECONDS = 60;

    private final String server;
    private final Restart restart;
    private final BooleanSupplier running;
    private final ScheduledExecutorService scheduler;
    private int deaths;
    private boolean closed;

    /**
     * @param server  the server's name, for the log and the thread ("nginx")
     * @param restart how to start it again
     * @param running whether it runs now
     */
    public Restarts(String server, Restart restart, BooleanSupplier running) {
        this.server = server;
        this.restart = restart;
        this.running = running;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "hop3-" + server + "-supervisor");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The server died (or could not start): it is started again after the pause its deaths earned. */
    public synchronized void died() {
        if (closed) {
            return;
        }
        long delay = delaySeconds(deaths++);
        LOG.warn("{} is started again in {} s", server, delay);
        scheduler.schedule(this::attempt, delay, TimeUnit.SECONDS);
    }

    /** The pause before a restart after {@code deaths} deaths in a row, in seconds. */
    static long delaySeconds(int deaths) {
        return Math.min(30, 1L << Math.min(deaths, 5));
    }

    private void attempt() {
        try {
            restart.run();
            synchronized (this) {
                if (!closed) {
                    scheduler.schedule(this::forgetIfRunning, HEALTHY_SECONDS, TimeUnit.SECONDS);
                }
            }
        } catch (Exception e) {
            LOG.error("{} could not be started again: {}", server, e.getMessage());
            died();
        }
    }

    private synchronized void forgetIfRunning() {
        if (running.getAsBoolean()) {
            deaths = 0;
        }
    }

    /** No more restarts; a pending one is cancelled. */
    @Override
    public synchronized void close() {
        closed = true;
        scheduler.shutdownNow();
    }
}
