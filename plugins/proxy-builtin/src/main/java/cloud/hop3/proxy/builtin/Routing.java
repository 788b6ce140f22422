package cloud.hop3.proxy.builtin;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import cloud.hop3.api.proxy.ProxyException;
import cloud.hop3.api.proxy.Route;
import cloud.hop3.api.proxy.RouteTable;
import cloud.hop3.api.proxy.Upstream;

/**
 * A {@link RouteTable} compiled for serving: normalised host name to route. Immutable; the proxy
 * swaps whole instances, so a request sees one table from start to end.
 */
final class Routing {

    static final Routing EMPTY = new Routing(RouteTable.empty(), Map.of());

    private final RouteTable table;
    private final Map<String, AppRoute> byHost;

    private Routing(RouteTable table, Map<String, AppRoute> byHost) {
        this.table = table;
        this.byHost = byHost;
    }

    RouteTable table() {
        return table;
    }

    /**
     * Validates and compiles a table.
     *
     * @param listenPort the port the proxy listens on: hosts are also indexed with it, so that
     *                   the usual {@code Host: name:port} needs no parsing
     * @throws ProxyException naming the first problem (a host routed twice, a missing field, a
     *                        bad port); nothing is changed then
     */
    static Routing compile(RouteTable table, int listenPort, UpstreamRegistry registry) throws ProxyException {
        if (table == null) {
            throw new ProxyException("No route table given.");
        }
        Map<String, Route> owners = new HashMap<>();
        for (Route route : table.routes()) {
            check(route);
            for (String host : route.hosts()) {
                String name = host == null ? null : HostNames.normalise(host);
                if (name == null || name.isEmpty() || name.chars().anyMatch(c -> c <= ' ' || c == '/' || c >= 0x7f)) {
                    throw new ProxyException("App '" + route.app() + "' has an invalid host name '"
                            + printable(host) + "'.");
                }
                Route owner = owners.putIfAbsent(name, route);
                if (owner != null && owner != route) {
                    throw new ProxyException("Host '" + name + "' is routed to two apps, '" + owner.app()
                            + "' and '" + route.app() + "'; a host can serve one app only.");
                }
            }
        }
        Map<String, AppRoute> byHost = new HashMap<>();
        Map<Route, AppRoute> compiled = new HashMap<>();
        String portSuffix = ":" + listenPort;
        for (Map.Entry<String, Route> entry : owners.entrySet()) {
            AppRoute route = compiled.computeIfAbsent(entry.getValue(), r -> compile(r, registry));
            byHost.put(entry.getKey(), route);
            byHost.put(entry.getKey() + portSuffix, route);
        }
        return new Routing(table, byHost);
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

    private static AppRoute compile(Route route, UpstreamRegistry registry) {
        UpstreamTarget[] targets = route.upstreams().stream().map(registry::target).toArray(UpstreamTarget[]::new);
        return new AppRoute(route.app(), targets, StaticSite.of(route.statics()));
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
