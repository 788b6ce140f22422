package cloud.hop3.api.process;

import java.io.OutputStream;
import java.time.Duration;
import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

import cloud.hop3.api.app.AppName;

/**
 * Runs the processes of apps. The embedded {@code local} driver (in core) runs supervised child
 * processes; other drivers run them on a cluster. Registered with the service property
 * {@value #NAME_PROPERTY}; which one is used is configuration of core.
 * <p>
 * <b>Callers.</b> Core's deploy pipeline and the app commands; calls for one app are serialised
 * by core, calls for different apps may come concurrently.
 * <p>
 * <b>Idempotence.</b> {@link #stop(String, Duration)} of a stopped or unknown process does
 * nothing; {@link #status(AppName)} has no side effect.
 * <p>
 * <b>Supervision.</b> The driver restarts a crashed process with a backoff and reports a crash
 * loop as {@link ProcessState#CRASHED}; it does not need core to do so.
 * <p>
 * <b>Going away.</b> Processes outlive the driver's service: when the bundle stops or is updated,
 * running processes keep running, and the new instance adopts them (no orphans, no duplicates).
 */
@ConsumerType
public interface ProcessDriver {

    /** Service property holding the driver's name. */
    String NAME_PROPERTY = "hop3.driver";

    /** Short, stable name ("local", "kubernetes"). */
    String name();

    /**
     * Starts one process and returns once it is launched (not necessarily healthy).
     *
     * @return its status, with the identifier to stop it by
     * @throws ProcessException when it cannot be launched
     */
    ProcessStatus start(ProcessLaunch launch) throws ProcessException;

    /** Stops a process gracefully (SIGTERM or equivalent), forcibly after {@code grace}. */
    void stop(String processId, Duration grace);

    /**
     * Runs a one-off process to its end (a {@code release:} command, a cron entry,
     * {@code app:run}), copying its output to {@code output} as it comes.
     *
     * @return its exit status
     * @throws ProcessException when it cannot be launched, or did not end within {@code timeout}
     *                          (it is then killed)
     */
    int run(ProcessLaunch launch, OutputStream output, Duration timeout) throws ProcessException, InterruptedException;

    /** The processes of an app that this driver runs, in any state but stopped. */
    List<ProcessStatus> status(AppName app);

    /**
     * The last {@code lines} lines of output of an app's processes, oldest first, with the
     * position just after them.
     */
    LogChunk tail(AppName app, int lines);

    /**
     * The lines of output of an app's processes written from {@code from} on, at most {@code max},
     * oldest first. Asking again from the returned {@link LogChunk#next()} gives the lines written
     * since, each once; an empty chunk keeps the position. Only ended lines are read: a line being
     * written comes with a later read, whole. A position that the rotation of logs has left behind
     * continues from the oldest line still kept.
     *
     * @param from the {@link LogChunk#next()} of an earlier {@link #tail} or {@code logs}
     * @throws IllegalArgumentException when {@code from} is not a position this driver returned
     */
    LogChunk logs(AppName app, String from, int max);
}
