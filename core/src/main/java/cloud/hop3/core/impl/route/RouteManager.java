package cloud.hop3.core.impl.route;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.app.AppInfo;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.build.StaticMapping;
import cloud.hop3.api.proxy.Proxy;
import cloud.hop3.api.proxy.ProxyException;
import cloud.hop3.api.proxy.Route;
import cloud.hop3.api.proxy.RouteTable;
import cloud.hop3.api.proxy.Upstream;
import cloud.hop3.api.tls.TlsSupport;
import cloud.hop3.core.impl.app.AppCatalog;
import cloud.hop3.core.impl.app.AppDocument;
import cloud.hop3.core.impl.app.ReleaseDocument;
import cloud.hop3.core.impl.platform.CoreConfig;
import cloud.hop3.core.impl.platform.PlatformSettings;
import cloud.hop3.core.impl.plugin.Choice;
import cloud.hop3.core.impl.tls.Certificates;

/**
 * The platform's routing: builds the whole route table from the apps' state and applies it to
 * the proxy in use. A change of one app's routing is applied and persisted under one lock, so
 * concurrent deploys never undo each other's routes. A proxy that appears (installed, updated,
 * restarted) is given the current table at once.
 */
@Component(service = RouteManager.class, immediate = true, configurationPid = CoreConfig.PID)
public class RouteManager {

    private static final Logger LOG = LoggerFactory.getLogger(RouteManager.class);
    /** Where every route serves the certificates' HTTP-01 challenge answers. */
    static final String CHALLENGE_PREFIX = TlsSupport.CHALLENGE_PATH.substring(0, TlsSupport.CHALLENGE_PATH.length() - 1);

    @Reference
    private AppCatalog apps;

    @Reference
    private Certificates certificates;

    private final Runnable onIssued = this::refreshLater;

    private final List<Map.Entry<Map<String, Object>, Proxy>> proxies = new CopyOnWriteArrayList<>();
    private final ExecutorService refresher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "hop3-routes");
        t.setDaemon(true);
        return t;
    });
    private volatile String configuredProxy = "";
    private volatile String domain = "localhost";
    private long generation;
    /**
     * True between activate and deactivate: a proxy bound before activation (its references may
     * not all be set yet) is given the table by activate, and none after deactivation.
     */
    private volatile boolean active;

    @Activate
    void activate(CoreConfig config) {
        configuredProxy = config.proxy();
        domain = PlatformSettings.resolve(config).domain();
        active = true;
        if (certificates != null) { // null only in unit tests without a catalog
            certificates.onIssued(onIssued);
        }
        refreshLater();
    }

    @Deactivate
    void deactivate() {
        active = false;
        if (certificates != null) {
            certificates.removeListener(onIssued);
        }
        refresher.shutdownNow();
    }

    @Reference(service = Proxy.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeProxy")
    void addProxy(Proxy proxy, Map<String, Object> properties) {
        proxies.add(Map.entry(properties, proxy));
        proxies.sort((a, b) -> Long.compare(ranking(a.getKey()), ranking(b.getKey())));
        refreshLater();
    }

    void removeProxy(Proxy proxy, Map<String, Object> properties) {
        proxies.removeIf(e -> e.getValue() == proxy);
    }

    /** The proxy in use, if one is installed. */
    public Optional<Proxy> proxy() {
        return Choice.pick(proxies, Proxy.NAME_PROPERTY, configuredProxy);
    }

    /** The host names an app answers to. */
    public List<String> hosts(AppDocument app) {
        List<String> hosts = new ArrayList<>();
        hosts.add(app.name() + "." + domain);
        hosts.addAll(app.domains());
        return hosts;
    }

    /**
     * Changes one app's state and routing together: the table with the changed app is applied
     * to the proxy, then the state is saved. When the proxy refuses, nothing is saved.
     */
    public synchronized AppDocument commit(AppName app, UnaryOperator<AppDocument> change) throws ProxyException {
        AppDocument next = change.apply(apps.document(app));
        Proxy proxy = proxy().orElseThrow(() -> new ProxyException(noProxy()));
        RouteTable table = table(app, next);
        proxy.apply(table);
        AppDocument saved = apps.update(app, d -> next);
        served(table);
        return saved;
    }

    /** Applies the current table again (after a proxy appeared, or an app was destroyed). */
    public synchronized void refresh() throws ProxyException {
        Optional<Proxy> proxy = proxy();
        if (proxy.isPresent()) {
            RouteTable table = table(null, null);
            proxy.get().apply(table);
            served(table);
        }
    }

    /** Tells the certificates which apps are served under which names, so that they get certificates. */
    private void served(RouteTable table) {
        Map<AppName, List<String>> hosts = new LinkedHashMap<>();
        for (Route route : table.routes()) {
            hosts.put(route.app(), route.hosts());
        }
        certificates.routed(hosts);
    }

    private void refreshLater() {
        refresher.execute(() -> {
            if (!active) {
                return;
            }
            try {
                refresh();
            } catch (ProxyException | RuntimeException e) {
                LOG.warn("The routes could not be applied to the proxy: {}", e.getMessage());
            }
        });
    }

    private RouteTable table(AppName changed, AppDocument replacement) {
        Map<String, AppDocument> docs = new LinkedHashMap<>();
        for (AppInfo info : apps.list()) {
            docs.put(info.name().value(), apps.document(info.name()));
        }
        if (changed != null) {
            docs.put(changed.value(), replacement);
        }
        List<Route> routes = new ArrayList<>();
        for (AppDocument doc : docs.values()) {
            route(doc).ifPresent(routes::add);
        }
        return new RouteTable(++generation, routes);
    }

    private Optional<Route> route(AppDocument doc) {
        Optional<ReleaseDocument> release = doc.current();
        if (release.isEmpty() || doc.stopped()) {
            return Optional.empty();
        }
        Path slug = apps.directory(AppName.of(doc.name())).resolve("releases")
                .resolve(String.valueOf(release.get().artifact())).resolve("slug");
        Map<String, Path> statics = new LinkedHashMap<>();
        // ACME's HTTP-01 answers, on every host that is routed (the issuer publishes them there)
        statics.put(CHALLENGE_PREFIX, certificates.challengeDirectory());
        for (StaticMapping s : release.get().runtime().statics()) {
            statics.put(s.urlPrefix(), slug.resolve(s.directory()).normalize());
        }
        List<Upstream> upstreams = doc.upstreams().stream().map(p -> new Upstream("127.0.0.1", p)).toList();
        if (upstreams.isEmpty() && statics.size() == 1) {
            return Optional.empty();
        }
        AppName app = AppName.of(doc.name());
        return Optional.of(new Route(app, hosts(doc), upstreams, statics, certificates.serving(app),
                certificates.redirects(app, doc.config())));
    }

    private String noProxy() {
        return configuredProxy == null || configuredProxy.isBlank()
                ? "No proxy is installed, so the app could not be reached; install one (feature:install hop3-proxy-builtin)."
                : "The proxy '" + configuredProxy + "' configured in cloud.hop3.core is not installed.";
    }

    private static long ranking(Map<String, Object> properties) {
        Object r = properties.get("service.ranking");
        return r instanceof Integer i ? i : 0;
    }
}
