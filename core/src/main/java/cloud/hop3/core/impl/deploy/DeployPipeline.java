package cloud.hop3.core.impl.deploy;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;

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
import cloud.hop3.api.app.ConfigVarName;
import cloud.hop3.api.app.Formation;
import cloud.hop3.api.app.Release;
import cloud.hop3.api.audit.AuditService;
import cloud.hop3.api.build.BuildArtifact;
import cloud.hop3.api.build.BuildCommands;
import cloud.hop3.api.build.BuildException;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.api.build.BuildRequest;
import cloud.hop3.api.build.Builder;
import cloud.hop3.api.build.RuntimeSpec;
import cloud.hop3.api.build.StaticMapping;
import cloud.hop3.api.deploy.DeployException;
import cloud.hop3.api.deploy.DeployService;
import cloud.hop3.api.deploy.InterruptedDeploy;
import cloud.hop3.api.event.Hop3Events;
import cloud.hop3.api.process.ProcessDriver;
import cloud.hop3.api.process.ProcessStatus;
import cloud.hop3.api.process.ResourceLimits;
import cloud.hop3.core.impl.app.AppCatalog;
import cloud.hop3.core.impl.app.AppDocument;
import cloud.hop3.core.impl.app.ReleaseDocument;
import cloud.hop3.core.impl.app.RuntimeDocument;
import cloud.hop3.core.impl.actor.CurrentActor;
import cloud.hop3.core.impl.audit.ActorProperties;
import cloud.hop3.core.impl.audit.Audited;
import cloud.hop3.plugin.support.files.Trees;
import cloud.hop3.core.impl.isolation.AppUser;
import cloud.hop3.core.impl.isolation.AppUsers;
import cloud.hop3.core.impl.manifest.AppManifest;
import cloud.hop3.core.impl.manifest.ManifestException;
import cloud.hop3.core.impl.manifest.ManifestParser;
import cloud.hop3.core.impl.platform.CoreConfig;

/**
 * The deploy pipeline: parse the app's manifest, choose its builder, build a slug into the new
 * release's directory, and put the release into service with {@link ReleaseRunner}. Deploys of
 * one app run one at a time, with a few more waiting at most; a deploy that fails leaves the
 * previous release serving and removes what it built. A deploy is marked as under way while it
 * runs ({@link InterruptedDeploys}), and activation, which comes before the git server takes a
 * push, cleans up and reports the deploys that a stop of the previous run cut short.
 * <p>
 * It is long because every change of an app (deploy, rollback, config, limits, scale, restart,
 * stop, start) goes through its queue here; the work of each is in {@link ReleaseRunner},
 * {@link BuilderChoice}, {@link InterruptedDeploys} and the like.
 */
@Component(service = {DeployService.class, DeployPipeline.class}, configurationPid = CoreConfig.PID)
public class DeployPipeline implements DeployService {

    private static final Logger LOG = LoggerFactory.getLogger(DeployPipeline.class);
    static final int MAX_WAITING = 3;
    static final int KEPT_ARTIFACTS = 5;

    @Reference
    private AppCatalog apps;

    @Reference
    private ReleaseRunner runner;

    @Reference
    private BuildCommands commands;

    @Reference
    private AppUsers users;

    private volatile EventAdmin events;

    /** Where each change's build log is kept, to be followed from other doors; absent in some tests. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DeployLogBook logBook;

    /** Makes the add-ons an app declares ready; absent when the add-on service is not running. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DeclaredAddons addons;

    /** Where each change is recorded once it is done or failed; absent, changes are logged as not recorded. */
    private volatile AuditService audit;

