package cloud.hop3.core.impl.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.ProcessType;
import cloud.hop3.api.metrics.ProcessUsage;
import cloud.hop3.api.process.ProcessException;
import cloud.hop3.api.process.ProcessLaunch;
import cloud.hop3.api.process.ProcessStatus;
import cloud.hop3.core.impl.isolation.AppUser;
import cloud.hop3.api.process.ResourceLimits;
import cloud.hop3.core.impl.limits.Confinement;
import cloud.hop3.core.impl.limits.ResourceEnforcer;

/**
 * Runs and supervises the app processes of one driver instance: launches them, restarts them
 * after a crash with the {@link RestartPolicy}'s backoff, marks a crash loop, stops them with
 * their whole tree, adopts the ones a previous instance left running, and keeps
 * {@code processes.json} of each app in step.
 * <p>
 * This class is longer than most because it is the one place where the state changes of
 * supervision happen; each step is a short method. Steps on one process are serialised on its
 * {@link SupervisedProcess}; waits (for a process tree to exit) happen outside that lock.
 */
final class Supervisor {

    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    /** How long what a crashed process left behind gets after SIGTERM before SIGKILL. */
    private static final Duration LEFTOVER_GRACE = Duration.ofSeconds(1);
    private static final Duration REAP_WAIT = Duration.ofMillis(200);

    private final ProcessLauncher launcher;
    private final Users users;
    private final ProcessLedger ledger;
    private final AppLogs logs;
    private final ExitWatcher watcher;
    private final ScheduledExecutorService scheduler;
    private final RestartPolicy policy;
    private final Consumer<ProcessStatus> crashLoops;
    private final ResourceEnforcer limits;
    private final Consumer<ProcessStatus> memoryKills;
    private final Map<String, SupervisedProcess> processes = new ConcurrentHashMap<>();
    private volatile boolean closed;

    Supervisor(ProcessLauncher launcher, Users users, ProcessLedger ledger, AppLogs logs, ExitWatcher watcher,
               ScheduledExecutorService scheduler, RestartPolicy policy, Consumer<ProcessStatus> crashLoops,
               ResourceEnforcer limits, Consumer<ProcessStatus> memoryKills) {
        this.launcher = launcher;
        this.users = users;
        this.ledger = ledger;
        this.logs = logs;
        this.watcher = watcher;
        this.scheduler = scheduler;
        this.policy = policy;
        this.crashLoops = crashLoops;
        this.limits = limits;
        this.memoryKills = memoryKills;
    }

    /**
     * Starts a process. When a process of the same release, type and index runs already (a
     * restart replaces processes with fresh ones before it stops the old ones), the new one
     * gets an id of its own, so both run until the caller stops the old one.
     */
    ProcessStatus start(ProcessLaunch launch) throws ProcessException {
        LaunchValidator.check(launch);
        if (closed) {
            throw new ProcessException("The local process driver is stopping; start " + launch.type() + " of app '" + launch.app() + "' again in a moment.");
        }
        String base = LaunchValidator.id(launch);
        SupervisedProcess sp = null;
        String id = base;
        for (int generation = 2; sp == null; generation++) {
            SupervisedProcess fresh = new SupervisedProcess(ProcessRecord.of(id, launch), policy);
            SupervisedProcess taken = processes.compute(id, (k, old) -> old == null || old.isCrashed() ? fresh : old);
            if (taken == fresh) {
                sp = fresh;
            } else {
                id = base + "-" + generation;
            }
        }
        synchronized (sp) {
            try {
                launch(sp);
            } catch (IOException | RuntimeException e) {
                processes.remove(id, sp);
                throw new ProcessException("Cannot start " + sp.record().label() + " of app '" + launch.app() + "': " + e.getMessage(), e);
            }
        }
        try {
            save(sp.app());
        } catch (IOException e) {
            stop(id, Duration.ZERO);
            throw new ProcessException("Cannot record " + sp.record().label() + " of app '" + launch.app()
                    + "', so it was stopped again: " + e.getMessage(), e);
        }
        LOG.info("App {}: {} started (pid {}, release {})", launch.app(), sp.record().label(), sp.record().pid(), launch.release());
        return sp.status(Instant.now());
    }

