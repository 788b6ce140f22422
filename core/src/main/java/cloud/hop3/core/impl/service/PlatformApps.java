package cloud.hop3.core.impl.service;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.app.AppException;
import cloud.hop3.api.app.AppInfo;
import cloud.hop3.api.app.AppLimits;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.AppService;
import cloud.hop3.api.app.HostName;
import cloud.hop3.api.audit.AuditService;
import cloud.hop3.api.deploy.DeployException;
import cloud.hop3.api.process.LogChunk;
import cloud.hop3.api.process.ProcessDriver;
import cloud.hop3.api.process.ProcessException;
import cloud.hop3.api.process.ProcessLaunch;
import cloud.hop3.api.process.ProcessStatus;
import cloud.hop3.api.process.ReleaseDriver;
import cloud.hop3.api.process.ResourceLimits;
import cloud.hop3.api.proxy.ProxyException;
import cloud.hop3.core.impl.app.AppCatalog;
import cloud.hop3.core.impl.app.AppDocument;
import cloud.hop3.core.impl.app.ReleaseDocument;
import cloud.hop3.core.impl.audit.Audited;
import cloud.hop3.core.impl.deploy.DeployPipeline;
import cloud.hop3.core.impl.isolation.AppUsers;
import cloud.hop3.core.impl.deploy.ReleaseRunner;
import cloud.hop3.core.impl.process.LocalProcessDriver;
import cloud.hop3.core.impl.route.RouteManager;

/**
 * Apps as the shell, the REST API and the dashboard see them: the catalog's state, the processes
 * the driver runs, and the routes. Changes that replace an app's processes or remove it
 * ({@link #destroy}) wait their turn in the deploy pipeline's queue for the app, so that they never
 * run alongside a deploy of it.
 */
@Component(service = AppService.class)
public class PlatformApps implements AppService {

    private static final Logger LOG = LoggerFactory.getLogger(PlatformApps.class);

    @Reference
    private AppCatalog catalog;

    @Reference
    private ReleaseRunner runner;

    @Reference
    private RouteManager routes;

    @Reference
    private DeployPipeline pipeline;

