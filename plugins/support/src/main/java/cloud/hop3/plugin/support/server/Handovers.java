package cloud.hop3.plugin.support.server;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.osgi.service.component.ComponentConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server processes that a proxy component left running for the component that replaces it. SCR
 * replaces a component whose configuration changed: it deactivates the old instance and
 * activates a new one. Stopping the server in between would leave nothing listening until the
 * new instance starts it again; instead the old instance offers its process here, under the
 * server's pid file, and the new one claims it as it adopts the process from that pid file (and
 * reloads it with its own configuration). A process that nobody claims in time (the new
 * instance uses another directory, or is never given a route table) is stopped then.
 * <p>
 * One map per plugin bundle: this package is copied into each plugin, and a change of
 * configuration replaces a component within its bundle.
 */
public final class Handovers {

    private static final Logger LOG = LoggerFactory.getLogger(Handovers.class);
    private static final Map<String, ProcessHandle> OFFERED = new ConcurrentHashMap<>();

    /** How long a server left running for a replacing instance waits to be taken over. */
    public static final Duration WAIT = Duration.ofSeconds(30);

    private Handovers() {
    }

    /**
     * Whether a component deactivated for {@code reason} (its deactivation method's argument) is
     * being replaced by SCR with a new configuration, so that its server should be handed over
     * rather than stopped.
     */
    public static boolean replaced(int reason) {
        return reason == ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_MODIFIED
                || reason == ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED;
    }

    /**
     * Leaves {@code process} running for the instance that takes over {@code pidFile}; when none
     * has {@link #claim}ed it after {@code wait}, {@code stop} stops it (on a thread of its own).
     */
    public static void offer(String server, String pidFile, ProcessHandle process, Duration wait,
                             Consumer<ProcessHandle> stop) {
        OFFERED.put(pidFile, process);
        LOG.info("{} (pid {}) keeps serving until the plugin's next instance takes it over", server, process.pid());
        Thread timer = new Thread(() -> {
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (OFFERED.remove(pidFile, process) && process.isAlive()) {
                LOG.warn("{} (pid {}) was not taken over within {} s; it is stopped", server, process.pid(), wait.toSeconds());
                stop.accept(process);
            }
        }, "hop3-handover-" + server);
        timer.setDaemon(true);
        timer.start();
    }

    /** {@code process}, found through {@code pidFile}, is taken over: it is no longer stopped for want of a taker. */
    public static void claim(String pidFile, ProcessHandle process) {
        if (OFFERED.remove(pidFile, process)) {
            LOG.info("Process {} taken over from the plugin's previous instance", process.pid());
        }
    }
}
