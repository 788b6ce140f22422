package cloud.hop3.proxy.caddy;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.hop3.api.app.HostName;
import cloud.hop3.api.proxy.ProxyException;
import cloud.hop3.api.proxy.Route;
import cloud.hop3.api.proxy.RouteTable;
import cloud.hop3.api.proxy.TlsCertificate;
import cloud.hop3.api.proxy.Upstream;
import cloud.hop3.plugin.support.server.BindAddresses;

/**
 * Turns a whole {@link RouteTable} into Caddy's native JSON configuration.
 * <p>
 * One HTTP server holds every route, matched by host; an HTTPS server, bound only while a route
 * has a certificate, holds the routes with one, each selected by SNI and served with the route's
 * PEM files (tagged per app). Caddy's automatic HTTPS is disabled on both servers, so it never
 * asks any certificate authority for anything, and its storage stays in the plugin's directory.
 * Static directories are served by Caddy's file server with the built-in proxy's rules: GET and
 * HEAD only, hidden names (a segment starting with a dot, except {@code .well-known}) missing.
 * Unknown hosts get a 404 page that names nothing internal.
 * <p>
 * Every string that reaches the configuration is checked first (static prefixes and
 * directories, certificate paths, upstream addresses) and a table with one that is not sound is
 * refused; Jackson does the JSON escaping, and nothing may contain Caddy's placeholder braces.
 */
final class CaddyConfigWriter {

