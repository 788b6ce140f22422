package cloud.hop3.core.impl.process;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.process.ProcessState;
import cloud.hop3.api.process.ProcessStatus;
import cloud.hop3.core.impl.limits.Confinement;

/**
 * The supervision state of one process: what was launched last, the state it is in, its crashes
 * and a pending restart. A process counts as {@link ProcessState#RUNNING} once it has lived
 * {@link #STARTING_FOR}; before, it is {@link ProcessState#STARTING}.
 * <p>
 * Every method is called with this object's monitor held (the {@link Supervisor} synchronises
 * compound steps on it); {@link #record()} may be read without.
 */
final class SupervisedProcess {

    static final Duration STARTING_FOR = Duration.ofSeconds(1);

    private final AppName app;
    private final CrashHistory crashes;
    private volatile ProcessRecord record;
    private ProcessState state = ProcessState.STARTING;
    private Instant since = Instant.now();
    private Process child;
    private ScheduledFuture<?> pendingRestart;
    private boolean stopRequested;
    private long generation;
    private Confinement confinement = Confinement.NONE;
    private long oomKillsBefore;
    private String lastExit;
    private long crashCount;

    SupervisedProcess(ProcessRecord record, RestartPolicy policy) {
        this.app = AppName.of(record.app());
        this.record = record;
        this.crashes = new CrashHistory(policy);
    }

    String id() {
        return record.id();
    }

    AppName app() {
        return app;
    }

    ProcessRecord record() {
        return record;
    }

    CrashHistory crashes() {
        return crashes;
    }

    /** Counts launches and stop requests, so that events of an earlier launch are recognised as stale. */
    synchronized long generation() {
        return generation;
    }

    synchronized boolean stopRequested() {
        return stopRequested;
    }

    synchronized boolean isCrashed() {
        return state == ProcessState.CRASHED;
    }

    /** The child process object of the current launch when this JVM started it, else null. */
    synchronized Process child() {
        return child;
    }

    synchronized void launched(Process process, ProcessIdentity identity, Instant now) {
        record = record.launched(identity);
        child = process;
        enter(ProcessState.STARTING, now);
    }

    /** The limits the current launch runs under, and the group's out-of-memory kills before it. */
    synchronized void confined(Confinement c, long oomKills) {
        confinement = c;
        oomKillsBefore = oomKills;
    }

    synchronized Confinement confinement() {
        return confinement;
    }

    /** Whether the kernel killed a process of the current launch for going over its memory limit. */
    synchronized boolean killedForMemory() {
        return confinement.oomKills() > oomKillsBefore;
    }

    /** How the last launch ended, as {@code app:ps} shows it. */
    synchronized void ended(String how) {
        lastExit = how;
    }

    synchronized void adopted(Instant now) {
        Instant started = record.started();
        boolean settled = started != null && !started.plus(STARTING_FOR).isAfter(now);
        enter(settled ? ProcessState.RUNNING : ProcessState.STARTING, settled ? started.plus(STARTING_FOR) : now);
    }

    /** Enters RESTARTING and returns the generation the restart must find. */
    synchronized long restarting(Instant now) {
        child = null;
        enter(ProcessState.RESTARTING, now);
        return generation;
    }

    /** Remembers the scheduled restart, to cancel it when the process leaves RESTARTING. */
    synchronized void pendingRestart(ScheduledFuture<?> restart) {
        if (state == ProcessState.RESTARTING) {
            pendingRestart = restart;
        } else {
            restart.cancel(false);
        }
    }

    synchronized void restarted() {
        record = record.withRestarts(record.restarts() + 1);
    }

    /** One more exit or failed start not asked for. */
    synchronized void countCrash() {
        crashCount++;
    }

    /** Exits and failed starts not asked for, since this object supervises the process. */
    synchronized long crashCount() {
        return crashCount;
    }

    synchronized void crashed(Instant now) {
        child = null;
        record = record.withCrashed(true);
        enter(ProcessState.CRASHED, now);
    }

    synchronized void stopping(Instant now) {
        stopRequested = true;
        enter(ProcessState.STOPPING, now);
    }

    private void enter(ProcessState next, Instant now) {
        generation++;
        state = next;
        since = now;
        if (pendingRestart != null) {
            pendingRestart.cancel(false);
            pendingRestart = null;
        }
    }

    synchronized ProcessStatus status(Instant now) {
        ProcessState shown = state;
        Instant shownSince = since;
        if (state == ProcessState.STARTING && !since.plus(STARTING_FOR).isAfter(now)) {
            shown = ProcessState.RUNNING;
            shownSince = since.plus(STARTING_FOR);
        }
        ProcessRecord r = record;
        return new ProcessStatus(r.id(), app, r.release(), r.type(), r.index(), r.port(), shown, r.restarts(), shownSince,
                lastExit);
    }
}
