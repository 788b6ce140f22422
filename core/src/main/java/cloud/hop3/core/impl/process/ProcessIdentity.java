package cloud.hop3.core.impl.process;

import java.time.Instant;
import java.util.Optional;

/**
 * A process as the driver knows it across restarts of the platform: its pid and the instant the
 * system says it started. A pid alone is not an identity: once a process is gone the system
 * hands its pid to another one. The pair is.
 *
 * @param pid     process id
 * @param started the start instant from {@link ProcessHandle.Info#startInstant()}
 */
record ProcessIdentity(long pid, Instant started) {

    /** The identity of a running process, when the system tells its start instant. */
    static Optional<ProcessIdentity> of(ProcessHandle handle) {
        return handle.info().startInstant().map(start -> new ProcessIdentity(handle.pid(), start));
    }

    /** The process, when it still runs and is this one (same start instant). */
    Optional<ProcessHandle> find() {
        return ProcessHandle.of(pid)
                .filter(ProcStat::running)
                .filter(h -> h.info().startInstant().map(started::equals).orElse(false));
    }

    /** Whether the pid now belongs to another running process than this one. */
    boolean pidTakenByAnother() {
        return find().isEmpty() && ProcessHandle.of(pid).filter(ProcStat::running).isPresent();
    }

    @Override
    public String toString() {
        return "pid " + pid + " (started " + started + ")";
    }
}
