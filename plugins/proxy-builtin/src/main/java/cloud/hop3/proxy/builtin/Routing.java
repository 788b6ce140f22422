package cloud.hop3.proxy.builtin;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import cloud.hop3.api.app.HostName;
import cloud.hop3.api.proxy.ProxyException;
import cloud.hop3.api.proxy.Route;
import cloud.hop3.api.proxy.RouteTable;
import cloud.hop3.api.proxy.Upstream;

import io.netty.handler.ssl.SslContext;
import cloud.hop3.plugin.support.files.StaticSite;

/**
 * A {@link RouteTable} compiled for serving: normalised host name to route, and to the TLS
 * context of its certificate. Immutable; the proxy swaps whole instances, so a request sees one
 * table from start to end.
 */
final class Routing {

    static final Routing EMPTY = new Routing(RouteTable.empty(), Map.of(), Map.of());

    private final RouteTable table;
    private final Map<String, AppRoute> byHost;
    private final Map<String, SslContext> certificates;

    private Routing(RouteTable table, Map<String, AppRoute> byHost, Map<String, SslContext> certificates) {
        this.table = table;
        this.byHost = byHost;
        this.certificates = certificates;
    }

    RouteTable table() {
        return table;
    }

    /**
     * Validates and compiles a table.
     *
     * @param listenPorts  the ports the proxy listens on: hosts are also indexed with them, so
     *                     that the usual {@code Host: name:port} needs no parsing
     * @param certificates where the TLS contexts of the routes' certificates come from; null to
     *                     ignore certificates
     * @throws ProxyException naming the first problem (a host routed twice, a missing field, a
     *                        bad port, an unusable certificate); nothing is changed then
     */
    static Routing compile(RouteTable table, int[] listenPorts, UpstreamRegistry registry,
                           ServerCertificates certificates) throws ProxyException {
        if (table == null) {
            throw new ProxyException("No route table given.");
        }
        Map<String, Route> owners = new HashMap<>();
        for (Route route : table.routes()) {
            check(route);
            for (HostName host : route.hosts()) {
                String name = host.value();
                Route owner = owners.putIfAbsent(name, route);
                if (owner != null && owner != route) {
                    throw new ProxyException("Host '" + name + "' is routed to two apps, '" + owner.app()
                            + "' and '" + route.app() + "'; a host can serve one app only.");
                }
            }
        }
        Map<Route, SslContext> contexts = new HashMap<>();
        if (certificates != null) {
            for (Route route : table.routes()) {
                if (route.tls() != null && route.tls().isPresent()) {
                    contexts.put(route, certificates.context(route.app(), route.tls().get()));
                }
            }
        }
        Map<String, AppRoute> byHost = new HashMap<>();
        Map<String, SslContext> byName = new HashMap<>();
        Map<Route, AppRoute> compiled = new HashMap<>();
        for (Map.Entry<String, Route> entry : owners.entrySet()) {
            AppRoute route = compiled.computeIfAbsent(entry.getValue(),
                    r -> compile(r, registry, contexts.containsKey(r)));
            byHost.put(entry.getKey(), route);
            for (int port : listenPorts) {
                if (port > 0) {
                    byHost.put(entry.getKey() + ":" + port, route);
                }
            }
            SslContext context = contexts.get(entry.getValue());
            if (context != null) {
                byName.put(entry.getKey(), context);
            }
        }
        return new Routing(table, byHost, byName);
    }

    private static void check(Route route) throws ProxyException {
        if (route == null || route.app() == null) {
            throw new ProxyException("A route has no app.");
        }
        for (Upstream upstream : route.upstreams()) {
            if (upstream == null || upstream.host() == null || upstream.host().isBlank()
                    || upstream.port() < 1 || upstream.port() > 65535) {
                throw new ProxyException("App '" + route.app() + "' has an invalid upstream " + upstream
                        + "; an upstream needs a host and a port from 1 to 65535.");
            }
        }
        for (Map.Entry<String, Path> entry : route.statics().entrySet()) {
            if (entry.getValue() == null) {
                throw new ProxyException("App '" + route.app() + "' maps '" + printable(entry.getKey())
                        + "' to no directory.");
            }
        }
    }

    private static AppRoute compile(Route route, UpstreamRegistry registry, boolean hasCertificate) {
        UpstreamTarget[] targets = route.upstreams().stream().map(registry::target).toArray(UpstreamTarget[]::new);
        // an app without a certificate cannot be served over HTTPS, so it is never redirected there
        return new AppRoute(route.app(), targets, StaticSite.of(route.statics()), hasCertificate && route.httpsRedirect());
    }

    private static String printable(String s) {
        return s == null ? "null" : s.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** Every upstream the table names. */
    Set<Upstream> upstreams() {
        Set<Upstream> all = new HashSet<>();
        table.routes().forEach(r -> all.addAll(r.upstreams()));
        return all;
    }

    /** Whether some route has a certificate (the HTTPS listener has something to serve). */
    boolean hasCertificates() {
        return !certificates.isEmpty();
    }

    /**
     * The TLS context for a server name sent by a client (SNI); null when no route with a
     * certificate has that host, or for no name at all.
     */
    SslContext certificate(String serverName) {
        if (serverName == null) {
            return null;
        }
        String name = HostNames.normalise(serverName);
        return name == null ? null : certificates.get(name);
    }

    /** The route of a {@code Host} header value; null when no route has that host. */
    AppRoute find(String hostHeader) {
        if (hostHeader == null) {
            return null;
        }
        AppRoute route = byHost.get(hostHeader);
        if (route != null) {
            return route;
        }
        String host = HostNames.fromHeader(hostHeader);
        return host == null ? null : byHost.get(host);
    }
}