    @Reference
    private AppUsers users;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile LocalProcessDriver local;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY)
    private volatile AuditService audit;

    /** For DS. */
    public PlatformApps() {
    }

    /** For tests. */
    public PlatformApps(AppCatalog catalog, ReleaseRunner runner, RouteManager routes, DeployPipeline pipeline,
                        AppUsers users) {
        this.catalog = catalog;
        this.runner = runner;
        this.routes = routes;
        this.pipeline = pipeline;
        this.users = users;
    }

    /** For tests: records changes in this trail. */
    public void audit(AuditService trail) {
        this.audit = trail;
    }

    @Override
    public List<AppInfo> list() {
        return catalog.list();
    }

    @Override
    public Optional<AppInfo> find(AppName name) {
        return catalog.find(name);
    }

    @Override
    public AppInfo create(AppName name) {
        return Audited.run(audit, "app.create", name.value(), List.of(), () -> createUser(name));
    }

    private AppInfo createUser(AppName name) {
        AppInfo created = catalog.create(name);
        try {
            users.ensure(name);
        } catch (IOException e) {
            // the app exists; its first deploy tries again and fails with the reason
            LOG.warn("App {}: its Unix user could not be created: {}", name, e.getMessage());
        }
        return created;
    }

    @Override
    public String isolation(AppName name) {
        catalog.document(name);
        return users.describe(name);
    }

    @Override
    public void destroy(AppName name, boolean purge) throws AppException, InterruptedException {
        Audited.blocking(audit, "app.destroy", name.value(), purge ? List.of("purge") : List.of(), () -> {
            destroyQueued(name, purge);
            return null;
        });
    }

    private void destroyQueued(AppName name, boolean purge) throws AppException, InterruptedException {
        catalog.document(name);
        try {
            pipeline.queued(name, () -> {
                remove(name, purge);
                return null;
            });
        } catch (DeployException e) {
            throw new AppException(e.getMessage(), e);
        }
    }

    private void remove(AppName name, boolean purge) throws DeployException {
        catalog.document(name); // destroyed by a change that was queued before
        try {
            runner.removeAll(name, catalog.document(name));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("The destroy of app '" + name + "' was interrupted; nothing was removed.", e);
        }
        catalog.destroy(name, purge);
        try {
            users.remove(name, !purge);
        } catch (IOException e) {
            throw new DeployException("App '" + name + "' was destroyed, but its Unix user could not be removed: "
                    + e.getMessage(), e);
        }
        try {
            routes.refresh();
        } catch (ProxyException e) {
            throw new DeployException("App '" + name + "' was destroyed, but the proxy refused the new routes: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, String> config(AppName name) {
        return catalog.document(name).config();
    }

    @Override
    public AppLimits limits(AppName name) {
        AppDocument doc = catalog.document(name);
        ReleaseDocument current = doc.current().orElse(null);
        ResourceLimits set = ResourceLimits.of(doc.limits());
        ResourceLimits declared = current == null || current.runtime() == null ? ResourceLimits.NONE
                : ResourceLimits.of(current.runtime().limits());
        LocalProcessDriver local = this.local;
        ResourceLimits defaults = local == null || local.limits() == null ? ResourceLimits.NONE : local.limits().defaults();
        String enforcement = local == null || local.limits() == null ? "not known: the local process driver is not running"
                : local.limits().describe();
        String ports = local == null ? "not known: the local process driver is not running" : local.appPorts();
        return new AppLimits(doc.limitsOf(current).over(defaults), set, declared, defaults, enforcement, ports);
    }

    @Override
    public List<ProcessStatus> processes(AppName name) {
        catalog.document(name);
        try {
            return runner.driver(name).status(name);
        } catch (DeployException e) {
            return List.of();
        }
    }

    @Override
    public LogChunk tail(AppName name, int lines) {
        catalog.document(name);
        try {
            return runner.driver(name).tail(name, lines);
        } catch (DeployException e) {
            return new LogChunk(List.of(), "");
        }
    }

    @Override
    public LogChunk logs(AppName name, String from, int max) {
        if (from == null) {
            throw new IllegalArgumentException("A log position is required; start with the tail of the logs.");
        }
        catalog.document(name);
        try {
            return runner.driver(name).logs(name, from, max);
        } catch (DeployException e) {
            return new LogChunk(List.of(), from);
        }
    }

    @Override
    public int run(AppName name, String command, OutputStream output, Duration timeout)
            throws AppException, InterruptedException {
        // the command is not recorded (it may hold a password), only that one ran and how it ended
        int exit;
        try {
            exit = runNow(name, command, output, timeout);
        } catch (Exception e) {
            Audited.record(audit, "app.run", name.value(), cloud.hop3.api.audit.AuditResult.failed(
                    Audited.blank(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), List.of(command))),
                    List.of());
            throw e;
        }
        Audited.record(audit, "app.run", name.value(), cloud.hop3.api.audit.AuditResult.success(), List.of("exit:" + exit));
        return exit;
    }

    private int runNow(AppName name, String command, OutputStream output, Duration timeout)
            throws AppException, InterruptedException {
        AppDocument doc = catalog.document(name);
        ReleaseDocument release = doc.current().orElseThrow(() -> new IllegalStateException("App '" + name
                + "' has no release yet; deploy it first."));
        Path slug = runner.slug(name, release);
        ProcessLaunch launch = new ProcessLaunch(name, release.number(), "run", 1, command, slug,
                runner.environment(name, release, "run", 0), 0, doc.limitsOf(release));
        try {
            return runner.driver(name).run(launch, output, timeout);
        } catch (DeployException | ProcessException e) {
            throw new AppException(e.getMessage(), e);
        }
    }

    @Override
    public void addDomain(AppName name, HostName host) throws AppException {
        Audited.run(audit, "domain.add", name.value(), List.of(host.value()), () -> {
            addDomainChecked(name, host);
            return null;
        });
    }

    private void addDomainChecked(AppName name, HostName host) throws AppException {
        String checked = host.value();
        catalog.document(name);
        for (AppInfo other : catalog.list()) {
            AppDocument doc = catalog.document(other.name());
            if (routes.hosts(doc).contains(checked)) {
                throw new IllegalStateException(other.name().equals(name)
                        ? "App '" + name + "' answers to " + checked + " already."
                        : "The host " + checked + " is used by app '" + other.name() + "'.");
            }
        }
        commit(name, d -> {
            List<String> domains = new ArrayList<>(d.domains());
            domains.add(checked);
            return d.withDomains(domains);
        });
        reroute(name);
    }

    @Override
    public List<String> hosts(AppName name) {
        return routes.hosts(catalog.document(name));
    }

    @Override
    public void removeDomain(AppName name, HostName host) throws AppException {
        Audited.run(audit, "domain.remove", name.value(), List.of(host.value()), () -> {
            removeDomainChecked(name, host);
            return null;
        });
    }

    private void removeDomainChecked(AppName name, HostName host) throws AppException {
        String checked = host.value();
        if (!catalog.document(name).domains().contains(checked)) {
            throw new NoSuchElementException("App '" + name + "' has no domain " + checked + "; app:info lists its domains.");
        }
        commit(name, d -> {
            List<String> domains = new ArrayList<>(d.domains());
            domains.remove(checked);
            return d.withDomains(domains);
        });
        reroute(name);
    }

    /** An app that a cluster serves gets its new host names there (the platform's proxy has them already). */
    private void reroute(AppName name) throws AppException {
        try {
            runner.reroute(name);
        } catch (DeployException e) {
            throw new AppException("The domains of " + name + " are saved, and reach the cluster with the next release: "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AppException("The domains of " + name + " are saved; telling the cluster was interrupted.", e);
        }
    }

    private void commit(AppName name, java.util.function.UnaryOperator<AppDocument> change) throws AppException {
        try {
            routes.commit(name, change);
        } catch (ProxyException e) {
            throw new AppException("The domains of " + name + " are unchanged: " + e.getMessage(), e);
        }
    }

    @Override
    public cloud.hop3.api.app.AppDriver driver(AppName name) {
        AppDocument doc = catalog.document(name);
        String chosen = doc.driver();
        Optional<ProcessDriver> driver;
        String shown;
        if (chosen.isBlank()) {
            driver = runnerDefault();
            shown = driver.map(ProcessDriver::name).orElse("");
        } else {
            driver = runner.installed(chosen);
            shown = chosen;
        }
        return new cloud.hop3.api.app.AppDriver(shown, !chosen.isBlank(), driver.isPresent(),
                driver.filter(d -> d instanceof ReleaseDriver).isPresent(), doc.current().isPresent() ? doc.runsOn() : "");
    }

    private Optional<ProcessDriver> runnerDefault() {
        try {
            return Optional.of(runner.driver());
        } catch (DeployException e) {
            return Optional.empty();
        }
    }

    @Override
    public cloud.hop3.api.app.AppDriver driver(AppName name, String driver) {
        String wanted = driver == null ? "" : driver.strip();
        return Audited.run(audit, "app.driver", name.value(), List.of(wanted.isEmpty() ? "default" : wanted), () -> {
            catalog.document(name);
            if (!wanted.isEmpty() && runner.installed(wanted).isEmpty()) {
                List<String> names = runner.installedNames();
                throw new IllegalArgumentException("No process driver named '" + wanted + "' is installed ("
                        + (names.isEmpty() ? "none is" : "installed: " + String.join(", ", names))
                        + "); the driver of app '" + name + "' is unchanged.");
            }
            catalog.update(name, d -> d.withDriver(wanted));
            return driver(name);
        });
    }

    @Override
    public String preview(AppName name, int release) throws AppException {
        AppDocument doc = catalog.document(name);
        ReleaseDocument shown;
        if (release == 0) {
            shown = doc.current().orElseThrow(() -> new IllegalStateException("App '" + name
                    + "' has no release yet; deploy it first."));
        } else {
            shown = doc.release(release).orElseThrow(() -> new NoSuchElementException("App '" + name + "' has no release v"
                    + release + "; app:releases lists them."));
        }
        ProcessDriver driver;
        try {
            driver = runner.nextDriver(doc);
        } catch (DeployException e) {
            throw new AppException(e.getMessage(), e);
        }
        if (!(driver instanceof ReleaseDriver whole)) {
            return "The process driver '" + driver.name() + "' starts the processes of app '" + name
                    + "' one by one, on this machine; it has nothing to preview.";
        }
        if (!java.nio.file.Files.isDirectory(runner.slug(name, shown))) {
            throw new IllegalStateException("The build of v" + shown.number() + " is no longer kept; deploy it again.");
        }
        try {
            return whole.preview(runner.plan(name, doc, shown, shown.runtime().releaseCommand() != null, PREVIEW_TOKEN));
        } catch (cloud.hop3.api.process.ProcessException e) {
            throw new AppException("The process driver '" + whole.name() + "' could not preview v" + shown.number() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Stands for the slug token in a preview: a real one is made only when a release is applied. */
    static final String PREVIEW_TOKEN = "preview-has-no-token";
}
