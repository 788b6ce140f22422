package cloud.hop3.proxy.haproxy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import cloud.hop3.api.app.HostName;
import cloud.hop3.api.proxy.ProxyException;
import cloud.hop3.api.proxy.Route;
import cloud.hop3.api.proxy.RouteTable;
import cloud.hop3.api.proxy.Upstream;
import cloud.hop3.plugin.support.files.StaticSite;
import cloud.hop3.plugin.support.server.BindAddresses;
import cloud.hop3.api.tls.TlsSupport;

/**
 * Turns a whole {@link RouteTable} into HAProxy's configuration text.
 * <p>
 * One {@code frontend} for HTTP (and one for HTTPS while some route has a certificate) reads the
 * {@code Host} header once into a variable (lower case, port and trailing dot removed) and picks
 * the app's {@code backend} with one ACL per route that lists its host names; requests under a
 * static prefix go to the plugin's loopback file server with the app named in a header that the
 * client cannot set; unknown hosts get a small 404 page that names nothing internal.
 * <p>
 * Host names are valid by their type ({@link HostName}); nothing else from the table is written
 * without passing a pattern first: upstream
 * addresses and static prefixes that do not match are refused with a {@link ProxyException}, so a
 * value can never add a line or a directive of its own.
 */
final class HaproxyConfigWriter {

    /** Header that carries the app's name from HAProxy to the static file server. */
    static final String STATIC_HEADER = "X-Hop3-Static-App";

    /** An upstream given by name: dot-separated labels of letters, digits and inner hyphens. */
    private static final Pattern UPSTREAM_NAME = Pattern.compile(
            "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]{2,45}");
    private static final Pattern PREFIX = Pattern.compile("(/[A-Za-z0-9._~-]+)*");

    static final String NOT_FOUND_PAGE = "<!DOCTYPE html>\\n<html><head><meta charset=utf-8><title>404 Not Found</title>"
            + "</head><body><h1>404 Not Found</h1><p>There is nothing at this address.</p></body></html>\\n";

    private static final String NOT_FOUND_RETURN = "    http-request return status 404 content-type"
            + " \"text/html; charset=utf-8\" hdr Cache-Control no-store string \"" + NOT_FOUND_PAGE + "\"\n";

    /**
     * Where things are, for the configuration.
     *
     * @param settings   the plugin's settings
     * @param staticPort the port the static file server listens on (loopback)
     * @param crtList    the crt-list file of the HTTPS frontend; null when no route has TLS
     * @param logRequests whether the workers log each request to their standard output (the
     *                   plugin's request pipe)
     */
    record Layout(HaproxySettings settings, int staticPort, Path crtList, boolean logRequests) {
    }

    /** A request as the workers log it: the host as routed, the status and {@code %Ta} in milliseconds. */
    static final String REQUEST_FORMAT = "%[var(txn.host)] %ST %Ta";

    private HaproxyConfigWriter() {
    }

