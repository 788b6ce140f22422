package cloud.hop3.core.impl.route;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.app.AppInfo;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.HostName;
import cloud.hop3.api.build.StaticMapping;
import cloud.hop3.api.plugin.PluginKind;
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
import cloud.hop3.core.impl.platform.PlatformSettings.PlatformEndpoint;
import cloud.hop3.core.impl.platform.ProxyInUse;
import cloud.hop3.core.impl.plugin.PluginChooser;
import cloud.hop3.core.impl.tls.Certificates;

/**
 * The platform's routing: builds the whole route table from the apps' state and applies it to
 * the proxy in use. A change of one app's routing is applied and persisted under one lock, so
 * concurrent deploys never undo each other's routes. A proxy that appears (installed, updated,
 * restarted) is given the current table at once.
 * <p>
 * <b>Switching proxies.</b> The proxy in use is the one that serves the routes; the configured
 * one ({@code proxy} in {@code cloud.hop3.core}, else as {@link PluginChooser} ranks them) takes over as soon as
 * it is registered: it is given the whole table first (it starts listening next to the old one,
 * both with {@code SO_REUSEPORT}) and only once it serves it is the old one retired. When the new
 * one refuses the table or is not installed, the old one keeps serving, and {@link #problem()}
 * says why (shown by {@code plugin:list} and logged as an error). When the new one goes away
 * while it takes the table (SCR replaces a proxy whose configuration changed), the old one is
 * not retired either, so something listens until the replacement serves.
 * <p>
 * Threads: {@link #commit}, {@link #refresh} and switches run under this object's lock.
 * Configuration changes and proxies appearing are handled on the single {@code hop3-routes}
 * thread, so Config Admin's and SCR's threads never wait for a proxy.
 */
@Component(service = {RouteManager.class, ProxyInUse.class}, immediate = true, configurationPid = CoreConfig.PID)
public class RouteManager implements ProxyInUse {

    private static final Logger LOG = LoggerFactory.getLogger(RouteManager.class);
    private static final Path MIGRATE_REQ = Path.of("/proc/sys/net/ipv4/tcp_migrate_req");
    /** Where every route serves the certificates' HTTP-01 challenge answers. */
    static final String CHALLENGE_PREFIX = TlsSupport.CHALLENGE_PATH.substring(0, TlsSupport.CHALLENGE_PATH.length() - 1);

    @Reference
    private AppCatalog apps;

    @Reference
    private Certificates certificates;

    private final Runnable onIssued = this::refreshLater;

