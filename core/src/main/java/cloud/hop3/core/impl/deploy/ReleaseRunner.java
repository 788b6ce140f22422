package cloud.hop3.core.impl.deploy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.api.deploy.DeployException;
import cloud.hop3.api.platform.Platform;
import cloud.hop3.api.plugin.PluginKind;
import cloud.hop3.api.app.Formation;
import cloud.hop3.api.app.HostName;
import cloud.hop3.api.build.HealthCheck;
import cloud.hop3.api.process.ProcessDriver;
import cloud.hop3.api.process.ProcessException;
import cloud.hop3.api.process.ProcessLaunch;
import cloud.hop3.api.process.ProcessState;
import cloud.hop3.api.process.ProcessStatus;
import cloud.hop3.api.process.ReleaseDriver;
import cloud.hop3.api.process.ReleasePlan;
import cloud.hop3.api.process.ResourceLimits;
import cloud.hop3.api.proxy.Proxy;
import cloud.hop3.api.proxy.ProxyException;
import cloud.hop3.api.proxy.Upstream;
import cloud.hop3.core.impl.app.AppCatalog;
import cloud.hop3.core.impl.app.AppDocument;
import cloud.hop3.core.impl.app.ReleaseDocument;
import cloud.hop3.core.impl.isolation.AppUsers;
import cloud.hop3.core.impl.app.RuntimeDocument;
import cloud.hop3.core.impl.platform.CoreConfig;
import cloud.hop3.core.impl.platform.PlatformSettings;
import cloud.hop3.core.impl.plugin.PluginChooser;
import cloud.hop3.core.impl.route.RouteManager;
import cloud.hop3.core.impl.tls.Certificates;

/**
 * Puts a release into service without downtime: runs its release command, starts its processes
 * on fresh ports, health-checks the web ones, switches the routes atomically, then drains and
 * stops the processes that served before. Anything that fails before the switch stops what it
 * started and leaves the previous processes serving, untouched.
 * <p>
 * Each app runs on its own driver ({@code app:driver}, else core's {@code driver}). When that is a
 * {@link ReleaseDriver}, the release is handed over whole instead, as a {@link ReleasePlan}
 * ({@link #plan}): no health check on loopback, no route of the platform's proxy; the release is
 * recorded once the driver says it serves. Scaling, restarting and stopping such an app go to the
 * driver's {@code scale}, {@code restart} and {@code remove}.
 * <p>
 * Over 400 lines because both ways of putting a release into service, and the moves between
 * them, are here, next to each other.
 */