    /** The configuration text for {@code table}. */
    static String write(RouteTable table, Layout layout) throws ProxyException {
        HaproxySettings s = layout.settings();
        List<Route> routes = table.routes();
        Map<String, Set<String>> hosts = new TreeMap<>();
        Map<String, String> owners = new HashMap<>();
        for (Route route : routes) {
            Set<String> names = hostsOf(route);
            for (String name : names) {
                String owner = owners.putIfAbsent(name, route.app().toString());
                if (owner != null && !owner.equals(route.app().toString())) {
                    throw new ProxyException("The host " + name + " belongs to two apps: '" + owner + "' and '"
                            + route.app() + "'.");
                }
            }
            hosts.put(route.app().toString(), names);
        }
        StringBuilder out = new StringBuilder(4096);
        out.append("# HAProxy configuration written by Hop3 for route table generation ").append(table.generation())
                .append(".\n# Every apply rewrites this file: change the plugin's settings instead.\n\n");
        out.append("global\n");
        out.append("    stats socket ").append(s.adminSocket()).append(" mode 600 level admin expose-fd listeners\n");
        out.append("    tune.ssl.default-dh-param 2048\n");
        if (layout.logRequests()) {
            out.append("    log stdout format raw local0 info\n");
        }
        out.append("\ndefaults\n");
        out.append("    mode http\n");
        if (layout.logRequests()) {
            out.append("    log global\n");
            out.append("    log-format \"").append(REQUEST_FORMAT).append("\"\n");
        }
        out.append("    option forwardfor\n");
        out.append("    option redispatch\n");
        out.append("    retries 2\n");
        out.append("    timeout connect ").append(s.connectTimeout().toMillis()).append("ms\n");
        out.append("    timeout client ").append(s.idleTimeout().toSeconds()).append("s\n");
        out.append("    timeout server ").append(s.idleTimeout().toSeconds()).append("s\n");
        out.append("    timeout http-request ").append(s.idleTimeout().toSeconds()).append("s\n");
        out.append("    timeout http-keep-alive ").append(s.idleTimeout().toSeconds()).append("s\n");
        out.append("    timeout tunnel 1h\n\n");

        frontend(out, "hop3_http", "bind " + bind(s.bindAddress(), s.httpPort()), "http", routes, hosts, s, false);
        boolean https = layout.crtList() != null && routes.stream().anyMatch(r -> r.tls().isPresent());
        if (https) {
            frontend(out, "hop3_https", "bind " + bind(s.bindAddress(), s.httpsPort()) + " ssl crt-list "
                    + layout.crtList(), "https", routes.stream().filter(r -> r.tls().isPresent()).toList(), hosts, s, true);
        }
        for (Route route : routes) {
            out.append("backend ").append(backend(route)).append('\n');
            out.append("    balance roundrobin\n");
            if (route.upstreams().isEmpty()) {
                // an app of static files only: a path outside its statics is not found
                out.append(NOT_FOUND_RETURN);
            }
            int i = 0;
            for (Upstream upstream : route.upstreams()) {
                out.append("    server u").append(i++).append(' ').append(address(upstream)).append('\n');
            }
            out.append('\n');
        }
        out.append("backend hop3_static\n");
        out.append("    server files 127.0.0.1:").append(layout.staticPort()).append('\n');
        out.append('\n');
        out.append("backend hop3_unknown\n");
        out.append(NOT_FOUND_RETURN);
        return out.toString();
    }

