package cloud.hop3.plugin.support.server;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * The process an external server runs as (nginx's master, a database server), supervised: the
 * plugin names the process it started or adopted ({@link #watch}); when that process exits while
 * it is still the one named and the plugin did not stop it, it is forgotten, the plugin is told
 * (for its log) and {@link Restarts} starts the server again. The plugin lets a process go without
 * a restart by {@link #forget}ting it, stops the supervision for a while ({@link #pause},
 * {@link #resume}) or for good ({@link #close}).
 * <p>
 * Thread-safe. The plugin's own code (the death report, the restart) never runs under this
 * object's lock, so the plugin may call it while it holds its own.
 */
public final class SupervisedServer implements AutoCloseable {

    private final Restarts restarts;
    private final Consumer<ProcessHandle> died;
    private ProcessHandle current;
    private boolean paused;

    /**
     * @param server  the server's name, for the log and the restart thread ("nginx")
     * @param restart starts the server again after a death; a no-op when it should not
     * @param died    tells the plugin that {@code process} died, before the restart is scheduled
     */
    public SupervisedServer(String server, Restarts.Restart restart, Consumer<ProcessHandle> died) {
        this.restarts = new Restarts(server, restart, () -> current().isPresent());
        this.died = died;
    }

    /** Supervises {@code process}, the server's process from now on (started, or adopted from a pid file). */
    public synchronized void watch(ProcessHandle process) {
        current = process;
        process.onExit().thenRun(() -> exited(process));
    }

    /**
     * Supervises {@code process}, found through {@code pidFile}: a process that a previous
     * instance of the plugin left running, possibly {@link Handovers handed over}, which it then
     * no longer stops.
     */
    public void adopt(ProcessHandle process, String pidFile) {
        watch(process);
        Handovers.claim(pidFile, process);
    }

    private void exited(ProcessHandle process) {
        synchronized (this) {
            if (paused || current != process) {
                return;
            }
            current = null;
        }
        died.accept(process);
        restarts.died();
    }

    /** A start failed where nobody waits for it (the plugin's activation): the server is started again later, as after a death. */
    public void restartLater() {
        restarts.died();
    }

    /** The supervised process, while it runs. */
    public synchronized Optional<ProcessHandle> current() {
        return Optional.ofNullable(current).filter(ProcessHandle::isAlive);
    }

    /** Lets the supervised process go: its exit starts nothing (the plugin stops it itself). Returns it. */
    public synchronized Optional<ProcessHandle> forget() {
        Optional<ProcessHandle> process = Optional.ofNullable(current);
        current = null;
        return process;
    }

    /** Whether the supervision is paused or closed: the plugin neither starts nor restarts its server. */
    public synchronized boolean stopping() {
        return paused;
    }

    /** {@link #forget}s the process and restarts nothing until {@link #resume}. Returns the process. */
    public synchronized Optional<ProcessHandle> pause() {
        paused = true;
        return forget();
    }

    /** Supervises again after a {@link #pause}: the plugin starts its server again. */
    public synchronized void resume() {
        paused = false;
    }

    /** {@link #pause}s for good: no more restarts, a pending one is cancelled. */
    @Override
    public void close() {
        pause();
        restarts.close();
    }
}