    /**
     * Takes over what the ledgers record: adopts each process that still runs (same pid and
     * start instant), restarts each one that is gone or whose pid another process now has.
     */
    void adoptAll() throws IOException {
        for (AppName app : ledger.apps()) {
            List<ProcessRecord> records;
            try {
                ledger.removeLeftovers(app);
                records = ledger.read(app);
            } catch (IOException | RuntimeException e) {
                // an unreadable ledger (altered, or encrypted with a key that is gone) is left as it is
                LOG.error("App {}: its processes are not supervised, {} cannot be read: {}", app, ProcessLedger.DOCUMENT,
                        e.getMessage());
                continue;
            }
            for (ProcessRecord record : records) {
                adopt(app, record);
            }
            save(app);
        }
    }

    private void adopt(AppName app, ProcessRecord record) {
        if (!app.value().equals(record.app()) || record.id() == null || record.type() == null
                || ProcessType.problem(record.type()) != null || record.command() == null || record.workingDirectory() == null) {
            LOG.warn("App {}: ignoring an invalid entry of {}: {}", app, ProcessLedger.DOCUMENT, record.id());
            return;
        }
        SupervisedProcess sp = new SupervisedProcess(record, policy);
        if (processes.putIfAbsent(record.id(), sp) != null) {
            return;
        }
        Instant now = Instant.now();
        synchronized (sp) {
            ProcessIdentity identity = record.identity();
            Optional<ProcessHandle> running = identity == null ? Optional.empty() : identity.find();
            if (record.crashed()) {
                sp.crashed(now);
            } else if (running.isPresent()) {
                Confinement existing = limits.existing(app.value(), record.id());
                sp.confined(existing, existing.oomKills());
                sp.adopted(now);
                watch(sp, running.get());
                LOG.info("App {}: adopted {} (pid {})", app, record.label(), record.pid());
            } else {
                if (identity != null && identity.pidTakenByAnother()) {
                    LOG.warn("App {}: pid {} of {} now belongs to another process; starting {} again", app, record.pid(), record.label(), record.label());
                } else {
                    LOG.info("App {}: {} ended while the platform was down; starting it again", app, record.label());
                }
                scheduleRestart(sp, Duration.ZERO, now);
            }
        }
    }

    /** Stops a process and its tree; SIGKILL after the grace period. Unknown ids are ignored. */
    void stop(String id, Duration grace) {
        SupervisedProcess sp = processes.get(id);
        if (sp != null) {
            stop(List.of(sp), grace);
        }
    }

    /** Stops every process of an app; returns how many there were. */
    int stopAll(AppName app, Duration grace) {
        List<SupervisedProcess> of = processes.values().stream().filter(sp -> sp.app().equals(app)).toList();
        stop(of, grace);
        return of.size();
    }

    private void stop(List<SupervisedProcess> targets, Duration grace) {
        List<ProcessIdentity> trees = new ArrayList<>();
        Instant now = Instant.now();
        for (SupervisedProcess sp : targets) {
            synchronized (sp) {
                sp.stopping(now);
                watcher.unwatch(sp.id());
                ProcessIdentity identity = sp.record().identity();
                if (identity != null) {
                    trees.add(identity);
                }
            }
        }
        boolean gone = ProcessTree.terminate(trees, grace == null || grace.isNegative() ? Duration.ZERO : grace);
        for (SupervisedProcess sp : targets) {
            processes.remove(sp.id(), sp);
            sp.confinement().release();
            logs.note(logFile(sp), sp.record().label() + " stopped");
            LOG.info("App {}: {} stopped{}", sp.app(), sp.record().label(), gone ? "" : " (some of its processes did not exit)");
        }
        targets.stream().map(SupervisedProcess::app).distinct().forEach(this::saveQuietly);
    }

    /** The current statuses of an app's processes, by type, index and release. */
    List<ProcessStatus> status(AppName app) {
        Instant now = Instant.now();
        return processes.values().stream()
                .filter(sp -> sp.app().equals(app))
                .map(sp -> sp.status(now))
                .sorted(Comparator.comparing(ProcessStatus::type).thenComparingInt(ProcessStatus::index)
                        .thenComparingInt(ProcessStatus::release))
                .toList();
    }