    private final List<Map.Entry<Map<String, Object>, Builder>> builders = new CopyOnWriteArrayList<>();
    private final Map<AppName, Semaphore> queues = new ConcurrentHashMap<>();
    private final Map<BuildDeadline, Builder> building = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();
    private volatile Duration buildTimeout = Duration.ofMinutes(15);
    private volatile InterruptedDeploys marks;
    private final InterruptionReports reports = new InterruptionReports();

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hop3-build-deadlines");
        t.setDaemon(true);
        return t;
    });

    /** For DS. */
    public DeployPipeline() {
    }

    /** For tests: a pipeline on these apps, without builders, build commands or add-ons. */
    public DeployPipeline(AppCatalog apps, ReleaseRunner runner) {
        this(apps, runner, null);
    }

    /** For tests: a pipeline on these apps with these add-ons (may be null), without builders or build commands. */
    public DeployPipeline(AppCatalog apps, ReleaseRunner runner, DeclaredAddons addons) {
        this.apps = apps;
        this.runner = runner;
        this.addons = addons;
        this.marks = new InterruptedDeploys(apps, apps.home(), clock);
    }

    /** For tests: keeps the log of each change in this book. */
    public void logBook(DeployLogBook book) {
        this.logBook = book;
    }

    /** For tests: records changes in this trail. */
    public void audit(AuditService trail) {
        this.audit = trail;
        report();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeAudit")
    void addAudit(AuditService trail) {
        audit(trail);
    }

    void removeAudit(AuditService trail) {
        if (audit == trail) {
            audit = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeEvents")
    void addEvents(EventAdmin admin) {
        events = admin;
        report();
    }

    void removeEvents(EventAdmin admin) {
        if (events == admin) {
            events = null;
        }
    }

    /**
     * Before any deploy of this run of the platform: reports and cleans up the deploys that a
     * stop of the previous run interrupted ({@link InterruptedDeploys}).
     */
    @Activate
    void activate(CoreConfig config) {
        modified(config);
        marks = new InterruptedDeploys(apps, apps.home(), clock);
        recoverInterrupted();
    }

    /** Called by SCR when core's configuration changes, which restarts nothing: new builds use the new limit. */
    @Modified
    void modified(CoreConfig config) {
        buildTimeout = Duration.ofMinutes(Math.max(1, config.build_timeout_minutes()));
    }

    /**
     * Finds the deploys that a stop of the platform interrupted, removes what they left, stops
     * any process started for a release that was never recorded, and reports them: in the log now,
     * as events and in the audit trail as soon as those run.
     */
    void recoverInterrupted() {
        InterruptedDeploys.Recovery found = marks.recover();
        for (InterruptedDeploy d : found.interrupted()) {
            AppName app = d.app();
            LOG.warn("App {}: the deploy of revision {} started by {} at {} was interrupted by a platform stop; its build"
                    + " folder and unfinished release were removed, and the app serves {}", app, d.revision(),
                    d.actor().user(), d.started(), serving(app));
            stopUnrecorded(app);
        }
        for (InterruptedDeploy d : found.completed()) {
            LOG.info("App {}: the deploy of revision {} had switched to its release when the platform stopped; it serves",
                    d.app(), d.revision());
        }
        reports.add(found);
        report();
    }

    /** Posts and records the interrupted deploys found at the start, as far as events and the trail run. */
    private void report() {
        reports.flush(events, audit);
    }

    private String serving(AppName app) {
        try {
            return apps.document(app).current().map(r -> "v" + r.number()).orElse("no release");
        } catch (RuntimeException e) {
            return "what it served before";
        }
    }

    /** Stops the app's processes of a release that its state never recorded: started by an interrupted deploy. */
    private void stopUnrecorded(AppName app) {
        ProcessDriver driver;
        try {
            driver = runner.driver();
        } catch (DeployException e) {
            return;
        }
        try {
            Set<Integer> recorded = apps.document(app).releases().stream().map(ReleaseDocument::number)
                    .collect(Collectors.toSet());
            for (ProcessStatus p : driver.status(app)) {
                if (!recorded.contains(p.release())) {
                    LOG.warn("App {}: stopping {}.{} of release {}, which the interrupted deploy started and which was"
                            + " never recorded", app, p.type(), p.index(), p.release());
                    driver.stop(p.id(), Duration.ofSeconds(2));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("App {}: the processes of its interrupted deploy could not be checked: {}", app, e.getMessage());
        }
    }

    @Override
    public Optional<InterruptedDeploy> interrupted(AppName app) {
        return marks.find(app);
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
    }

    @Reference(service = Builder.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeBuilder")
    void addBuilder(Builder builder, Map<String, Object> properties) {
        builders.add(Map.entry(properties, builder));
    }

    void removeBuilder(Builder builder, Map<String, Object> properties) {
        builders.removeIf(e -> e.getValue() == builder);
        // a build under way with this builder cannot finish with a bundle that is going away
        for (Map.Entry<BuildDeadline, Builder> running : building.entrySet()) {
            if (running.getValue() == builder) {
                running.getKey().builderGone();
            }
        }
    }

    @Override
    public Release deploy(AppName app, Path source, String revision, BuildLog log) throws DeployException, InterruptedException {
        return Audited.blocking(audit, "app.deploy", app.value(), List.of(revision), values(app),
                () -> queued(app, () -> logged(app, "Deploy " + revision, log, l -> build(app, source, revision, l))));
    }

    /**
     * Runs {@code work} when no other change of the app (deploy, config, scale, destroy) runs,
     * refusing when too many wait.
     */
    public <T> T queued(AppName app, Work<T> work) throws DeployException, InterruptedException {
        Semaphore queue = queues.computeIfAbsent(app, a -> new Semaphore(1, true));
        if (queue.getQueueLength() >= MAX_WAITING) {
            throw new DeployException("Too many changes of " + app + " are waiting; try again when the current one is done.");
        }
        queue.acquire();
        try {
            return work.run();
        } finally {
            queue.release();
        }
    }

    /**
     * Runs {@code work} with a build log that also goes to the app's deploy log ({@link DeployLogBook}),
     * so that it can be followed from elsewhere while it runs, and ends that log with the outcome.
     */
    private <T> T logged(AppName app, String title, BuildLog log, LoggedWork<T> work) throws DeployException, InterruptedException {
        DeployLogBook book = logBook;
        if (book == null) {
            return work.run(log);
        }
        DeployLogBook.Running running = book.begin(app, title, log);
        boolean ok = false;
        String failure = null;
        try {
            T result = work.run(running);
            ok = true;
            return result;
        } catch (DeployException | RuntimeException e) {
            failure = e.getMessage() == null ? null : Audited.withoutPasswords(e.getMessage());
            throw e;
        } finally {
            running.end(ok, failure);
        }
    }

    /** Work that writes to a build log. */
    @FunctionalInterface
    private interface LoggedWork<T> {
        T run(BuildLog log) throws DeployException, InterruptedException;
    }

    /** A piece of work done under an app's deploy queue. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws DeployException, InterruptedException;
    }

    /** A deploy marked as under way while it runs, so that a stop of the platform meanwhile is found at the next start. */
    private Release build(AppName app, Path source, String revision, BuildLog log) throws DeployException, InterruptedException {
        InterruptedDeploys marked = marks;
        try {
            marked.begin(app, revision, apps.document(app).nextReleaseNumber(), source, CurrentActor.orPlatform());
        } catch (IOException e) {
            throw failed(app, "The deploy could not be marked as under way in the platform's state: " + e.getMessage(), e);
        }
        boolean succeeded = false;
        try {
            Release release = buildMarked(app, source, revision, log);
            succeeded = true;
            return release;
        } finally {
            marked.end(app, succeeded);
        }
    }

    private Release buildMarked(AppName app, Path source, String revision, BuildLog log)
            throws DeployException, InterruptedException {
        post(Hop3Events.APP_DEPLOY_STARTED, app, 0, "Deploy " + revision);
        AppManifest manifest;
        try {
            manifest = ManifestParser.parse(source);
        } catch (ManifestException e) {
            throw failed(app, e.getMessage(), e);
        }
        AppDocument doc = apps.document(app);
        DeclaredAddons.Provision provision = provision(app, manifest, doc, log);
        if (!provision.variables().isEmpty()) {
            Map<String, String> config = new LinkedHashMap<>(doc.config());
            config.putAll(provision.variables());
            doc = doc.withConfig(config);
        }
        String driverBefore = doc.driver();
        if (manifest.driver().isPresent() && !manifest.driver().get().equals(driverBefore)) {
            String named = manifest.driver().get();
            if (runner.installed(named).isEmpty()) {
                throw failed(app, "hop3.toml: driver = \"" + named + "\" names a process driver that is not installed"
                        + installedDrivers() + "; nothing was changed.", null);
            }
        }
        AppDocument current = doc;
        int number = doc.nextReleaseNumber();
        Path releaseDir = apps.directory(app).resolve("releases").resolve(String.valueOf(number));
        Path slug = releaseDir.resolve("slug");
        boolean done = false;
        try {
            AppUser user = users.ensure(app);
            Trees.delete(releaseDir);
            SlugFiles.copy(source, slug);
            Optional<String> named = manifest.builder();
            String namedWhere = "hop3.toml [build].builder";
            if (named.isEmpty() && doc.config().containsKey("HOP3_BUILDER")) {
                named = Optional.of(doc.config().get("HOP3_BUILDER"));
                namedWhere = "the HOP3_BUILDER config var";
            }
            Duration limit = BuildDeadline.limit(doc.config().get(BuildDeadline.VARIABLE), buildTimeout);
            BuilderChoice.Chosen chosen = BuilderChoice.choose(builders, source, named, namedWhere,
                    doc.current().map(ReleaseDocument::builder));
            log.info("Builder " + chosen.builder().name() + BuilderChoice.version(chosen.builder()) + ": " + chosen.reason());
            Path cache = apps.directory(app).resolve("cache").resolve(chosen.builder().name());
            Files.createDirectories(cache);
            users.beforeBuild(user, releaseDir, slug, cache);
            BuildArtifact artifact;
            RuntimeDocument runtime;
            try (BuildDeadline deadline = BuildDeadline.start(limit, timer)) {
                try {
                    building.put(deadline, chosen.builder());
                    try {
                        BuildRequest request = new BuildRequest(app, source, slug, cache, doc.config(), limit);
                        artifact = users.building(user, () -> chosen.builder().build(request, log));
                    } finally {
                        building.remove(deadline);
                    }
                    runtime = runtime(artifact.runtime(), manifest);
                    RuntimeDocument built = runtime;
                    users.building(user, () -> runBuildCommands(app, manifest, built, current.config(), slug, limit, log));
                } catch (InterruptedException | BuildException | RuntimeException e) {
                    stoppedFor(deadline, chosen.builder().name());
                    throw e;
                }
                stoppedFor(deadline, chosen.builder().name());
            }
            users.seal(user, releaseDir);
            ReleaseDocument release = new ReleaseDocument(number, number, revision, chosen.builder().name(),
                    "Deploy " + revision, clock.instant(), doc.config(), formation(doc, manifest, runtime), runtime);
            if (runtime.processes().isEmpty() && runtime.statics().isEmpty()) {
                throw new DeployException("The app declares nothing to run or serve: add a Procfile with a web process"
                        + " (web: <command>).");
            }
            // the driver hop3.toml names is the app's from this release on; back to the one before if it fails
            boolean driverChanged = manifest.driver().isPresent() && !manifest.driver().get().equals(driverBefore);
            if (driverChanged) {
                log.step("Process driver: " + manifest.driver().get() + " (hop3.toml)");
                apps.update(app, d -> d.withDriver(manifest.driver().get()));
            }
            try {
                runner.launch(app, release, true, provision.variables().isEmpty() ? d -> d.withRelease(release)
                        : d -> d.withRelease(release).withConfig(release.config()), log);
            } catch (DeployException | InterruptedException | RuntimeException e) {
                if (driverChanged) {
                    apps.update(app, d -> d.withDriver(driverBefore));
                }
                throw e;
            }
            done = true;
            provision.commit();
            post(Hop3Events.APP_DEPLOYED, app, number, "Deploy " + revision);
            collectGarbage(app);
            return new Release(number, "v" + number, release.config(), new Formation(release.formation()),
                    release.created(), release.reason());
        } catch (BuildException e) {
            throw failed(app, e.getMessage(), e);
        } catch (DeployException e) {
            throw failed(app, e.getMessage(), e);
        } catch (IOException e) {
            throw failed(app, "The build could not be prepared: " + e.getMessage(), e);
        } finally {
            if (!done) {
                deleteQuietly(releaseDir);
            }
        }
    }

    /** The installed process drivers, for a message: "; installed: local, kubernetes". */
    private String installedDrivers() {
        List<String> names = runner.installedNames();
        return names.isEmpty() ? " (none is installed)" : "; installed: " + String.join(", ", names);
    }

    /** Makes the add-ons the app declares ready, or fails the deploy saying why. */
    private DeclaredAddons.Provision provision(AppName app, AppManifest manifest, AppDocument doc, BuildLog log)
            throws DeployException, InterruptedException {
        if (manifest.addons().isEmpty()) {
            return DeclaredAddons.NONE;
        }
        DeclaredAddons service = addons;
        if (service == null) {
            throw failed(app, "The app declares add-ons ([[addons]] in hop3.toml, or addons in app.json), but the"
                    + " add-on service is not running.", null);
        }
        try {
            return service.provision(app, manifest.addons(), doc.config(), log);
        } catch (DeployException e) {
            throw failed(app, e.getMessage(), e);
        }
    }

    /** Throws the reason the build was stopped for, if it was stopped. */
    private static void stoppedFor(BuildDeadline deadline, String builder) throws DeployException {
        if (deadline.passed()) {
            throw deadline.expired();
        }
        if (deadline.lostItsBuilder()) {
            throw new DeployException("The builder '" + builder + "' was removed or updated during the build, which was"
                    + " stopped; the app keeps serving its previous release. Push again to build with the builders"
                    + " installed now.");
        }
    }

    /**
     * Runs the app's own build commands (hop3.toml {@code [build]} before-build, build,
     * after-build; Procfile {@code prebuild}/{@code postbuild}) in the slug, after the builder,
     * with the environment the app's processes will have.
     */
    private Void runBuildCommands(AppName app, AppManifest manifest, RuntimeDocument runtime,
                                  Map<String, String> config, Path slug, Duration limit, BuildLog log)
            throws BuildException, InterruptedException {
        if (manifest.buildCommands().isEmpty()) {
            return null;
        }
        Map<String, String> env = new LinkedHashMap<>();
        StringBuilder path = new StringBuilder();
        for (String p : runtime.path()) {
            path.append(slug.resolve(p).normalize()).append(':');
        }
        env.put("PATH", path + ProcessEnvironment.SYSTEM_PATH);
        env.put("HOME", apps.directory(app).resolve("data").toString());
        env.put("LANG", "C.UTF-8");
        env.put("APP", app.value());
        env.putAll(runtime.env());
        env.putAll(config);
        for (String command : manifest.buildCommands()) {
            log.step("Running " + command);
            commands.run(log, slug, env, limit, List.of("/bin/sh", "-c", command));
        }
        return null;
    }

    @Override
    public Release rollback(AppName app, int number, BuildLog log) throws DeployException, InterruptedException {
        return Audited.blocking(audit, "app.rollback", app.value(), List.of(number == 0 ? "to:previous" : "to:v" + number),
                values(app), () -> rollbackQueued(app, number, log));
    }

    private Release rollbackQueued(AppName app, int number, BuildLog given) throws DeployException, InterruptedException {
        return queued(app, () -> logged(app, number == 0 ? "Rollback to the previous release" : "Rollback to v" + number, given, log -> {
            AppDocument doc = apps.document(app);
            ReleaseDocument current = doc.current().orElseThrow(() -> new DeployException("App '" + app + "' has no release yet."));
            ReleaseDocument target;
            if (number == 0) {
                if (doc.releases().size() < 2) {
                    throw new DeployException("App '" + app + "' has only one release; there is nothing to roll back to.");
                }
                target = doc.releases().get(doc.releases().size() - 2);
            } else {
                target = doc.release(number).orElseThrow(() -> new DeployException("App '" + app + "' has no release v"
                        + number + "; app:releases lists them."));
            }
            if (target.number() == current.number()) {
                throw new DeployException("v" + number + " is the current release of '" + app + "'.");
            }
            if (!Files.isDirectory(runner.slug(app, target))) {
                throw new DeployException("The build of v" + target.number() + " is no longer kept (the last "
                        + KEPT_ARTIFACTS + " builds are); deploy it again with git push.");
            }
            ReleaseDocument release = new ReleaseDocument(doc.nextReleaseNumber(), target.artifact(), target.revision(),
                    target.builder(), "Rollback to v" + target.number(), clock.instant(), target.config(),
                    target.formation(), target.runtime());
            return launch(app, release, false, d -> d.withRelease(release).withConfig(release.config())
                    .withFormation(release.formation()), log);
        }));
    }

    @Override
    public Release configure(AppName app, Map<String, String> set, Set<String> unset, BuildLog log)
            throws DeployException, InterruptedException {
        // names only: a value never reaches the trail, and is blanked out of a failure's reason
        List<String> names = new ArrayList<>(set.keySet());
        unset.forEach(k -> names.add(set.isEmpty() ? k : "unset:" + k));
        List<String> secrets = new ArrayList<>(set.values());
        secrets.addAll(values(app));
        return Audited.blocking(audit, set.isEmpty() ? "config.unset" : "config.set", app.value(), names, secrets,
                () -> configureChecked(app, set, unset, log));
    }

    private Release configureChecked(AppName app, Map<String, String> set, Set<String> unset, BuildLog given)
            throws DeployException, InterruptedException {
        for (String key : set.keySet()) {
            ConfigVars.check(key, set.get(key));
        }
        for (String key : unset) {
            ConfigVarName.of(key);
        }
        return queued(app, () -> logged(app, ConfigVars.describe(set.keySet(), unset), given, log -> {
            AppDocument doc = apps.document(app);
            Map<String, String> config = new LinkedHashMap<>(doc.config());
            config.putAll(set);
            unset.forEach(config::remove);
            String reason = ConfigVars.describe(set.keySet(), unset);
            Optional<ReleaseDocument> current = doc.current();
            if (current.isEmpty()) {
                apps.update(app, d -> d.withConfig(config));
                return null;
            }
            ReleaseDocument c = current.get();
            ReleaseDocument release = new ReleaseDocument(doc.nextReleaseNumber(), c.artifact(), c.revision(), c.builder(),
                    reason, clock.instant(), config, c.formation(), c.runtime());
            return launch(app, release, true, d -> d.withRelease(release).withConfig(config), log);
        }));
    }

    @Override
    public Release limit(AppName app, Map<String, String> limits, BuildLog log) throws DeployException, InterruptedException {
        List<String> details = limits.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).toList();
        return Audited.blocking(audit, "app.limits", app.value(), details, values(app), () -> limitQueued(app, limits, log));
    }

    private Release limitQueued(AppName app, Map<String, String> limits, BuildLog log) throws DeployException, InterruptedException {
        if (limits.isEmpty()) {
            throw new DeployException("Give limits as key=value, such as memory=512M cpu=0.5 processes=64 files=4096.");
        }
        return queued(app, () -> {
            AppDocument doc = apps.document(app);
            Map<String, String> set;
            try {
                ResourceLimits merged = ResourceLimits.of(doc.limits());
                for (Map.Entry<String, String> e : limits.entrySet()) {
                    merged = merged.with(e.getKey(), e.getValue());
                }
                set = merged.describe();
            } catch (IllegalArgumentException e) {
                throw new DeployException("Cannot set the limits of app '" + app + "': " + e.getMessage() + ".", e);
            }
            Optional<ReleaseDocument> current = doc.current();
            if (current.isEmpty()) {
                apps.update(app, d -> d.withLimits(set));
                return null;
            }
            ReleaseDocument c = current.get();
            String reason = "Set limits " + (set.isEmpty() ? "none" : ResourceLimits.of(set).toString());
            ReleaseDocument release = new ReleaseDocument(doc.nextReleaseNumber(), c.artifact(), c.revision(), c.builder(),
                    reason, clock.instant(), c.config(), c.formation(), c.runtime());
            // the new limits must be stored before the new processes start, and go back if they do not
            apps.update(app, d -> d.withLimits(set));
            try {
                return launch(app, release, false, d -> d.withRelease(release), log);
            } catch (DeployException | RuntimeException e) {
                apps.update(app, d -> d.withLimits(doc.limits()));
                throw e;
            }
        });
    }

    @Override
    public void scale(AppName app, Map<String, Integer> counts, BuildLog log) throws DeployException, InterruptedException {
        List<String> details = counts.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).toList();
        Audited.blocking(audit, "app.scale", app.value(), details, values(app), () -> {
            scaleQueued(app, counts, log);
            return null;
        });
    }

    private void scaleQueued(AppName app, Map<String, Integer> counts, BuildLog given) throws DeployException, InterruptedException {
        queued(app, () -> logged(app, "Scale " + Formations.describe(counts), given, log -> {
            AppDocument doc = apps.document(app);
            ReleaseDocument c = doc.current().orElseThrow(() -> new DeployException("App '" + app
                    + "' has no release yet; deploy it first."));
            Map<String, Integer> formation = new LinkedHashMap<>(c.formation());
            for (Map.Entry<String, Integer> e : counts.entrySet()) {
                if (!c.runtime().processes().containsKey(e.getKey())) {
                    throw new DeployException("App '" + app + "' has no process type '" + e.getKey() + "'; its types: "
                            + String.join(", ", c.runtime().processes().keySet()) + ".");
                }
                try {
                    Formation.checkCount(e.getKey(), e.getValue());
                } catch (IllegalArgumentException bad) {
                    throw new DeployException(bad.getMessage(), bad);
                }
                formation.put(e.getKey(), e.getValue());
            }
            ReleaseDocument release = new ReleaseDocument(doc.nextReleaseNumber(), c.artifact(), c.revision(), c.builder(),
                    "Scale " + Formations.describe(counts), clock.instant(), c.config(), formation, c.runtime());
            post(Hop3Events.APP_DEPLOY_STARTED, app, release.number(), release.reason());
            try {
                runner.scale(app, release, d -> d.withRelease(release).withFormation(formation), log);
            } catch (DeployException e) {
                post(Hop3Events.APP_DEPLOY_FAILED, app, release.number(), e.getMessage());
                throw e;
            }
            post(Hop3Events.APP_DEPLOYED, app, release.number(), release.reason());
            post(Hop3Events.APP_SCALED, app, release.number(), release.reason());
            return null;
        }));
    }

    @Override
    public void restart(AppName app, BuildLog log) throws DeployException, InterruptedException {
        restart(app, log, "app.restart");
    }

    private void restart(AppName app, BuildLog given, String action) throws DeployException, InterruptedException {
        String title = action.equals("app.start") ? "Start" : "Restart";
        Audited.blocking(audit, action, app.value(), List.of(), values(app), () -> queued(app, () -> logged(app, title, given, log -> {
            AppDocument doc = apps.document(app);
            ReleaseDocument c = doc.current().orElseThrow(() -> new DeployException("App '" + app + "' has no release yet."));
            runner.restart(app, c, d -> d.withStopped(false), log);
            return null;
        })));
    }

    @Override
    public void stop(AppName app) throws DeployException, InterruptedException {
        Audited.blocking(audit, "app.stop", app.value(), List.of(), values(app), () -> queued(app, () -> {
            apps.document(app);
            try {
                runner.stop(app);
            } catch (cloud.hop3.api.proxy.ProxyException e) {
                throw new DeployException(e.getMessage(), e);
            }
            return null;
        }));
    }

    @Override
    public void start(AppName app, BuildLog log) throws DeployException, InterruptedException {
        restart(app, log, "app.start");
    }

    /**
     * The values of the app's config vars, which the audit trail blanks out of a failure's reason
     * (a release command or a build may print them); none for an app not created yet.
     */
    private List<String> values(AppName app) {
        try {
            return apps.find(app).isPresent() ? List.copyOf(apps.document(app).config().values()) : List.of();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private Release launch(AppName app, ReleaseDocument release, boolean runReleaseCommand,
                           java.util.function.UnaryOperator<AppDocument> onSwitch, BuildLog log)
            throws DeployException, InterruptedException {
        post(Hop3Events.APP_DEPLOY_STARTED, app, release.number(), release.reason());
        try {
            runner.launch(app, release, runReleaseCommand, onSwitch, log);
        } catch (DeployException e) {
            post(Hop3Events.APP_DEPLOY_FAILED, app, release.number(), e.getMessage());
            throw e;
        }
        post(Hop3Events.APP_DEPLOYED, app, release.number(), release.reason());
        return new Release(release.number(), "v" + release.artifact(), release.config(), new Formation(release.formation()),
                release.created(), release.reason());
    }

    static RuntimeDocument runtime(RuntimeSpec built, AppManifest manifest) {
        Map<String, String> processes = new LinkedHashMap<>(built.processes());
        processes.putAll(manifest.processes());
        Map<String, String> env = new LinkedHashMap<>(built.env());
        env.putAll(manifest.env());
        List<StaticMapping> statics = new ArrayList<>(built.statics());
        for (StaticMapping s : manifest.statics()) {
            if (statics.stream().noneMatch(b -> b.urlPrefix().equals(s.urlPrefix()))) {
                statics.add(s);
            }
        }
        List<RuntimeDocument.CronDocument> cron = manifest.cron().stream()
                .map(c -> new RuntimeDocument.CronDocument(c.schedule().toString(), c.command())).toList();
        return new RuntimeDocument(processes, env, built.path(), statics,
                manifest.healthCheck().or(built::healthCheck).orElse(null), manifest.releaseCommand().orElse(null), cron,
                manifest.limits().describe());
    }

    /** The formation: what app:scale set, else what the manifest asks for, for the types that exist. */
    static Map<String, Integer> formation(AppDocument doc, AppManifest manifest, RuntimeDocument runtime) {
        Map<String, Integer> formation = new LinkedHashMap<>();
        for (String type : runtime.processes().keySet()) {
            Integer scaled = doc.formation().get(type);
            Integer declared = manifest.formation().get(type);
            formation.put(type, scaled != null ? scaled : declared != null ? declared : 1);
        }
        return formation;
    }

    private void collectGarbage(AppName app) {
        AppDocument doc = apps.document(app);
        Set<Integer> kept = doc.releases().stream().map(ReleaseDocument::artifact)
                .collect(Collectors.toCollection(TreeSet::new)).descendingSet().stream()
                .limit(KEPT_ARTIFACTS).collect(Collectors.toSet());
        Path releases = apps.directory(app).resolve("releases");
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(releases)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (name.matches("[0-9]+") && !kept.contains(Integer.parseInt(name))) {
                    Trees.delete(dir);
                    LOG.info("App {}: removed the build of release {}", app, name);
                }
            }
        } catch (IOException e) {
            LOG.warn("App {}: old builds could not be removed: {}", app, e.getMessage());
        }
    }

    private DeployException failed(AppName app, String message, Exception cause) {
        post(Hop3Events.APP_DEPLOY_FAILED, app, 0, message);
        LOG.info("Deploy of {} failed: {}", app, message);
        return cause instanceof DeployException d ? d : new DeployException(message, cause);
    }

    void post(String topic, AppName app, int release, String message) {
        EventAdmin admin = events;
        if (admin != null) {
            Map<String, Object> props = new LinkedHashMap<>();
            props.put(Hop3Events.APP, app.value());
            props.put(Hop3Events.MESSAGE, message == null ? "" : message);
            if (release > 0) {
                props.put(Hop3Events.RELEASE, release);
            }
            admin.postEvent(new Event(topic, ActorProperties.add(props)));
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            Trees.delete(dir);
        } catch (IOException e) {
            LOG.warn("Cannot remove {}: {}", dir, e.getMessage());
        }
    }
}
