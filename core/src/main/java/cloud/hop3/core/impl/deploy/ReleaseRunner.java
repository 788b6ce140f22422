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
import cloud.hop3.api.process.ProcessDriver;
import cloud.hop3.api.process.ProcessException;
import cloud.hop3.api.process.ProcessLaunch;
import cloud.hop3.api.process.ProcessState;
import cloud.hop3.api.process.ProcessStatus;
import cloud.hop3.api.process.ResourceLimits;
import cloud.hop3.api.proxy.Proxy;
import cloud.hop3.api.proxy.ProxyException;
import cloud.hop3.api.proxy.Upstream;
import cloud.hop3.core.impl.app.AppCatalog;
import cloud.hop3.core.impl.app.AppDocument;
import cloud.hop3.core.impl.app.ReleaseDocument;
import cloud.hop3.core.impl.isolation.AppUsers;
import cloud.hop3.core.impl.platform.CoreConfig;
import cloud.hop3.core.impl.plugin.PluginChooser;
import cloud.hop3.core.impl.route.RouteManager;

/**
 * Puts a release into service without downtime: runs its release command, starts its processes
 * on fresh ports, health-checks the web ones, switches the routes atomically, then drains and
 * stops the processes that served before. Anything that fails before the switch stops what it
 * started and leaves the previous processes serving, untouched.
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

    private final PluginChooser<ProcessDriver> drivers = new PluginChooser<>(PluginKind.PROCESS_DRIVER);
    private final Ports ports = new Ports();
    private final HealthProbe health = new HealthProbe();
    private volatile String configuredDriver = "";

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
    }

    @Reference(service = ProcessDriver.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeDriver")
    void addDriver(ProcessDriver driver, Map<String, Object> properties) {
        drivers.add(driver, properties);
    }

    void removeDriver(ProcessDriver driver, Map<String, Object> properties) {
        drivers.remove(driver);
    }

    /** The process driver in use. */
    public ProcessDriver driver() throws DeployException {
        return drivers.choose(configuredDriver).orElseThrow(() -> new DeployException(
                configuredDriver == null || configuredDriver.isBlank()
                        ? "No process driver is installed, so the app cannot run."
                        : "The process driver '" + configuredDriver + "' configured in cloud.hop3.core is not installed."));
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
        boolean runsProcesses = release.formation().entrySet().stream()
                .anyMatch(f -> f.getValue() > 0 && release.runtime().processes().containsKey(f.getKey()));
        // a static site needs no process driver, unless processes of an earlier release must stop
        Optional<ProcessDriver> installed = drivers.choose(configuredDriver);
        ProcessDriver driver = runsProcesses || release.runtime().releaseCommand() != null ? driver()
                : installed.orElse(null);
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
        List<ProcessStatus> before = driver == null ? List.of() : driver.status(app);
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
            AppDocument switched = routes.commit(app, d -> onSwitch.apply(d).withUpstreams(webPorts));
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
        if (driver != null) {
            retire(driver, before);
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
        ProcessDriver driver = driver();
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