    /**
     * What each supervised process uses now, with the rest of its session (what it started): one
     * scan of {@code /proc} for the CPU times, then the memory of the members. Empty without a
     * Linux {@code /proc}.
     */
    List<ProcessUsage> usage() {
        if (!ProcStat.available()) {
            return List.of();
        }
        Map<Long, List<ProcUsage>> sessions = ProcUsage.bySession();
        List<ProcessUsage> result = new ArrayList<>();
        for (SupervisedProcess sp : processes.values()) {
            ProcessRecord record = sp.record();
            ProcessIdentity identity = record.identity();
            long cpu = 0;
            long rss = 0;
            if (identity != null && identity.find().isPresent()) {
                for (ProcUsage member : sessions.getOrDefault(identity.pid(), List.of())) {
                    cpu += member.cpuTicks() * ProcUsage.NANOS_PER_TICK;
                    rss += ProcUsage.residentBytes(member.pid());
                }
            }
            result.add(new ProcessUsage(record.id(), sp.app(), record.type(), cpu, rss, record.restarts(), sp.crashCount()));
        }
        return result;
    }

    /** The ports of the supervised web processes. */
    java.util.Set<Integer> ports() {
        return processes.values().stream().map(sp -> sp.record().port()).filter(p -> p > 0)
                .collect(java.util.stream.Collectors.toSet());
    }

    /** The live log files of the supervised processes. */
    List<Path> logFiles() {
        return processes.values().stream().map(this::logFile).distinct().toList();
    }

    /** Stops supervising; the processes keep running for the next instance to adopt. */
    void close() {
        closed = true;
        watcher.close();
    }