    /** An upstream address: a host name or IPv4 address, or an IPv6 address. */
    private static final Pattern UPSTREAM_HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}|[0-9A-Fa-f:.]{2,45}");
    /**
     * A static URL prefix: {@code /} or segments of unreserved characters not starting with a dot,
     * except {@code .well-known} (core routes ACME's challenges under it).
     */
    private static final Pattern PREFIX = Pattern.compile("/|(/(\\.well-known|[A-Za-z0-9_~-][A-Za-z0-9._~-]*))+/?");
    /** The paths a static directory may serve: no segment starts with a dot, except {@code .well-known}. */
    static final String VISIBLE_PATH = "^(/(\\.well-known|[^./][^/]*)?)*$";
    /** Idle connections kept per upstream process. */
    static final int UPSTREAM_IDLE_CONNECTIONS = 512;
    static final String ACME_CHALLENGE = "/.well-known/acme-challenge/*";
    private static final String HTML = "text/html; charset=utf-8";
    /** The logger of the request log. */
    static final String REQUEST_LOGGER = "http.log.access." + CaddyFiles.REQUEST_LOGGER;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final CaddySettings settings;

    CaddyConfigWriter(CaddySettings settings) {
        this.settings = settings;
    }

    /** The configuration serving {@code table}, as JSON text. */
    String write(RouteTable table) throws ProxyException {
        try {
            return MAPPER.writeValueAsString(document(table));
        } catch (JsonProcessingException e) {
            throw new ProxyException("The Caddy configuration could not be written: " + e.getMessage(), e);
        }
    }

    /** The configuration serving {@code table}. */
    ObjectNode document(RouteTable table) throws ProxyException {
        List<Route> routes = new ArrayList<>(table.routes());
        routes.sort(Comparator.comparing(r -> r.app().value()));
        Path dir = settings.directory();
        ObjectNode root = JSON.objectNode();
        ObjectNode admin = root.putObject("admin");
        admin.put("listen", "unix/" + safePath(dir.resolve(CaddyFiles.ADMIN_SOCKET), "admin socket"));
        admin.putObject("config").put("persist", false);
        root.putObject("storage").put("module", "file_system").put("root", safePath(dir.resolve("data"), "storage"));
        ObjectNode logs = root.putObject("logging").putObject("logs");
        ObjectNode log = logs.putObject("default");
        log.putObject("writer").put("output", "file").put("filename", safePath(dir.resolve(CaddyFiles.LOG), "log"))
                .put("roll_size_mb", 10).put("roll_keep", 3);
        log.putArray("exclude").add(REQUEST_LOGGER);
        requestLog(logs.putObject(CaddyFiles.REQUEST_LOGGER), dir);

        ObjectNode http = root.putObject("apps").putObject("http");
        http.put("http_port", settings.httpPort());
        http.put("https_port", settings.httpsPort());
        // no grace_period: with one, Caddy 2.6 cuts a replaced server's graceful shutdown short when the old
        // configuration's context ends, resetting the connections it still serves
        ObjectNode servers = http.putObject("servers");

        ArrayNode httpRoutes = JSON.arrayNode();
        List<Route> secure = new ArrayList<>();
        for (Route route : routes) {
            Set<String> hosts = hosts(route);
            ArrayNode appRoutes = appRoutes(route, settings.httpPort());
            if (route.tls().isPresent()) {
                secure.add(route);
                if (route.httpsRedirect()) {
                    ArrayNode redirecting = JSON.arrayNode();
                    ObjectNode challenge = redirecting.addObject();
                    challenge.putArray("match").addObject().putArray("path").add(ACME_CHALLENGE);
                    challenge.putArray("handle").addObject().put("handler", "subroute").set("routes", appRoutes);
                    challenge.put("terminal", true);
                    ObjectNode redirect = redirecting.addObject().putArray("handle").addObject();
                    redirect.put("handler", "static_response").put("status_code", 308);
                    String port = settings.httpsPort() == 443 ? "" : ":" + settings.httpsPort();
                    redirect.putObject("headers").putArray("Location")
                            .add("https://{http.request.host}" + port + "{http.request.uri}");
                    appRoutes = redirecting;
                }
            }
            httpRoutes.add(hostRoute(hosts, appRoutes));
        }
        httpRoutes.add(notFound());
        servers.set("http", server(settings.httpPort(), httpRoutes));

        if (!secure.isEmpty()) {
            ArrayNode httpsRoutes = JSON.arrayNode();
            ArrayNode policies = JSON.arrayNode();
            ArrayNode files = JSON.arrayNode();
            for (Route route : secure) {
                Set<String> hosts = hosts(route);
                httpsRoutes.add(hostRoute(hosts, appRoutes(route, settings.httpsPort())));
                String tag = "hop3-" + route.app().value();
                ObjectNode policy = policies.addObject();
                ArrayNode sni = policy.putObject("match").putArray("sni");
                hosts.forEach(sni::add);
                policy.putObject("certificate_selection").putArray("any_tag").add(tag);
                TlsCertificate tls = route.tls().get();
                ObjectNode file = files.addObject();
                file.put("certificate", safePath(tls.certificateChain(), "certificate of " + route.app()));
                file.put("key", safePath(tls.privateKey(), "private key of " + route.app()));
                file.put("format", "pem");
                file.putArray("tags").add(tag);
            }
            httpsRoutes.add(notFound());
            ObjectNode https = server(settings.httpsPort(), httpsRoutes);
            https.set("tls_connection_policies", policies);
            servers.set("https", https);
            ObjectNode tlsApp = ((ObjectNode) root.get("apps")).putObject("tls");
            tlsApp.putObject("certificates").set("load_files", files);
            tlsApp.put("disable_ocsp_stapling", true);
        }
        return root;
    }

    private ObjectNode server(int port, ArrayNode routes) {
        ObjectNode server = JSON.objectNode();
        ArrayNode listen = server.putArray("listen");
        for (InetAddress address : BindAddresses.parse(settings.bindAddress(), "the Caddy settings")) {
            // Go listens on :: for IPv4 too (dual stack), as the other proxies do
            listen.add(BindAddresses.host(address) + ":" + port);
        }
        server.putObject("automatic_https").put("disable", true);
        // no HTTP/3: Caddy 2.6 binds its UDP socket without SO_REUSEPORT, so a second proxy could
        // not listen on the port during a switch (its TCP listeners have SO_REUSEPORT)
        server.putArray("protocols").add("h1").add("h2");
        server.put("idle_timeout", seconds(settings.idleTimeout().toSeconds()));
        server.put("max_header_bytes", settings.maxHeaderBytes());
        server.putObject("logs").put("default_logger_name", CaddyFiles.REQUEST_LOGGER);
        server.set("routes", routes);
        // errors raised by handlers (a missing static file, an app that does not answer) get a page too
        ObjectNode error = server.putObject("errors").putArray("routes").addObject().putArray("handle").addObject();
        error.put("handler", "static_response").put("status_code", "{http.error.status_code}");
        error.putObject("headers").putArray("Content-Type").add(HTML);
        error.put("body", page("{http.error.status_code} {http.error.status_text}",
                "The request could not be served."));
        return server;
    }

    /**
     * The request log the plugin reads: appended to (never rolled by Caddy, the plugin truncates
     * it), one JSON object a request with its host, status and duration in seconds; the rest of
     * what Caddy logs of a request (its URI, headers, client address) is left out.
     */
    private static void requestLog(ObjectNode logger, Path dir) throws ProxyException {
        logger.putObject("writer").put("output", "file")
                .put("filename", safePath(dir.resolve(CaddyFiles.REQUESTS), "request log")).put("roll", false);
        ObjectNode encoder = logger.putObject("encoder").put("format", "filter");
        encoder.putObject("wrap").put("format", "json");
        ObjectNode fields = encoder.putObject("fields");
        for (String field : List.of("request>remote_ip", "request>remote_port", "request>proto", "request>method",
                "request>uri", "request>headers", "request>tls", "user_id", "resp_headers")) {
            fields.putObject(field).put("filter", "delete");
        }
        logger.putArray("include").add(REQUEST_LOGGER);
    }

    private static ObjectNode hostRoute(Set<String> hosts, ArrayNode appRoutes) {
        ObjectNode route = JSON.objectNode();
        ArrayNode match = route.putArray("match").addObject().putArray("host");
        hosts.forEach(match::add);
        route.putArray("handle").addObject().put("handler", "subroute").set("routes", appRoutes);
        route.put("terminal", true);
        return route;
    }

    /**
     * The routes of one app inside its host match: its static directories (longest prefix first),
     * then its processes. As with the built-in proxy, GET and HEAD look for a file first; a missing
     * or hidden file, or another method, goes to the app's processes when it has any, and otherwise
     * gets 404 (405 for another method).
     */
    private ArrayNode appRoutes(Route route, int port) throws ProxyException {
        ArrayNode routes = JSON.arrayNode();
        List<Map.Entry<String, Path>> statics = new ArrayList<>(route.statics().entrySet());
        statics.sort(Comparator.comparing((Map.Entry<String, Path> e) -> e.getKey().length()).reversed()
                .thenComparing(Map.Entry::getKey));
        boolean processes = !route.upstreams().isEmpty();
        for (Map.Entry<String, Path> entry : statics) {
            routes.add(staticRoute(prefix(route, entry.getKey()),
                    safePath(entry.getValue(), "static directory of " + route.app()), processes));
        }
        ArrayNode handle = routes.addObject().putArray("handle");
        if (!processes) {
            handle.add(statics.isEmpty()
                    ? page(502, "502 Bad Gateway", "The application is not answering. Please try again in a moment.")
                    : page(404, "404 Not Found", "There is nothing at this address."));
            return routes;
        }
        if (settings.maxBodyBytes() > 0) {
            handle.addObject().put("handler", "request_body").put("max_size", settings.maxBodyBytes());
        }
        ObjectNode proxy = handle.addObject().put("handler", "reverse_proxy");
        ArrayNode upstreams = proxy.putArray("upstreams");
        for (Upstream upstream : route.upstreams()) {
            upstreams.addObject().put("dial", dial(route, upstream));
        }
        ObjectNode balancing = proxy.putObject("load_balancing");
        balancing.putObject("selection_policy").put("policy", "round_robin");
        balancing.put("try_duration", millis(settings.connectTimeout().toMillis()));
        balancing.put("try_interval", "100ms");
        ObjectNode transport = proxy.putObject("transport").put("protocol", "http");
        transport.put("dial_timeout", millis(settings.connectTimeout().toMillis()));
        transport.put("response_header_timeout", seconds(settings.idleTimeout().toSeconds()));
        // Caddy keeps 32 idle connections per upstream by default: more concurrent clients than
        // that made it open (and leave in TIME_WAIT) a connection per request
        transport.putObject("keep_alive").put("enabled", true)
                .put("max_idle_conns_per_host", UPSTREAM_IDLE_CONNECTIONS)
                .put("idle_timeout", seconds(settings.idleTimeout().toSeconds()));
        // Caddy sets X-Forwarded-For, -Proto and -Host itself (ignoring a client's own values)
        proxy.putObject("headers").putObject("request").putObject("set")
                .putArray("X-Forwarded-Port").add(Integer.toString(port));
        return routes;
    }

    /**
     * One static directory: for GET and HEAD of a visible path under the prefix, the prefix is
     * stripped and the file (or a directory's index.html) is served when it exists; otherwise the
     * original URI is put back and the request goes on to the app's processes, or is refused.
     */
    private static ObjectNode staticRoute(String prefix, String directory, boolean processes) {
        ObjectNode route = JSON.objectNode();
        ArrayNode paths = route.putArray("match").addObject().putArray("path");
        if (prefix.equals("/")) {
            paths.add("*");
        } else {
            paths.add(prefix).add(prefix + "/*");
        }
        ArrayNode inner = JSON.arrayNode();
        ObjectNode lookup = inner.addObject();
        ObjectNode match = lookup.putArray("match").addObject();
        match.putArray("method").add("GET").add("HEAD");
        match.putObject("path_regexp").put("pattern", VISIBLE_PATH);
        ArrayNode lookupHandle = lookup.putArray("handle");
        if (!prefix.equals("/")) {
            lookupHandle.addObject().put("handler", "rewrite").put("strip_path_prefix", prefix);
        }
        ArrayNode found = JSON.arrayNode();
        ObjectNode serve = found.addObject();
        ObjectNode file = serve.putArray("match").addObject().putObject("file").put("root", directory);
        file.putArray("try_files").add("{http.request.uri.path}").add("{http.request.uri.path}/index.html");
        ObjectNode server = serve.putArray("handle").addObject().put("handler", "file_server").put("root", directory);
        server.putArray("index_names").add("index.html");
        found.addObject().putArray("handle").addObject().put("handler", "rewrite").put("uri", "{http.request.orig_uri}");
        lookupHandle.addObject().put("handler", "subroute").set("routes", found);
        if (!processes) {
            ObjectNode other = inner.addObject();
            other.putArray("match").addObject().putArray("not").addObject().putArray("method").add("GET").add("HEAD");
            ObjectNode refuse = page(405, "405 Method Not Allowed", "This address accepts GET and HEAD requests only.");
            ((ObjectNode) refuse.get("headers")).putArray("Allow").add("GET, HEAD");
            other.putArray("handle").add(refuse);
        }
        route.putArray("handle").addObject().put("handler", "subroute").set("routes", inner);
        return route;
    }

    /** A static response with a small HTML page that names nothing internal. */
    private static ObjectNode page(int status, String title, String text) {
        ObjectNode response = JSON.objectNode().put("handler", "static_response").put("status_code", status);
        response.putObject("headers").putArray("Content-Type").add(HTML);
        response.put("body", page(title, text));
        return response;
    }

    private static ObjectNode notFound() {
        ObjectNode route = JSON.objectNode();
        route.putArray("handle").add(page(404, "404 Not Found", "There is nothing at this address."));
        return route;
    }

    static String page(String title, String text) {
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + title + "</title></head>\n"
                + "<body><h1>" + title + "</h1><p>" + text + "</p></body></html>\n";
    }

    /** The route's host names ({@link HostName} has checked them). */
    static Set<String> hosts(Route route) throws ProxyException {
        Set<String> hosts = new LinkedHashSet<>();
        for (HostName host : route.hosts()) {
            hosts.add(host.value());
        }
        if (hosts.isEmpty()) {
            throw new ProxyException("App " + route.app() + " has no host name; the routes were not changed.");
        }
        return hosts;
    }

    private static String prefix(Route route, String prefix) throws ProxyException {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new ProxyException("The static URL prefix '" + prefix + "' of app " + route.app()
                    + " is not a path of plain segments; the routes were not changed.");
        }
        return prefix.length() > 1 && prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    private static String dial(Route route, Upstream upstream) throws ProxyException {
        String host = upstream.host();
        if (host == null || !UPSTREAM_HOST.matcher(host).matches() || upstream.port() < 1 || upstream.port() > 65535) {
            throw new ProxyException("The process address " + host + ":" + upstream.port() + " of app " + route.app()
                    + " is not a valid address; the routes were not changed.");
        }
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + upstream.port();
    }

    /** An absolute file path without characters that Caddy would read as a placeholder or that break a line. */
    static String safePath(Path path, String what) throws ProxyException {
        String text = path.toAbsolutePath().normalize().toString();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{' || c == '}' || c < 0x20 || c == 0x7f) {
                throw new ProxyException("The path of the " + what + " (" + text.replaceAll("\\p{Cntrl}", "?")
                        + ") contains a brace or a control character, which Caddy cannot be given;"
                        + " the routes were not changed.");
            }
        }
        return text;
    }

    private static String seconds(long seconds) {
        return seconds + "s";
    }

    private static String millis(long millis) {
        return millis + "ms";
    }
}