@Component(service = ReleaseRunner.class, configurationPid = CoreConfig.PID)
public class ReleaseRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseRunner.class);
    static final Duration RELEASE_COMMAND_TIMEOUT = Duration.ofMinutes(15);
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
    static final Duration STOP_GRACE = Duration.ofSeconds(10);

    @Reference
    private AppCatalog apps;

    @Reference
    private RouteManager routes;

    @Reference
    private Platform platform;

    @Reference
    private AppUsers users;

    /** The certificates of apps' host names, for the plans of whole releases; absent in some tests. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Certificates certificates;

    private final PluginChooser<ProcessDriver> drivers = new PluginChooser<>(PluginKind.PROCESS_DRIVER);
    private final Ports ports = new Ports();
    private final HealthProbe health = new HealthProbe();
    private volatile String configuredDriver = "";
    private volatile URI publicUrl = URI.create("http://127.0.0.1:" + PlatformSettings.DEFAULT_API_PORT);
    private volatile Duration releaseDeadline = Duration.ofMinutes(10);

    /** For DS. */
    public ReleaseRunner() {
    }

    /** For tests: releases of the apps in {@code apps}, routed by {@code routes}. */
    ReleaseRunner(AppCatalog apps, RouteManager routes, Platform platform, AppUsers users) {
        this.apps = apps;
        this.routes = routes;
        this.platform = platform;
        this.users = users;
    }

    /** Also called by SCR when core's configuration changes, which restarts nothing: later deploys use the driver named then. */
    @Activate
    @Modified
    void activate(CoreConfig config) {
        configuredDriver = config.driver();
        releaseDeadline = Duration.ofSeconds(Math.max(1, config.release_deadline_seconds()));
        try {
            publicUrl = PlatformSettings.publicUrl(config, PlatformSettings.resolve(config).domain(), System::getenv);
        } catch (IllegalArgumentException e) {
            LOG.error("{}; slugs are offered at {} instead", e.getMessage(), publicUrl);
        }
        if (routes != null) {
            routes.servedElsewhere(this::servedWhole);
        }
    }

    /** For tests: where clusters fetch slugs from, and how long a whole release may take. */
    void settings(URI url, Duration deadline) {
        publicUrl = url;
        releaseDeadline = deadline;
    }

    @Reference(service = ProcessDriver.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeDriver")
    void addDriver(ProcessDriver driver, Map<String, Object> properties) {
        drivers.add(driver, properties);
    }

    void removeDriver(ProcessDriver driver, Map<String, Object> properties) {
        drivers.remove(driver);
    }

    /** The platform's default process driver: core's {@code driver}, else the one the chooser picks. */
    public ProcessDriver driver() throws DeployException {
        return drivers.choose(configuredDriver).orElseThrow(() -> new DeployException(
                configuredDriver == null || configuredDriver.isBlank()
                        ? "No process driver is installed, so the app cannot run."
                        : "The process driver '" + configuredDriver + "' configured in cloud.hop3.core is not installed."));
    }

    /** The installed driver of this name, if any. */
    public Optional<ProcessDriver> installed(String name) {
        return name == null || name.isBlank() ? Optional.empty() : drivers.choose(name);
    }

    /** The names of the installed drivers, sorted. */
    public List<String> installedNames() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        // every name the chooser knows: asking it for each is the one rule that plugin:list follows too
        for (String candidate : drivers.names()) {
            names.add(candidate);
        }
        return List.copyOf(names);
    }

    /** The driver the app's next release goes to: the one chosen for it, else the platform's default. */
    public ProcessDriver nextDriver(AppDocument doc) throws DeployException {
        if (doc.driver().isBlank()) {
            return driver();
        }
        return drivers.choose(doc.driver()).orElseThrow(() -> new DeployException("The process driver '" + doc.driver()
                + "' chosen for app '" + doc.name() + "' is not installed; install it, or choose another with app:driver "
                + doc.name() + " <name> (app:driver " + doc.name() + " --default for the platform's default)."));
    }

    /**
     * The driver that runs the app's current release: the one recorded with it, else (a release
     * put into service before drivers were recorded) the platform's default.
     */
    public Optional<ProcessDriver> servingDriver(AppDocument doc) {
        if (!doc.runsOn().isBlank()) {
            return drivers.choose(doc.runsOn());
        }
        return drivers.choose(configuredDriver);
    }

    /**
     * The driver that answers for the app's processes, logs and one-off runs: the one that runs
     * its current release, else the one its next release goes to.
     */
    public ProcessDriver driver(AppName app) throws DeployException {
        AppDocument doc = apps.document(app);
        if (doc.current().isPresent() && !doc.runsOn().isBlank()) {
            return servingDriver(doc).orElseThrow(() -> new DeployException("The process driver '" + doc.runsOn()
                    + "' that runs app '" + app + "' is not installed."));
        }
        return nextDriver(doc);
    }

    /** Whether the app's current release was put into service whole, by a {@link ReleaseDriver}. */
    public boolean servedWhole(AppDocument doc) {
        return doc.current().isPresent() && !doc.runsOn().isBlank()
                && servingDriver(doc).filter(d -> d instanceof ReleaseDriver).isPresent();
    }

    /** The environment of a process of a release. */
    public Map<String, String> environment(AppName app, ReleaseDocument release, String type, int port) {
        return ProcessEnvironment.of(app.value(), release, apps.directory(app), slug(app, release), type, port);
    }

    /** The slug a release runs from. */
    public Path slug(AppName app, ReleaseDocument release) {
        return apps.directory(app).resolve("releases").resolve(String.valueOf(release.artifact())).resolve("slug");
    }

    /**
     * Puts {@code release} into service.
     *
     * @param runReleaseCommand whether to run its release command first (deploys and config changes)
     * @param onSwitch          the change of the app's state that goes with the switch of its routes
     *                          (recording a new release, for example); saved only if the switch happens
     */
    public void launch(AppName app, ReleaseDocument release, boolean runReleaseCommand, UnaryOperator<AppDocument> onSwitch,
                       BuildLog log) throws DeployException, InterruptedException {
        boolean needsDriver = release.runtime().releaseCommand() != null || release.formation().entrySet().stream()
                .anyMatch(f -> f.getValue() > 0 && release.runtime().processes().containsKey(f.getKey()));
        if (needsDriver && drivers.choose(null).isEmpty()) {
            driver(); // none is installed: says so
        }
        AppDocument doc = apps.document(app);
        Optional<ProcessDriver> chosen = doc.driver().isBlank() ? drivers.choose(configuredDriver) : drivers.choose(doc.driver());
        if (chosen.isPresent() && chosen.get() instanceof ReleaseDriver whole) {
            applyWhole(whole, app, doc, release, runReleaseCommand, onSwitch, log);
            return;
        }
        boolean runsProcesses = release.formation().entrySet().stream()
                .anyMatch(f -> f.getValue() > 0 && release.runtime().processes().containsKey(f.getKey()));
        // a static site needs no process driver, unless processes of an earlier release must stop
        ProcessDriver driver = runsProcesses || release.runtime().releaseCommand() != null ? nextDriver(doc)
                : chosen.orElse(null);
        // the processes that serve now, on this driver or, after app:driver, on the one that ran the app before
        Optional<ProcessDriver> previous = doc.current().isPresent() ? servingDriver(doc) : Optional.empty();
        ProcessDriver retiring = previous.filter(p -> p != driver).orElse(driver);
        Path slug = slug(app, release);
        Path appDir = apps.directory(app);
        try {
            // an app deployed before it had a user of its own gets it, and its files, here
            users.ensure(app);
        } catch (IOException e) {
            throw new DeployException("The files of app '" + app + "' could not be given to its user: " + e.getMessage(), e);
        }
        if (runReleaseCommand && release.runtime().releaseCommand() != null) {
            runReleaseCommand(driver, app, release, appDir, slug, log);
        }
        List<ProcessStatus> before = retiring == null || retiring instanceof ReleaseDriver ? List.of() : retiring.status(app);
        List<ProcessStatus> started = new ArrayList<>();
        List<Integer> webPorts = new ArrayList<>();
        try {
            for (Map.Entry<String, Integer> f : release.formation().entrySet()) {
                String command = release.runtime().processes().get(f.getKey());
                if (command == null) {
                    continue;
                }
                for (int i = 1; i <= f.getValue(); i++) {
                    int port = f.getKey().equals("web") ? ports.allocate() : 0;
                    ProcessLaunch launch = new ProcessLaunch(app, release.number(), f.getKey(), i, command, slug,
                            ProcessEnvironment.of(app.value(), release, appDir, slug, f.getKey(), port), port, limits(app, release));
                    started.add(driver.start(launch));
                    if (port > 0) {
                        webPorts.add(port);
                    }
                }
            }
            if (!started.isEmpty()) {
                log.step("Started " + describe(started) + ", checking health");
            }
            for (ProcessStatus s : started) {
                if (s.port() > 0) {
                    String problem = health.await(s.port(), release.runtime().healthCheck(), () -> crashed(driver, app, s));
                    if (problem != null) {
                        throw new DeployException(s.type() + "." + s.index() + " " + problem + lastOutput(driver, app, s));
                    }
                }
            }
            String runsOn = driver == null ? "" : driver.name();
            AppDocument switched = routes.commit(app, d -> onSwitch.apply(d).withUpstreams(webPorts).withRunsOn(runsOn));
            LOG.info("App {} now serves release {} on {}", app, release.number(), webPorts);
            if (!webPorts.isEmpty() || !release.runtime().statics().isEmpty()) {
                servingAt(app, switched).ifPresent(log::step);
            }
        } catch (DeployException | InterruptedException | RuntimeException e) {
            stopAll(driver, started);
            throw e;
        } catch (IOException e) {
            stopAll(driver, started);
            throw new DeployException("The processes could not be started: " + e.getMessage(), e);
        } catch (ProcessException | ProxyException e) {
            stopAll(driver, started);
            throw new DeployException(e.getMessage(), e);
        }
        if (retiring instanceof ReleaseDriver cluster) {
            removeQuietly(cluster, app);
        } else if (retiring != null) {
            retire(retiring, before);
        }
    }

    /**
     * Hands {@code release} to a driver that puts whole releases into service, and records it
     * once the driver says it serves; the processes that served before on another driver stop then.
     * When the driver fails, nothing is recorded and the previous release still serves.
     */
    private void applyWhole(ReleaseDriver driver, AppName app, AppDocument doc, ReleaseDocument release,
                            boolean runReleaseCommand, UnaryOperator<AppDocument> onSwitch, BuildLog log)
            throws DeployException, InterruptedException {
        Optional<ProcessDriver> previous = doc.current().isPresent() ? servingDriver(doc).filter(p -> p != driver)
                : Optional.empty();
        List<ProcessStatus> before = previous.filter(p -> !(p instanceof ReleaseDriver)).map(p -> p.status(app))
                .orElse(List.of());
        String token;
        try {
            token = slugFor(app, release);
        } catch (IOException e) {
            throw new DeployException("The slug of v" + release.number() + " could not be archived for the driver '"
                    + driver.name() + "': " + e.getMessage(), e);
        }
        ReleasePlan plan;
        try {
            plan = plan(app, doc, release, runReleaseCommand, token);
            log.step("Handing v" + release.number() + " to the process driver '" + driver.name() + "'");
            driver.apply(plan, log::step);
        } catch (ProcessException e) {
            archives().forget(app, release.number());
            throw new DeployException("The process driver '" + driver.name() + "' did not put v" + release.number()
                    + " into service, so the previous release still serves: " + e.getMessage(), e);
        } catch (InterruptedException | RuntimeException e) {
            archives().forget(app, release.number());
            throw e;
        }
        record(app, d -> onSwitch.apply(d).withUpstreams(List.of()).withRunsOn(driver.name()));
        LOG.info("App {} now serves release {} on the driver {}", app, release.number(), driver.name());
        if (previous.isPresent() && previous.get() instanceof ReleaseDriver other) {
            removeQuietly(other, app);
        } else if (previous.isPresent()) {
            retire(previous.get(), before);
        }
    }

    /** Saves an app's state without a route of the platform's proxy for it (it is routed elsewhere). */
    private AppDocument record(AppName app, UnaryOperator<AppDocument> change) throws DeployException {
        if (routes.proxy().isPresent()) {
            try {
                // the table applied leaves the app out, which removes the routes it had here
                return routes.commit(app, change);
            } catch (ProxyException e) {
                LOG.warn("App {}: the proxy refused the routes without it ({}); its state is saved anyway", app,
                        e.getMessage());
            }
        }
        return apps.update(app, change);
    }

    private static void removeQuietly(ReleaseDriver driver, AppName app) throws InterruptedException {
        try {
            driver.remove(app);
        } catch (ProcessException e) {
            LOG.warn("App {}: what the driver {} ran for it could not be removed: {}", app, driver.name(), e.getMessage());
        }
    }

    /** Makes the archive of the release's slug (once per build) and a new token for the release. */
    private String slugFor(AppName app, ReleaseDocument release) throws IOException, InterruptedException {
        users.ensure(app);
        if (archives().make(app, release, slug(app, release))) {
            users.sealFile(app, archives().archive(app, release.artifact()));
        }
        return archives().issue(app, release.number(), release.artifact());
    }

    private SlugArchives archives() {
        return new SlugArchives(apps);
    }

    /** Where a cluster fetches the slug of {@code release} of {@code app}. */
    public URI slugUri(AppName app, int release) {
        return URI.create(publicUrl + "/api/v1/apps/" + app.value() + "/releases/" + release + "/slug");
    }

    /**
     * The plan of {@code release}: its processes and formation, the environment of its processes
     * without {@code PORT} (nor the process type, which differs from one process to the other), its
     * health check, the app's host names and certificate, its cron entries, its release command
     * when it is to run, its limits, and a deadline: core's {@code release.deadline.seconds}, or
     * the health check's timeout when that is longer.
     */
    public ReleasePlan plan(AppName app, AppDocument doc, ReleaseDocument release, boolean runReleaseCommand, String token) {
        RuntimeDocument runtime = release.runtime();
        // the paths are those of the slug where the driver unpacks it, not of this machine
        Path root = Path.of(ReleasePlan.SLUG_ROOT);
        Map<String, String> env = new java.util.LinkedHashMap<>(ProcessEnvironment.of(app.value(), release, root, root, "web", 0));
        env.remove("PORT");
        env.remove("HOP3_PROCESS_TYPE");
        HealthCheck check = runtime.healthCheck();
        ReleasePlan.Health health = check == null || check.path() == null ? ReleasePlan.Health.ANY
                : new ReleasePlan.Health(check.path(), check.expectedContent());
        Duration deadline = releaseDeadline;
        if (check != null && check.timeout() != null && check.timeout().compareTo(deadline) > 0) {
            deadline = check.timeout();
        }
        List<HostName> hosts = hosts(doc);
        Certificates tls = certificates;
        List<ReleasePlan.Cron> cron = runtime.cron().stream().map(c -> new ReleasePlan.Cron(c.schedule(), c.command())).toList();
        return new ReleasePlan(app, release.number(), release.builder() == null ? "" : release.builder(),
                runtime.processes(), new Formation(release.formation()), env, slugUri(app, release.number()), token,
                health, hosts, tls == null ? null : tls.serving(app).orElse(null), cron,
                runReleaseCommand ? runtime.releaseCommand() : null, doc.limitsOf(release), deadline);
    }

    private List<HostName> hosts(AppDocument doc) {
        List<HostName> hosts = new ArrayList<>();
        for (String host : routes.hosts(doc)) {
            if (HostName.isValid(host)) {
                hosts.add(HostName.of(host));
            }
        }
        return hosts;
    }

    /**
     * Gives the driver that took the app's current release whole the app's host names and
     * certificate as they are now: after a change of its domains. Does nothing for an app that the
     * platform's proxy routes, or that is stopped.
     */
    public void reroute(AppName app) throws DeployException, InterruptedException {
        AppDocument doc = apps.document(app);
        Optional<ReleaseDriver> whole = doc.stopped() || !servedWhole(doc) ? Optional.empty()
                : servingDriver(doc).map(d -> (ReleaseDriver) d);
        if (whole.isEmpty()) {
            return;
        }
        Certificates tls = certificates;
        try {
            whole.get().route(app, hosts(doc), tls == null ? null : tls.serving(app).orElse(null));
        } catch (ProcessException e) {
            throw new DeployException("The process driver '" + whole.get().name() + "' did not take the host names of app '"
                    + app + "': " + e.getMessage(), e);
        }
    }

    /**
     * Changes the formation of the app's current release: {@code scale} of a driver that took the
     * release whole, else a new launch of {@code release}.
     */
    public void scale(AppName app, ReleaseDocument release, UnaryOperator<AppDocument> onSwitch, BuildLog log)
            throws DeployException, InterruptedException {
        onWhole(app, release, onSwitch, log, "Scaling", "scale", driver -> driver.scale(app, new Formation(release.formation())));
    }

    /**
     * Replaces every process of the app's current release: {@code restart} of a driver that took
     * it whole and still runs it, else a new launch of {@code release} (a stopped app starts so).
     */
    public void restart(AppName app, ReleaseDocument release, UnaryOperator<AppDocument> onSwitch, BuildLog log)
            throws DeployException, InterruptedException {
        onWhole(app, release, onSwitch, log, "Restarting", "restart", driver -> driver.restart(app));
    }

    /** A change of the app's running release on the driver that took it whole. */
    @FunctionalInterface
    private interface WholeChange {
        void on(ReleaseDriver driver) throws ProcessException, InterruptedException;
    }

    /**
     * Does {@code change} on the driver that took the app's current release whole and still runs
     * it, then records the app's document as {@code onSwitch} makes it; else launches
     * {@code release} again. {@code step} is the log's line, {@code verb} what the error says
     * was not done.
     */
    private void onWhole(AppName app, ReleaseDocument release, UnaryOperator<AppDocument> onSwitch, BuildLog log, String step,
                         String verb, WholeChange change)
            throws DeployException, InterruptedException {
        Optional<ReleaseDriver> whole = wholeAndStill(apps.document(app));
        if (whole.isEmpty()) {
            launch(app, release, false, onSwitch, log);
            return;
        }
        ReleaseDriver driver = whole.get();
        try {
            log.step(step + " on the process driver '" + driver.name() + "'");
            change.on(driver);
        } catch (ProcessException e) {
            throw new DeployException("The process driver '" + driver.name() + "' did not " + verb + " app '" + app + "': "
                    + e.getMessage(), e);
        }
        record(app, d -> onSwitch.apply(d).withRunsOn(driver.name()));
    }

    /**
     * The driver that took the app's current release whole, when it is still the app's driver and
     * the app is not stopped: a change of the formation or a restart then goes to it directly.
     */
    private Optional<ReleaseDriver> wholeAndStill(AppDocument doc) {
        if (doc.stopped() || !servedWhole(doc)) {
            return Optional.empty();
        }
        Optional<ProcessDriver> serving = servingDriver(doc);
        Optional<ProcessDriver> next = doc.driver().isBlank() ? drivers.choose(configuredDriver) : drivers.choose(doc.driver());
        if (serving.isEmpty() || next.isEmpty() || serving.get() != next.get()) {
            return Optional.empty();
        }
        return Optional.of((ReleaseDriver) serving.get());
    }

    /** Stops whatever runs the app, on any driver: for a destroy. */
    public void removeAll(AppName app, AppDocument doc) throws InterruptedException {
        java.util.Set<ProcessDriver> seen = new java.util.LinkedHashSet<>();
        servingDriver(doc).ifPresent(seen::add);
        drivers.choose(configuredDriver).ifPresent(seen::add);
        if (!doc.driver().isBlank()) {
            drivers.choose(doc.driver()).ifPresent(seen::add);
        }
        for (ProcessDriver driver : seen) {
            if (driver instanceof ReleaseDriver cluster) {
                removeQuietly(cluster, app);
            } else {
                for (ProcessStatus p : driver.status(app)) {
                    driver.stop(p.id(), STOP_GRACE);
                }
            }
        }
    }

    /**
     * The line that tells the pusher where the app answers: its first address as the proxy
     * that serves reports it (through {@link Platform#publicAddresses}), else its first host
     * name on the platform's HTTP port.
     */
    Optional<String> servingAt(AppName app, AppDocument doc) {
        List<URI> addresses = platform.publicAddresses(app);
        if (!addresses.isEmpty()) {
            return Optional.of("Serving at " + addresses.get(0));
        }
        List<String> hosts = routes.hosts(doc);
        if (hosts.isEmpty()) {
            return Optional.empty();
        }
        int port = platform.httpPort();
        return Optional.of("Serving at http://" + hosts.get(0) + (port == 80 ? "" : ":" + port) + "/");
    }

    /** Stops an app: its routes first, then its processes. */
    public void stop(AppName app) throws DeployException, ProxyException, InterruptedException {
        AppDocument doc = apps.document(app);
        if (servedWhole(doc)) {
            ReleaseDriver cluster = (ReleaseDriver) servingDriver(doc).orElseThrow();
            try {
                cluster.remove(app);
            } catch (ProcessException e) {
                throw new DeployException("The process driver '" + cluster.name() + "' did not stop app '" + app + "': "
                        + e.getMessage(), e);
            }
            record(app, d -> d.withStopped(true).withUpstreams(List.of()));
            return;
        }
        ProcessDriver driver = driver(app);
        List<ProcessStatus> running = driver.status(app);
        routes.commit(app, d -> d.withStopped(true).withUpstreams(List.of()));
        retire(driver, running);
    }

    /** Drains the previous web processes at the proxy, then stops every previous process. */
    public void retire(ProcessDriver driver, List<ProcessStatus> previous) throws InterruptedException {
        if (previous.isEmpty()) {
            return;
        }
        List<Upstream> upstreams = previous.stream().filter(p -> p.port() > 0).map(p -> new Upstream("127.0.0.1", p.port())).toList();
        Optional<Proxy> proxy = routes.proxy();
        if (proxy.isPresent() && !upstreams.isEmpty() && !proxy.get().drain(upstreams, DRAIN_TIMEOUT)) {
            LOG.warn("Requests were still running on {} after {}; stopping the processes anyway", upstreams, DRAIN_TIMEOUT);
        }
        for (ProcessStatus p : previous) {
            driver.stop(p.id(), STOP_GRACE);
        }
    }

    /** The limits of the app's processes in {@code release}: app:limits over hop3.toml (the driver adds the platform's defaults). */
    public ResourceLimits limits(AppName app, ReleaseDocument release) {
        return apps.document(app).limitsOf(release);
    }

    private void runReleaseCommand(ProcessDriver driver, AppName app, ReleaseDocument release, Path appDir, Path slug,
                                   BuildLog log) throws DeployException, InterruptedException {
        log.step("Running the release command: " + release.runtime().releaseCommand());
        ProcessLaunch launch = new ProcessLaunch(app, release.number(), "release", 1, release.runtime().releaseCommand(),
                slug, ProcessEnvironment.of(app.value(), release, appDir, slug, "release", 0), 0, limits(app, release));
        int status;
        try (LineLog out = new LineLog(log)) {
            status = driver.run(launch, out, RELEASE_COMMAND_TIMEOUT);
        } catch (ProcessException e) {
            throw new DeployException("The release command failed: " + e.getMessage(), e);
        }
        if (status != 0) {
            throw new DeployException("The release command exited with status " + status + "; nothing was changed.");
        }
    }

    private static String crashed(ProcessDriver driver, AppName app, ProcessStatus started) {
        for (ProcessStatus s : driver.status(app)) {
            if (s.id().equals(started.id()) && (s.state() == ProcessState.CRASHED || s.restarts() > started.restarts())) {
                return "exited while starting";
            }
        }
        return null;
    }

    private static String lastOutput(ProcessDriver driver, AppName app, ProcessStatus p) {
        String prefix = p.type() + "." + p.index() + " | ";
        List<String> lines = driver.tail(app, 200).lines().stream().filter(l -> l.startsWith(prefix)).toList();
        if (lines.isEmpty()) {
            return "";
        }
        List<String> tail = lines.subList(Math.max(0, lines.size() - 10), lines.size());
        return "; its last output:\n" + String.join("\n", tail);
    }

    private static void stopAll(ProcessDriver driver, List<ProcessStatus> processes) {
        for (ProcessStatus p : processes) {
            driver.stop(p.id(), Duration.ofSeconds(2));
        }
    }

    private static String describe(List<ProcessStatus> processes) {
        List<String> names = processes.stream().map(p -> p.type() + "." + p.index()).toList();
        return String.join(", ", names);
    }

    /** Sends a process's output to a build log, line by line. */
    static final class LineLog extends OutputStream {
        private final BuildLog log;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineLog(BuildLog log) {
            this.log = log;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                flushLine();
            } else {
                line.write(b);
            }
        }

        @Override
        public synchronized void close() {
            if (line.size() > 0) {
                flushLine();
            }
        }

        private void flushLine() {
            log.info(line.toString(StandardCharsets.UTF_8));
            line.reset();
        }
    }
}
