package cloud.hop3.core.impl.app;

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

import cloud.hop3.api.app.AppInfo;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.AppService;
import cloud.hop3.api.process.ProcessDriver;
import cloud.hop3.api.process.ProcessLaunch;
import cloud.hop3.api.process.ProcessStatus;
import cloud.hop3.core.impl.deploy.ReleaseRunner;
import cloud.hop3.core.impl.route.RouteManager;

/**
 * Apps as the shell, the REST API and the dashboard see them: the catalog's state, the processes
 * the driver runs, and the routes.
 */
@Component(service = AppService.class)
public class PlatformApps implements AppService {

    @Reference
    private AppCatalog catalog;

    @Reference
    private ReleaseRunner runner;

    @Reference
    private RouteManager routes;

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
        return catalog.create(name);
    }

    @Override
    public void destroy(AppName name, boolean purge) {
        catalog.document(name);
        try {
            ProcessDriver driver = runner.driver();
            for (ProcessStatus p : driver.status(name)) {
                driver.stop(p.id(), Duration.ofSeconds(10));
            }
        } catch (cloud.hop3.api.deploy.DeployException e) {
            // no driver: nothing runs
        }
        catalog.destroy(name, purge);
        try {
            routes.refresh();
        } catch (cloud.hop3.api.proxy.ProxyException e) {
            throw new IllegalStateException("App '" + name + "' was destroyed, but the proxy refused the new routes: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, String> config(AppName name) {
        return catalog.document(name).config();
    }

    @Override
    public List<ProcessStatus> processes(AppName name) {
        catalog.document(name);
        try {
            return runner.driver().status(name);
        } catch (cloud.hop3.api.deploy.DeployException e) {
            return List.of();
        }
    }

    @Override
    public List<String> logs(AppName name, int lines) {
        catalog.document(name);
        try {
            return runner.driver().logs(name, lines);
        } catch (cloud.hop3.api.deploy.DeployException e) {
            return List.of();
        }
    }

    @Override
    public int run(AppName name, String command, OutputStream output, Duration timeout) throws Exception {
        AppDocument doc = catalog.document(name);
        ReleaseDocument release = doc.current().orElseThrow(() -> new IllegalStateException("App '" + name
                + "' has no release yet; deploy it first."));
        Path slug = runner.slug(name, release);
        ProcessLaunch launch = new ProcessLaunch(name, release.number(), "run", 1, command, slug,
                runner.environment(name, release, "run", 0), 0);
        return runner.driver().run(launch, output, timeout);
    }

    @Override
    public void addDomain(AppName name, String host) throws Exception {
        String checked = HostNames.check(host);
        for (AppInfo other : catalog.list()) {
            AppDocument doc = catalog.document(other.name());
            if (routes.hosts(doc).contains(checked)) {
                throw new IllegalStateException(other.name().equals(name)
                        ? "App '" + name + "' answers to " + checked + " already."
                        : "The host " + checked + " is used by app '" + other.name() + "'.");
            }
        }
        routes.commit(name, d -> {
            List<String> domains = new ArrayList<>(d.domains());
            domains.add(checked);
            return d.withDomains(domains);
        });
    }

    @Override
    public List<String> hosts(AppName name) {
        return routes.hosts(catalog.document(name));
    }

    @Override
    public void removeDomain(AppName name, String host) throws Exception {
        String checked = HostNames.check(host);
        if (!catalog.document(name).domains().contains(checked)) {
            throw new NoSuchElementException("App '" + name + "' has no domain " + checked + "; app:info lists its domains.");
        }
        routes.commit(name, d -> {
            List<String> domains = new ArrayList<>(d.domains());
            domains.remove(checked);
            return d.withDomains(domains);
        });
    }
}
