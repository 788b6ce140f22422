package cloud.hop3.core.impl.process;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.event.Hop3Events;
import cloud.hop3.api.metrics.ProcessUsage;
import cloud.hop3.api.metrics.ProcessUsageSource;
import cloud.hop3.api.process.LogChunk;
import cloud.hop3.api.process.ProcessDriver;
import cloud.hop3.api.process.ProcessException;
import cloud.hop3.api.process.ProcessLaunch;
import cloud.hop3.api.process.ProcessStatus;
import cloud.hop3.core.impl.audit.ActorProperties;
import cloud.hop3.core.impl.isolation.AppUser;
import cloud.hop3.core.impl.isolation.AppUsers;
import cloud.hop3.api.process.ResourceLimits;
import cloud.hop3.core.impl.limits.AppPortFirewall;
import cloud.hop3.core.impl.limits.PlatformLimits;
import cloud.hop3.core.impl.limits.ResourceEnforcer;
import cloud.hop3.core.impl.platform.CoreConfig;
import cloud.hop3.core.impl.secret.SecretBox;
import cloud.hop3.core.impl.platform.PlatformSettings;
import cloud.hop3.core.impl.state.DocumentStore;

/**
 * The embedded {@code local} process driver: app processes are supervised processes of this
 * machine, restarted with a backoff when they crash, with their output in rotating log files
 * under {@code HOP3_HOME/apps/<app>/logs/}.
 * <p>
 * App processes do not depend on this component: their output goes straight to files, they run
 * in sessions of their own, and deactivating the component (bundle update, platform shutdown)
 * leaves them running. The next activation adopts them from {@code processes.json}.
 * <p>
 * Threads: one scheduler of two threads for exit handling, restarts and log rotation. Calls run
 * on the caller's thread; {@link #stop} and {@link #run} block until done.
 */
@Component(service = {ProcessDriver.class, LocalProcessDriver.class, ProcessUsageSource.class}, configurationPid = CoreConfig.PID,
        property = ProcessDriver.NAME_PROPERTY + "=" + LocalProcessDriver.NAME)
public class LocalProcessDriver implements ProcessDriver, ProcessUsageSource {

    /** This driver's name. */
    public static final String NAME = "local";

    /**
     * Settings of the local driver, read from core's configuration ({@code cloud.hop3.core});
     * not designated for metatype, because {@link CoreConfig} describes that PID.
     */
    public @interface Config {
        /** Size in bytes above which a process log is rotated (property {@code process.log.max.bytes}). */
        long process_log_max_bytes() default 10L * 1024 * 1024;

        /** Number of rotated logs kept per process, {@code .1} the newest (property {@code process.log.keep}). */
        int process_log_keep() default 5;

        /** Seconds between two checks of the log sizes (property {@code process.log.check.seconds}). */
        long process_log_check_seconds() default 10;
    }