    private final PluginChooser<Proxy> proxies = new PluginChooser<>(PluginKind.PROXY);
    private final ExecutorService refresher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "hop3-routes");
        t.setDaemon(true);
        return t;
    });
    private volatile String configuredProxy = "";
    private volatile String domain = "localhost";
    /** The platform's own host name and the REST API's loopback port; empty when not routed. */
    private volatile Optional<PlatformEndpoint> platform = Optional.empty();
    private long generation;
    /** The proxy that serves the routes now; null before the first apply or once it went away. */
    private volatile Proxy serving;
    /** Why the configured proxy does not serve, or null. */
    private volatile String problem;
    /**
     * True between activate and deactivate: a proxy bound before activation (its references may
     * not all be set yet) is given the table by activate, and none after deactivation.
     */
    private volatile boolean active;
    /** Whether an app is routed by the driver that runs it (a cluster's ingress), not by the platform's proxy. */
    private volatile java.util.function.Predicate<AppDocument> servedElsewhere = d -> false;

    /** For DS. */
    public RouteManager() {
    }

    /** For tests: routing over a catalog. */
    RouteManager(AppCatalog apps, Certificates certificates) {
        this.apps = apps;
        this.certificates = certificates;
    }

    @Activate
    void activate(CoreConfig config) {
        configuredProxy = config.proxy();
        domain = PlatformSettings.resolve(config).domain();
        platform = platformEndpoint(config, domain);
        active = true;
        if (certificates != null) { // null only in unit tests without a catalog
            certificates.onIssued(onIssued);
        }
        refreshLater();
    }

    /**
     * A change of core's configuration restarts nothing: a new {@code proxy} is switched to, a
     * new {@code domain} is applied; both on the {@code hop3-routes} thread. Called by SCR on
     * Config Admin's thread, which it never blocks; the change itself cannot fail.
     */
    @Modified
    void modified(CoreConfig config) {
        String nextDomain = PlatformSettings.resolve(config).domain();
        String nextProxy = config.proxy();
        Optional<PlatformEndpoint> nextPlatform = platformEndpoint(config, nextDomain);
        if (nextProxy.equals(configuredProxy) && nextDomain.equals(domain) && nextPlatform.equals(platform)) {
            return;
        }
        platform = nextPlatform;
        if (!nextProxy.equals(configuredProxy)) {
            LOG.info("The proxy configured in cloud.hop3.core changed from '{}' to '{}'", configuredProxy, nextProxy);
        }
        configuredProxy = nextProxy;
        domain = nextDomain;
        refreshLater();
    }

    private static Optional<PlatformEndpoint> platformEndpoint(CoreConfig config, String domain) {
        try {
            return PlatformSettings.platformEndpoint(config, domain, System::getenv);
        } catch (IllegalArgumentException e) {
            LOG.error("The platform's REST API is not routed through the proxy: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Tells which apps the driver that runs them routes itself (a cluster's ingress): the
     * platform's proxy has no route for those.
     */
    public void servedElsewhere(java.util.function.Predicate<AppDocument> test) {
        servedElsewhere = test == null ? d -> false : test;
    }

    /** For tests: routes the platform's host name to {@code endpoint}. */
    void platformEndpoint(PlatformEndpoint endpoint) {
        platform = Optional.ofNullable(endpoint);
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
        proxies.add(proxy, properties);
        refreshLater();
    }

    void removeProxy(Proxy proxy, Map<String, Object> properties) {
        proxies.remove(proxy);
        if (serving == proxy) {
            serving = null;
            refreshLater();
        }
    }

    /**
     * The proxy in use: the one that serves the routes, else (nothing served yet) the one that
     * is configured, if installed.
     */
    @Override
    public Optional<Proxy> proxy() {
        Proxy now = serving;
        return now != null ? Optional.of(now) : chosen();
    }

    /**
     * Why the configured proxy does not serve the routes (it refused them, or it is not
     * installed), naming the proxy that serves instead; empty when the configured one serves.
     */
    @Override
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /** The name of the proxy that serves the routes now, if one does. */
    @Override
    public Optional<String> servingName() {
        Proxy now = serving;
        return now == null ? Optional.empty() : Optional.of(now.name());
    }

    private Optional<Proxy> chosen() {
        return proxies.choose(configuredProxy);
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
     * to the proxy in use, then the state is saved. When the proxy refuses, nothing is saved.
     */
    public synchronized AppDocument commit(AppName app, UnaryOperator<AppDocument> change) throws ProxyException {
        AppDocument next = change.apply(apps.document(app));
        Proxy proxy = proxy().orElseThrow(() -> new ProxyException(noProxy()));
        RouteTable table = table(app, next);
        proxy.apply(table);
        if (serving == null) {
            servedBy(proxy);
        }
        AppDocument saved = apps.update(app, d -> next);
        served(table);
        return saved;
    }

    /**
     * Applies the current table again (after a proxy appeared, the configuration changed, or an
     * app was destroyed), switching to the configured proxy when another one serves.
     *
     * @throws ProxyException when the proxy in use refuses the table; a refusal by the proxy
     *                        being switched to is not thrown but kept as the {@link #problem()}
     */
    public synchronized void refresh() throws ProxyException {
        Optional<Proxy> wanted = chosen();
        Proxy old = serving;
        if (wanted.isEmpty()) {
            if (old != null) {
                RouteTable table = table(null, null);
                old.apply(table);
                served(table);
            }
            problem = configuredProxy.isBlank() || old == null ? null : noProxy() + " '" + old.name() + "' still serves the routes.";
            if (problem != null) {
                LOG.error("{}", problem);
            }
            return;
        }
        Proxy next = wanted.get();
        if (old == null || old == next) {
            RouteTable table = table(null, null);
            try {
                next.apply(table);
            } catch (ProxyException | RuntimeException e) {
                if (old != null || next.listeners().isEmpty()) {
                    throw e;
                }
                // it took over a server that still serves the routes of before (a replaced component)
                servedBy(next);
                problem = "The proxy '" + next.name() + "' refused the routes, so it serves the ones it had before: "
                        + e.getMessage();
                LOG.error("{}", problem);
                return;
            }
            servedBy(next);
            problem = null;
            served(table);
            return;
        }
        switchTo(old, next);
    }

    /**
     * Makes {@code proxy} the one that serves, unless it was unbound meanwhile: an unbind that
     * came before this found another proxy serving and left it alone. Then none serves, and a
     * refresh chooses again.
     */
    private void servedBy(Proxy proxy) {
        serving = proxy;
        if (!proxies.contains(proxy)) {
            serving = null;
            refreshLater();
        }
    }

    /** Gives {@code next} the whole table; once it serves it, retires {@code old}. */
    private void switchTo(Proxy old, Proxy next) throws ProxyException {
        long start = System.nanoTime();
        warnIfQueuedConnectionsAreReset();
        RouteTable table = table(null, null);
        try {
            next.apply(table);
        } catch (ProxyException | RuntimeException e) {
            if (!proxies.contains(next)) {
                keepServing(old, next, table);
                return;
            }
            problem = "The proxy '" + next.name() + "' configured in cloud.hop3.core refused the routes, so '" + old.name()
                    + "' still serves them: " + e.getMessage();
            LOG.error("{}", problem);
            old.apply(table);
            served(table);
            return;
        }
        serving = next;
        if (!proxies.contains(next)) {
            keepServing(old, next, table);
            return;
        }
        problem = null;
        served(table);
        try {
            old.retire();
        } catch (RuntimeException e) {
            LOG.warn("The proxy '{}' did not stop cleanly after '{}' took over: {}", old.name(), next.name(), e.toString());
        }
        LOG.info("The routes moved from the proxy '{}' to '{}' in {} ms", old.name(), next.name(),
                (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * {@code next} was unbound while it took the table (its configuration changed, its bundle
     * was updated or uninstalled): its deactivation stops its server, so {@code old}, not retired
     * yet, goes on serving. What replaces {@code next} is switched to as it is bound.
     */
    private void keepServing(Proxy old, Proxy next, RouteTable table) throws ProxyException {
        problem = "The proxy '" + next.name() + "' configured in cloud.hop3.core went away while it took the routes, so '"
                + old.name() + "' still serves them.";
        LOG.info("{}", problem);
        if (proxies.contains(old)) {
            servedBy(old);
            old.apply(table);
            served(table);
        } else {
            serving = null;
            refreshLater();
        }
    }

    /**
     * Linux resets the connections still in the accept queue of a listening socket that closes,
     * even when another socket of its SO_REUSEPORT group could take them, unless
     * {@code net.ipv4.tcp_migrate_req} is 1.
     */
    private static void warnIfQueuedConnectionsAreReset() {
        try {
            if (Files.isReadable(MIGRATE_REQ) && Files.readString(MIGRATE_REQ).trim().equals("0")) {
                LOG.warn("net.ipv4.tcp_migrate_req is 0: connections that the old proxy accepted into its queue but did not"
                        + " answer yet are reset when it stops listening; set it to 1 in /etc/sysctl.d (see the user guide)");
            }
        } catch (IOException e) {
            // not Linux, or not readable: nothing to say
        }
    }

    /** For tests: waits until the work handed to the {@code hop3-routes} thread so far is done. */
    void awaitRefreshes() throws InterruptedException {
        try {
            refresher.submit(() -> { }).get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Tells the certificates which apps are served under which names, so that they get certificates. */
    private void served(RouteTable table) {
        Map<AppName, List<String>> hosts = new LinkedHashMap<>();
        for (Route route : table.routes()) {
            hosts.put(route.app(), route.hosts().stream().map(HostName::value).toList());
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
        platformRoute(routes).ifPresent(routes::add);
        return new RouteTable(++generation, routes);
    }

    private Optional<Route> route(AppDocument doc) {
        Optional<ReleaseDocument> release = doc.current();
        if (release.isEmpty() || doc.stopped() || servedElsewhere.test(doc)) {
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
        List<HostName> hosts = new ArrayList<>();
        for (String host : hosts(doc)) {
            if (HostName.isValid(host)) {
                hosts.add(HostName.of(host));
            } else {
                LOG.warn("App {}: the host name '{}' is not valid and is not routed", app, host);
            }
        }
        return Optional.of(new Route(app, hosts, upstreams, statics, certificates.serving(app),
                certificates.redirects(app, doc.config())));
    }

    /**
     * The platform's own host name, forwarded to the REST API on loopback, with a certificate of
     * its own (named after the platform, a name no app may take). Not routed when an app claims
     * that host name: the app keeps it, and the log says why the API is not reachable there.
     */
    private Optional<Route> platformRoute(List<Route> appRoutes) {
        Optional<PlatformEndpoint> endpoint = platform;
        if (endpoint.isEmpty()) {
            return Optional.empty();
        }
        HostName host = endpoint.get().host();
        for (Route route : appRoutes) {
            if (route.hosts().contains(host)) {
                LOG.warn("App {} answers to {}, the platform's host name: the REST API is not routed there (set platform_host"
                        + " in {})", route.app(), host, CoreConfig.PID);
                return Optional.empty();
            }
        }
        AppName name = Certificates.PLATFORM;
        return Optional.of(new Route(name, List.of(host), List.of(new Upstream("127.0.0.1", endpoint.get().port())),
                Map.of(CHALLENGE_PREFIX, certificates.challengeDirectory()), certificates.serving(name),
                certificates.redirects(name, Map.of())));
    }

    private String noProxy() {
        return configuredProxy == null || configuredProxy.isBlank()
                ? "No proxy is installed, so the app could not be reached; install one (feature:install hop3-proxy-builtin)."
                : "The proxy '" + configuredProxy + "' configured in cloud.hop3.core is not installed.";
    }
}