    private static void frontend(StringBuilder out, String name, String bind, String proto, List<Route> routes,
                                 Map<String, Set<String>> hosts, HaproxySettings s, boolean tls) throws ProxyException {
        out.append("frontend ").append(name).append('\n');
        out.append("    ").append(bind).append('\n');
        out.append("    http-request set-var(txn.host) req.hdr(host),lower,regsub(':[0-9]+$',''),regsub('[.]$','')\n");
        out.append("    http-request del-header ").append(STATIC_HEADER).append('\n');
        out.append("    http-request set-header X-Forwarded-Proto ").append(proto).append('\n');
        out.append("    http-request set-header X-Forwarded-Host %[req.hdr(host)] if { req.hdr(host) -m found }\n");
        out.append("    http-request set-header X-Forwarded-Port %[dst_port]\n");
        if (!tls) {
            // ACME validates its HTTP-01 challenges over plain HTTP: never redirected
            out.append("    acl acme_challenge path_beg ").append(TlsSupport.CHALLENGE_PATH).append('\n');
        }
        if (s.maxBodyBytes() > 0) {
            out.append("    http-request deny deny_status 413 if { req.hdr_val(content-length) gt ")
                    .append(s.maxBodyBytes()).append(" }\n");
        }
        for (Route route : routes) {
            String app = route.app().toString();
            Set<String> names = hosts.get(app);
            if (names.isEmpty()) {
                continue;
            }
            out.append("    acl host_").append(app).append(" var(txn.host) -m str ").append(String.join(" ", names)).append('\n');
            if (!tls && route.httpsRedirect() && route.tls().isPresent()) {
                String port = s.httpsPort() == 443 ? "" : ":" + s.httpsPort();
                out.append("    http-request redirect code 301 location https://%[var(txn.host)]").append(port)
                        .append("%[pathq] if host_").append(app).append(" !acme_challenge\n");
            }
            if (!route.statics().isEmpty()) {
                for (String prefix : prefixes(route)) {
                    if (prefix.isEmpty()) {
                        out.append("    acl static_").append(app).append(" always_true\n");
                    } else {
                        out.append("    acl static_").append(app).append(" path -m str ").append(prefix).append('\n');
                        out.append("    acl static_").append(app).append(" path_beg ").append(prefix).append("/\n");
                    }
                }
                out.append("    http-request set-header ").append(STATIC_HEADER).append(' ').append(app)
                        .append(" if host_").append(app).append(" static_").append(app).append('\n');
            }
        }
        for (Route route : routes) {
            String app = route.app().toString();
            if (hosts.get(app).isEmpty()) {
                continue;
            }
            if (!route.statics().isEmpty()) {
                out.append("    use_backend hop3_static if host_").append(app).append(" static_").append(app).append('\n');
            }
            out.append("    use_backend ").append(backend(route)).append(" if host_").append(app).append('\n');
        }
        out.append("    default_backend hop3_unknown\n\n");
    }

    private static String backend(Route route) {
        return "app_" + route.app();
    }

    /** A route's host names ({@link HostName} has checked them). */
    static Set<String> hostsOf(Route route) {
        Set<String> names = new LinkedHashSet<>();
        for (HostName host : route.hosts()) {
            names.add(host.value());
        }
        return names;
    }

    /** A route's static URL prefixes, without their trailing slash ("" for the whole site), checked. */
    static List<String> prefixes(Route route) throws ProxyException {
        List<String> prefixes = new ArrayList<>();
        for (String prefix : route.statics().keySet()) {
            String p = StaticSite.normalisePrefix(prefix);
            if (!PREFIX.matcher(p).matches() || p.contains("/../") || p.endsWith("/..") || p.contains("/./")
                    || p.endsWith("/.")) {
                throw new ProxyException("App '" + route.app() + "' has a static URL prefix HAProxy cannot be given: '"
                        + prefix + "'; use letters, digits and . _ ~ - between slashes.");
            }
            prefixes.add(p);
        }
        return prefixes;
    }

    private static String address(Upstream upstream) throws ProxyException {
        String host = upstream.host();
        if (upstream.port() < 1 || upstream.port() > 65535 || host == null) {
            throw new ProxyException("Upstream " + upstream + " has no valid port.");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.indexOf(':') >= 0) {
            if (!IPV6.matcher(host).matches()) {
                throw new ProxyException("Upstream address '" + upstream.host() + "' is not an IP address.");
            }
            return "ipv6@" + host + ":" + upstream.port();
        }
        if (!UPSTREAM_NAME.matcher(host.toLowerCase(Locale.ROOT)).matches()) {
            throw new ProxyException("Upstream address '" + upstream.host() + "' is not a host name or IP address.");
        }
        return host + ":" + upstream.port();
    }

    /** The addresses of a bind line, comma-separated: HAProxy listens on each. */
    private static String bind(String addresses, int port) {
        StringBuilder bind = new StringBuilder();
        for (InetAddress address : BindAddresses.parse(addresses, "the HAProxy settings")) {
            if (!bind.isEmpty()) {
                bind.append(',');
            }
            String text = BindAddresses.text(address);
            bind.append(address instanceof Inet6Address ? "ipv6@" + text : text).append(':').append(port);
        }
        return bind.toString();
    }
}