    private static final Logger LOG = LoggerFactory.getLogger(LocalProcessDriver.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private volatile EventAdmin events;

    @Reference
    private AppUsers users;

    /** Encrypts the environments kept in the process ledgers; none in tests built without it. */
    @Reference
    private SecretBox secrets;

    private ScheduledThreadPoolExecutor scheduler;
    private ProcessLauncher launcher;
    private AppLogs logs;
    private volatile LogRotator rotator;
    private ScheduledFuture<?> rotation;
    private DriverOptions options;
    private Supervisor supervisor;
    private ResourceEnforcer limits;
    private AppPortFirewall firewall;

    /** For DS. */
    public LocalProcessDriver() {
    }

    /** For tests: a driver that DS-like callers activate, whose apps run as the users of {@code users}. */
    LocalProcessDriver(AppUsers users) {
        this.users = users;
    }

    /** For tests and embedding: a driver on a state directory that adopts what runs there. */
    public LocalProcessDriver(PlatformSettings settings, DriverOptions options) throws IOException {
        this(settings, options, AppUsers.none(settings.home()));
    }

    /** For tests and embedding: a driver whose apps run as the users of {@code users}. */
    public LocalProcessDriver(PlatformSettings settings, DriverOptions options, AppUsers users) throws IOException {
        this.users = users;
        open(settings, options, ResourceLimits.NONE, false);
    }

    /** For tests and embedding: the same, with default limits for app processes. */
    public LocalProcessDriver(PlatformSettings settings, DriverOptions options, ResourceLimits defaults) throws IOException {
        this.users = AppUsers.none(settings.home());
        open(settings, options, defaults, false);
    }

    /** Event Admin, to publish crash loops ({@code cloud/hop3/app/CRASHED}); optional. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetEvents")
    void setEvents(EventAdmin admin) {
        events = admin;
    }

    void unsetEvents(EventAdmin admin) {
        if (events == admin) {
            events = null;
        }
    }

    @Activate
    void activate(CoreConfig core, Config config) throws IOException {
        DriverOptions options = DriverOptions.DEFAULT.withLogRotation(config.process_log_max_bytes(), config.process_log_keep(),
                Duration.ofSeconds(Math.max(1, config.process_log_check_seconds())));
        open(PlatformSettings.resolve(core), options, PlatformLimits.from(core, LOG::error), core.app_ports_loopback_only());
    }

    /**
     * A change of core's configuration restarts nothing: new log rotation settings apply from
     * the next check; the state directory is read once, at activation (see {@code AppCatalog}).
     * Called by SCR on Config Admin's thread.
     */
    @Modified
    synchronized void modified(CoreConfig core, Config config) {
        DriverOptions next = options.withLogRotation(config.process_log_max_bytes(), config.process_log_keep(),
                Duration.ofSeconds(Math.max(1, config.process_log_check_seconds())));
        if (next.logMaxBytes() != options.logMaxBytes() || next.logKeep() != options.logKeep()) {
            rotator = new LogRotator(next.logMaxBytes(), next.logKeep());
        }
        if (!next.logCheckInterval().equals(options.logCheckInterval())) {
            rotation.cancel(false);
            long every = next.logCheckInterval().toMillis();
            rotation = scheduler.scheduleWithFixedDelay(this::rotateLogs, every, every, TimeUnit.MILLISECONDS);
        }
        options = next;
    }

    @Deactivate
    void deactivate() {
        close();
    }

    private void open(PlatformSettings settings, DriverOptions options, ResourceLimits defaults, boolean loopbackOnly)
            throws IOException {
        Path apps = Files.createDirectories(settings.home().resolve("apps"));
        scheduler = new ScheduledThreadPoolExecutor(2, threads());
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        launcher = ProcessLauncher.detect();
        logs = new AppLogs(apps);
        rotator = new LogRotator(options.logMaxBytes(), options.logKeep());
        ExitWatcher watcher = new ExitWatcher(scheduler, options.exitPoll());
        limits = ResourceEnforcer.detect(settings.home(), defaults);
        LOG.info("App process limits: {}; platform defaults: {}", limits.describe(), defaults);
        firewall = AppPortFirewall.detect(settings.home(), loopbackOnly);
        if (!loopbackOnly || firewall.status().startsWith("reachable")) {
            LOG.warn("App ports: {}", firewall.status());
        }
        supervisor = new Supervisor(launcher, this::userFor, new ProcessLedger(new DocumentStore(settings.home()), secrets), logs, watcher,
                scheduler, options.restartPolicy(), this::crashLoop, limits, this::outOfMemory);
        if (!launcher.ownSessions()) {
            LOG.warn("No setsid command found: app processes share the platform's session, and processes they leave behind when they crash are not found");
        }
        try {
            supervisor.adoptAll();
            firewall.sync(supervisor.ports());
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        this.options = options;
        long every = options.logCheckInterval().toMillis();
        rotation = scheduler.scheduleWithFixedDelay(this::rotateLogs, every, every, TimeUnit.MILLISECONDS);
        LOG.info("Local process driver supervising the apps in {}", apps);
    }

    /**
     * Stops supervising and releases the threads; the app processes keep running and the next
     * instance on the same state directory adopts them.
     */
    public void close() {
        if (supervisor != null) {
            supervisor.close();
        }
        if (scheduler != null) {
            // no interrupts: a restart that is under way finishes and records its process
            scheduler.shutdown();
            try {
                if (!scheduler.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("Local process driver: tasks still running after {} s; interrupting them", CLOSE_WAIT.toSeconds());
                    scheduler.shutdownNow();
                }
            } catch (InterruptedException e) {
                scheduler.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ProcessStatus start(ProcessLaunch launch) throws ProcessException {
        try {
            // the rule comes before the process: a port is never open to the network, not even briefly
            if (launch.port() > 0) {
                java.util.Set<Integer> ports = new java.util.HashSet<>(supervisor.ports());
                ports.add(launch.port());
                firewall.sync(ports);
            }
            return supervisor.start(launch);
        } finally {
            firewall.sync(supervisor.ports());
        }
    }

    @Override
    public void stop(String processId, Duration grace) {
        supervisor.stop(processId, grace);
        firewall.sync(supervisor.ports());
    }

    /**
     * Stops every process of an app (for {@code app:stop} and {@code app:destroy}): SIGTERM to all
     * of them and their trees at once, SIGKILL to what is left after {@code grace}. The app's
     * control groups go with them.
     *
     * @return how many processes were stopped
     */
    public int stopAll(AppName app, Duration grace) {
        int stopped = supervisor.stopAll(app, grace);
        firewall.sync(supervisor.ports());
        limits.forget(app.value()); // the app's control groups, now empty: none is left behind by app:destroy
        return stopped;
    }

    /**
     * Writes every app's process ledger again, with the key that seals now (a rotation of the
     * key of secrets at rest, before the old keys are forgotten).
     *
     * @return how many ledgers were written
     */
    public int resealLedgers() throws IOException {
        return supervisor.saveAll();
    }

    @Override
    public int run(ProcessLaunch launch, OutputStream output, Duration timeout) throws ProcessException, InterruptedException {
        AppUser user;
        try {
            user = userFor(launch.app());
        } catch (IOException e) {
            throw new ProcessException("Cannot run a command of app '" + launch.app() + "' as its user: " + e.getMessage(), e);
        }
        return OneOffRun.run(launcher, limits, user, launch, output, timeout);
    }

    @Override
    public List<ProcessStatus> status(AppName app) {
        return supervisor.status(app);
    }

    /** CPU time and memory of every supervised process's tree, read from {@code /proc}, with its restarts and crashes. */
    @Override
    public List<ProcessUsage> usage() {
        Supervisor s = supervisor;
        return s == null ? List.of() : s.usage();
    }

    @Override
    public LogChunk tail(AppName app, int lines) {
        return logs.tail(app, lines);
    }

    @Override
    public LogChunk logs(AppName app, String from, int max) {
        return logs.read(app, from, max);
    }

    /**
     * The user an app's process starts as. Its files are put in order first: a process adopted
     * from before the app had a user of its own is restarted as that user after a crash, and
     * must find its data and slug its own.
     */
    private AppUser userFor(AppName app) throws IOException {
        return users.isolated() ? users.ensure(app) : AppUser.PLATFORM;
    }

    /** Rotates the logs of the supervised processes that grew too large (on the scheduler). */
    void rotateLogs() {
        List<Path> files;
        try {
            files = supervisor.logFiles();
        } catch (RuntimeException e) {
            LOG.warn("Cannot list the process logs to rotate: {}", e.toString());
            return;
        }
        for (Path log : files) {
            try {
                if (logs.rotate(rotator, log)) {
                    LOG.info("Rotated {}", log);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("Cannot rotate {}: {}", log, e.getMessage());
            }
        }
    }

    /**
     * How app processes are held to their limits here, and the platform's defaults (for
     * {@code app:info}).
     */
    public ResourceEnforcer limits() {
        return limits;
    }

    /** Whether app ports answer on loopback only, and why not (for {@code app:info}). */
    public String appPorts() {
        return firewall.status();
    }

    private void outOfMemory(ProcessStatus status) {
        LOG.warn("App {}: {}.{} {}", status.app(), status.type(), status.index(), status.lastExit());
        EventAdmin admin = events;
        if (admin != null) {
            admin.postEvent(new Event(Hop3Events.APP_OUT_OF_MEMORY, ActorProperties.add(new HashMap<>(Map.of(Hop3Events.APP,
                    status.app().value(), Hop3Events.RELEASE, status.release(), Hop3Events.MESSAGE,
                    status.type() + "." + status.index() + " " + status.lastExit())))));
        }
    }

    private void crashLoop(ProcessStatus status) {
        EventAdmin admin = events;
        if (admin != null) {
            admin.postEvent(new Event(Hop3Events.APP_CRASHED, ActorProperties.add(new HashMap<>(Map.of(Hop3Events.APP,
                    status.app().value(), Hop3Events.RELEASE, status.release(), Hop3Events.MESSAGE,
                    status.type() + "." + status.index() + " crashed repeatedly and is no longer restarted")))));
        }
    }

    private static java.util.concurrent.ThreadFactory threads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, "hop3-process-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