    private void launch(SupervisedProcess sp) throws IOException {
        ProcessRecord record = sp.record();
        Path log = logFile(sp);
        Files.createDirectories(log.getParent());
        // the platform opens the log and the process writes to the inherited descriptor: the app needs no access
        Files.setPosixFilePermissions(log.getParent(), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        if (Files.isSymbolicLink(log)) {
            // the output goes to a file of the app's own, never where a link points
            LOG.warn("App {}: {} was a symbolic link; replacing it with a file", sp.app(), log);
            Files.delete(log);
        }
        Confinement confinement = limits.prepare(sp.app().value(), record.id(), record.resourceLimits());
        long oomKills = confinement.oomKills();
        Process process = launcher.startDetached(confinement.prefix(), users.of(AppName.of(record.app())), record.command(),
                record.directory(), record.env(), log);
        sp.confined(confinement, oomKills);
        ProcessHandle handle = process.toHandle();
        Instant now = Instant.now();
        Optional<ProcessIdentity> identity = ProcessIdentity.of(handle);
        if (identity.isEmpty()) {
            if (process.isAlive()) {
                process.destroyForcibly();
                throw new IOException("the system does not tell when pid " + handle.pid() + " started");
            }
            // it ended (and was reaped) at once; its exit is handled as a crash like any other
            identity = Optional.of(new ProcessIdentity(handle.pid(), now));
        }
        sp.launched(process, identity.get(), now);
        logs.note(log, record.label() + " started (pid " + handle.pid() + ", release " + record.release() + ")");
        watch(sp, handle);
    }

    /** The user each app's processes run as, asked at every launch (so a missing one is created again). */
    @FunctionalInterface
    interface Users {
        AppUser of(AppName app) throws IOException;
    }

    private void watch(SupervisedProcess sp, ProcessHandle handle) {
        long generation = sp.generation();
        watcher.watch(sp.id(), handle, () -> exited(sp, generation));
    }

    private void exited(SupervisedProcess sp, long generation) {
        ProcessIdentity gone;
        boolean loop;
        boolean memory;
        synchronized (sp) {
            if (closed || sp.stopRequested() || sp.generation() != generation) {
                return;
            }
            gone = sp.record().identity();
            String how = how(sp.child());
            memory = sp.killedForMemory();
            if (memory) {
                how = "was killed: over its memory limit of " + memoryLimit(sp) + " (" + how + ")";
            }
            sp.ended(how);
            loop = crashed(sp, how, Instant.now());
        }
        if (memory) {
            memoryKills.accept(sp.status(Instant.now()));
        }
        if (loop) {
            saveQuietly(sp.app());
            crashLoops.accept(sp.status(Instant.now()));
        }
        if (gone != null) {
            if (loop) {
                ProcessTree.terminate(List.of(gone), LEFTOVER_GRACE);
            } else {
                ProcessTree.signal(ProcessTree.leftovers(gone));
            }
        }
    }

    /** How a process ended, with its exit status when this JVM started it (noticed while a zombie, it is reaped at once). */
    private static String how(Process child) {
        if (child == null) {
            return "exited";
        }
        try {
            return child.waitFor(REAP_WAIT.toMillis(), TimeUnit.MILLISECONDS) ? "exited with status " + child.exitValue() : "exited";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "exited";
        }
    }

    /** Decides what follows a crash (with the lock held): a restart after a delay, or a crash loop. */
    private boolean crashed(SupervisedProcess sp, String how, Instant now) {
        sp.countCrash();
        ProcessRecord record = sp.record();
        Optional<Duration> delay = sp.crashes().crashed(record.started(), now);
        if (delay.isPresent()) {
            logs.note(logFile(sp), record.label() + " " + how + "; restarting in " + seconds(delay.get()));
            LOG.warn("App {}: {} {}; restarting in {}", sp.app(), record.label(), how, seconds(delay.get()));
            scheduleRestart(sp, delay.get(), now);
            return false;
        }
        sp.crashed(now);
        String message = record.label() + " " + how + ", " + sp.crashes().recentCrashes() + " crashes within "
                + seconds(policy.crashWindow()) + "; not restarting it until it is started again";
        logs.note(logFile(sp), message);
        LOG.error("App {}: {}", sp.app(), message);
        return true;
    }

    private void scheduleRestart(SupervisedProcess sp, Duration delay, Instant now) {
        long generation = sp.restarting(now);
        try {
            sp.pendingRestart(scheduler.schedule(() -> restart(sp, generation), delay.toMillis(), TimeUnit.MILLISECONDS));
        } catch (RejectedExecutionException e) {
            // closing: the next instance restarts it
        }
    }

    private void restart(SupervisedProcess sp, long generation) {
        ProcessIdentity previous;
        synchronized (sp) {
            if (closed || sp.stopRequested() || sp.generation() != generation) {
                return;
            }
            previous = sp.record().identity();
        }
        if (previous != null && previous.find().isEmpty()) {
            // what the dead process left behind (a server it started, say) would hold the port
            ProcessTree.terminate(List.of(previous), LEFTOVER_GRACE);
        }
        boolean loop = false;
        synchronized (sp) {
            if (closed || sp.stopRequested() || sp.generation() != generation) {
                return;
            }
            try {
                launch(sp);
                sp.restarted();
            } catch (IOException | RuntimeException e) {
                String how = "could not be started (" + e.getMessage() + ")";
                sp.ended(how);
                loop = crashed(sp, how, Instant.now());
            }
        }
        saveQuietly(sp.app());
        if (loop) {
            crashLoops.accept(sp.status(Instant.now()));
        }
    }

    /** Writes the ledger of every app that has processes; returns how many. */
    int saveAll() throws IOException {
        List<AppName> apps = processes.values().stream().map(SupervisedProcess::app).distinct().toList();
        for (AppName app : apps) {
            save(app);
        }
        return apps.size();
    }

    private void save(AppName app) throws IOException {
        ledger.save(app, () -> processes.values().stream()
                .filter(sp -> sp.app().equals(app))
                .map(SupervisedProcess::record)
                .sorted(Comparator.comparing(ProcessRecord::id))
                .toList());
    }

    private void saveQuietly(AppName app) {
        try {
            save(app);
        } catch (IOException e) {
            LOG.error("App {}: cannot record its processes in {}: {}", app, ProcessLedger.DOCUMENT, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("App {}: cannot record its processes in {}", app, ProcessLedger.DOCUMENT, e);
        }
    }

    private String memoryLimit(SupervisedProcess sp) {
        ResourceLimits effective = limits.effective(sp.record().resourceLimits());
        return effective.memoryBytes() == null ? "?" : effective.describe().get(ResourceLimits.MEMORY);
    }

    private Path logFile(SupervisedProcess sp) {
        return logs.file(sp.app(), sp.record().type(), sp.record().index());
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
