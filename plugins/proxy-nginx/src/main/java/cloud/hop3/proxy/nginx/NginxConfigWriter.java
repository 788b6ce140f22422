package cloud.hop3.proxy.nginx;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import cloud.hop3.api.app.HostName;
import cloud.hop3.api.proxy.ProxyException;
import cloud.hop3.api.proxy.Route;
import cloud.hop3.api.proxy.RouteTable;
import cloud.hop3.api.proxy.TlsCertificate;
import cloud.hop3.api.proxy.Upstream;
import cloud.hop3.api.tls.TlsSupport;
import cloud.hop3.plugin.support.server.BindAddresses;

/**
 * Turns a whole {@link RouteTable} into one {@code nginx.conf}. Every value that comes from the
 * table (host names, addresses, URL prefixes, file paths) is checked against what nginx's syntax
 * can carry safely and refused otherwise: no text reaches the file by blind concatenation.
 * <p>
 * The behaviour follows the built-in proxy: host names compared in lower case; an unknown host
 * gets a 404 page that names nothing; a route's static prefixes are served from its directories
 * (GET and HEAD, hidden files except {@code .well-known} not served, symbolic links not followed),
 * a missing file goes on to the app when it has processes; requests are spread round-robin over
 * the upstreams with {@code X-Forwarded-*} headers and WebSocket upgrades. A route with a
 * certificate is also served on the HTTPS port (SNI), and its plain HTTP requests are redirected
 * there when it asks for it, except ACME's challenges under {@value TlsSupport#CHALLENGE_PATH}.
 * Listening sockets are bound with {@code reuseport}, so that another proxy can listen on the
 * same ports during a switch.
 */
final class NginxConfigWriter {

    private static final Pattern UPSTREAM_HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}|\\[?[0-9A-Fa-f:.]{2,45}]?");
    private static final Pattern PREFIX = Pattern.compile("(/[A-Za-z0-9._~@+-]+)*");
    private static final String NOT_FOUND_PAGE = "<!DOCTYPE html><html><head><title>404 Not Found</title></head>"
            + "<body><h1>404 Not Found</h1></body></html>";
    private static final String BAD_GATEWAY_PAGE = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
            + "<body><h1>502 Bad Gateway</h1></body></html>";
    private static final String GATEWAY_TIMEOUT_PAGE = "<!DOCTYPE html><html><head><title>504 Gateway Timeout</title></head>"
            + "<body><h1>504 Gateway Timeout</h1></body></html>";

    private final NginxSettings settings;
    private final boolean asRoot;

    NginxConfigWriter(NginxSettings settings, boolean asRoot) {
        this.settings = settings;
        this.asRoot = asRoot;
    }

    /** The configuration for {@code table}; refuses a table that nginx could not be given safely. */
    String write(RouteTable table) throws ProxyException {
        StringBuilder out = new StringBuilder(4096);
        out.append("# Written by Hop3 from route table generation ").append(table.generation())
                .append(". Every change of the routes rewrites it: do not edit.\n");
        out.append("daemon off;\nmaster_process on;\n");
        if (asRoot) {
            // the workers run as the user Hop3 runs as, never as nginx's compiled-in default
            out.append("user root;\n");
        }
        out.append("worker_processes ").append(settings.workerProcesses()).append(";\n");
        out.append("pid ").append(quote(settings.pidFile())).append(";\n");
        out.append("error_log ").append(quote(settings.errorLog())).append(" warn;\n");
        out.append("worker_shutdown_timeout ").append(seconds(settings.drainTimeout().toSeconds())).append(";\n");
        out.append("events {\n    worker_connections 1024;\n}\n");
        out.append("http {\n");
        out.append(MimeTypes.BLOCK);
        out.append("    default_type application/octet-stream;\n");
        // the platform's request log, read by the plugin for the apps' metrics: host, status and
        // seconds with millisecond resolution, nothing else
        out.append("    log_format hop3_requests '$host $status $request_time';\n");
        out.append("    access_log ").append(quote(settings.requestLog())).append(" hop3_requests;\n");
        if (settings.accessLog()) {
            out.append("    access_log ").append(quote(settings.logs().resolve("access.log"))).append(";\n");
        }
        for (String temp : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
            out.append("    ").append(temp).append("_temp_path ").append(quote(settings.temp().resolve(temp))).append(";\n");
        }
        long idle = Math.max(1, settings.idleTimeout().toSeconds());
        out.append("    server_tokens off;\n    absolute_redirect off;\n    sendfile on;\n");
        out.append("    server_names_hash_bucket_size 128;\n    server_names_hash_max_size 4096;\n");
        out.append("    large_client_header_buffers 4 16k;\n");
        out.append("    client_max_body_size ").append(settings.maxBodyMegabytes()).append("m;\n");
        out.append("    client_header_timeout ").append(seconds(idle)).append(";\n");
        out.append("    client_body_timeout ").append(seconds(idle)).append(";\n");
        out.append("    keepalive_timeout ").append(seconds(idle)).append(";\n");
        out.append("    proxy_connect_timeout ").append(Math.max(1, settings.connectTimeout().toMillis())).append("ms;\n");
        out.append("    proxy_read_timeout ").append(seconds(idle)).append(";\n");
        out.append("    proxy_send_timeout ").append(seconds(idle)).append(";\n");
        out.append("    proxy_http_version 1.1;\n    proxy_buffering off;\n    proxy_request_buffering off;\n");
        out.append("    proxy_set_header Host $http_host;\n");
        out.append("    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n");
        out.append("    proxy_set_header X-Forwarded-Proto $scheme;\n");
        out.append("    proxy_set_header X-Forwarded-Host $host;\n");
        out.append("    proxy_set_header X-Forwarded-Port $server_port;\n");
        out.append("    proxy_set_header Upgrade $http_upgrade;\n");
        out.append("    proxy_set_header Connection $hop3_connection;\n");
        out.append("    map $http_upgrade $hop3_connection {\n        default upgrade;\n        \"\" \"\";\n    }\n");
        out.append("    ssl_protocols TLSv1.2 TLSv1.3;\n    ssl_session_cache shared:hop3_tls:10m;\n");

        List<CheckedRoute> routes = check(table);
        List<InetAddress> addresses = BindAddresses.parse(settings.bindAddress(), "the nginx settings");
        String http = listens(addresses, settings.httpPort(), "", false);
        String https = listens(addresses, settings.httpsPort(), " ssl", false);

        out.append("\n    # Unknown hosts\n    server {\n");
        // reuseport (on one listen per address, as nginx wants): another proxy taking over or
        // handing over may listen on the same port meanwhile, and no connection is refused
        out.append(listens(addresses, settings.httpPort(), " default_server reuseport", true));
        out.append("        server_name \"\";\n");
        errorPages(out);
        out.append("        location / {\n            return 404;\n        }\n    }\n");
        if (routes.stream().anyMatch(r -> r.route.tls().isPresent())) {
            out.append("    server {\n").append(listens(addresses, settings.httpsPort(), " ssl default_server reuseport", true));
            out.append("        server_name \"\";\n        ssl_reject_handshake on;\n    }\n");
        }

        for (CheckedRoute r : routes) {
            out.append("\n    # App ").append(r.route.app().value()).append('\n');
            if (!r.route.upstreams().isEmpty()) {
                out.append("    upstream ").append(r.upstreamName).append(" {\n");
                for (Upstream u : r.route.upstreams()) {
                    out.append("        server ").append(upstreamAddress(u)).append(";\n");
                }
                out.append("        keepalive 32;\n    }\n");
            }
            out.append("    server {\n").append(http);
            serverNames(out, r.hosts);
            if (r.route.tls().isPresent() && r.route.httpsRedirect()) {
                // everything but ACME's HTTP-01 challenges, which are validated over plain HTTP
                // and served as routed; the server-level rewrite runs before a location is chosen
                String port = settings.httpsPort() == 443 ? "" : ":" + settings.httpsPort();
                out.append("        if ($uri !~ \"^").append(TlsSupport.CHALLENGE_PATH.replace(".", "\\."))
                        .append("\") {\n            return 308 https://$host").append(port)
                        .append("$request_uri;\n        }\n");
            }
            body(out, r);
            out.append("    }\n");
            if (r.route.tls().isPresent()) {
                TlsCertificate tls = r.route.tls().get();
                out.append("    server {\n").append(https);
                serverNames(out, r.hosts);
                out.append("        ssl_certificate ").append(quote(tls.certificateChain())).append(";\n");
                out.append("        ssl_certificate_key ").append(quote(tls.privateKey())).append(";\n");
                body(out, r);
                out.append("    }\n");
            }
        }
        out.append("}\n");
        return out.toString();
    }

    /** Error pages of the proxy's own: they name the status and nothing else. */
    private static void errorPages(StringBuilder out) {
        out.append("        error_page 403 404 @hop3_not_found;\n");
        out.append("        error_page 502 503 @hop3_bad_gateway;\n");
        out.append("        error_page 504 @hop3_gateway_timeout;\n");
        page(out, "@hop3_not_found", 404, NOT_FOUND_PAGE);
        page(out, "@hop3_bad_gateway", 502, BAD_GATEWAY_PAGE);
        page(out, "@hop3_gateway_timeout", 504, GATEWAY_TIMEOUT_PAGE);
    }

    private static void page(StringBuilder out, String name, int status, String html) {
        out.append("        location ").append(name).append(" {\n");
        out.append("            default_type \"text/html; charset=utf-8\";\n");
        out.append("            add_header Cache-Control no-store always;\n");
        out.append("            return ").append(status).append(" '").append(html).append("';\n        }\n");
    }

    private void body(StringBuilder out, CheckedRoute r) {
        errorPages(out);
        boolean app = !r.route.upstreams().isEmpty();
        boolean rootStatic = false;
        for (Map.Entry<String, Path> s : r.statics) {
            String prefix = s.getKey();
            if (prefix.isEmpty()) {
                rootStatic = true;
                out.append("        location / {\n");
                out.append("            root ").append(quote(s.getValue())).append(";\n");
            } else {
                out.append("        location = ").append(prefix).append(" {\n");
                out.append("            return 301 ").append(prefix).append("/$is_args$args;\n        }\n");
                out.append("        location ^~ ").append(prefix).append("/ {\n");
                out.append("            alias ").append(quote(s.getValue(), "/")).append(";\n");
            }
            out.append("            disable_symlinks on;\n");
            if (app) {
                // a file that is not there (or a method other than GET and HEAD) goes on to the app
                out.append("            error_page 403 404 405 = @hop3_app;\n");
            }
            out.append("            location ~ \"/\\.(?!well-known(/|$))\" {\n                return 404;\n            }\n");
            out.append("        }\n");
        }
        if (app) {
            if (!rootStatic) {
                out.append("        location / {\n            proxy_pass http://").append(r.upstreamName).append(";\n        }\n");
            }
            out.append("        location @hop3_app {\n            proxy_pass http://").append(r.upstreamName).append(";\n        }\n");
        } else if (!rootStatic) {
            out.append("        location / {\n            return 404;\n        }\n");
        }
    }

    private static void serverNames(StringBuilder out, List<String> hosts) {
        out.append("        server_name");
        for (String host : hosts) {
            out.append(' ').append(host);
        }
        out.append(";\n");
    }

    private record CheckedRoute(Route route, List<String> hosts, List<Map.Entry<String, Path>> statics, String upstreamName) {
    }

    /** Validates every value of the table; a host may belong to one route only. */
    private static List<CheckedRoute> check(RouteTable table) throws ProxyException {
        List<CheckedRoute> checked = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        int index = 0;
        for (Route route : table.routes()) {
            String app = route.app().value();
            List<String> hosts = new ArrayList<>();
            for (HostName host : route.hosts()) {
                String h = host.value();
                if (hosts.contains(h)) {
                    continue;
                }
                if (!taken.add(h)) {
                    throw new ProxyException("The host " + h + " is given to more than one app, '" + app + "' among them");
                }
                hosts.add(h);
            }
            if (hosts.isEmpty()) {
                continue;
            }
            for (Upstream u : route.upstreams()) {
                if (!UPSTREAM_HOST.matcher(u.host()).matches() || u.port() < 1 || u.port() > 65535) {
                    throw new ProxyException("App '" + app + "' has an upstream nginx cannot be given: " + u.host() + ":" + u.port());
                }
            }
            List<Map.Entry<String, Path>> statics = new ArrayList<>();
            Set<String> prefixes = new HashSet<>();
            for (Map.Entry<String, Path> s : route.statics().entrySet()) {
                String prefix = staticPrefix(s.getKey(), app);
                if (prefixes.add(prefix)) {
                    statics.add(Map.entry(prefix, s.getValue()));
                }
                checkPath(s.getValue(), app, "static directory");
            }
            statics.sort(Comparator.comparing((Map.Entry<String, Path> e) -> e.getKey().length()).reversed());
            if (route.tls().isPresent()) {
                checkPath(route.tls().get().certificateChain(), app, "certificate");
                checkPath(route.tls().get().privateKey(), app, "private key");
            }
            String name = "hop3_" + index++ + "_" + app.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
            checked.add(new CheckedRoute(route, hosts, statics, name));
        }
        return checked;
    }

    /** A static URL prefix without trailing slash ("" for the whole site). */
    static String staticPrefix(String prefix, String app) throws ProxyException {
        String p = prefix == null ? "" : prefix.strip();
        if (!p.startsWith("/")) {
            p = "/" + p;
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (!PREFIX.matcher(p).matches() || List.of(p.split("/")).stream()
                .anyMatch(seg -> seg.startsWith(".") && !seg.equals(".well-known"))) {
            throw new ProxyException("App '" + app + "' has a static URL prefix nginx cannot be given: '" + prefix + "'");
        }
        return p;
    }

    private static void checkPath(Path path, String app, String what) throws ProxyException {
        String text = path.toString();
        boolean ok = path.isAbsolute() && text.chars().noneMatch(c -> c < 0x20 || c == 0x7f || c == '"' || c == '\\' || c == '$');
        if (!ok) {
            throw new ProxyException("App '" + app + "' has a " + what + " path nginx cannot be given: '" + text + "'");
        }
    }

    /**
     * One {@code listen} line per bind address. {@code socketOptions}: the line that sets the
     * socket's options (nginx takes them once per address and port), where {@code ::} also takes
     * IPv4 as in the other proxies (nginx's own default is IPv6 only).
     */
    private static String listens(List<InetAddress> addresses, int port, String options, boolean socketOptions) {
        StringBuilder lines = new StringBuilder();
        for (InetAddress address : addresses) {
            lines.append("        listen ").append(BindAddresses.host(address)).append(':').append(port).append(options);
            if (socketOptions && BindAddresses.isDualStack(address)) {
                lines.append(" ipv6only=off");
            }
            lines.append(";\n");
        }
        return lines.toString();
    }

    private static String upstreamAddress(Upstream u) {
        String host = u.host();
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return host + ":" + u.port();
    }

    private static String seconds(long s) {
        return s + "s";
    }

    /** A path as an nginx string; the path was checked to hold no quote, back-slash or dollar. */
    private static String quote(Path path) {
        return quote(path, "");
    }

    private static String quote(Path path, String suffix) {
        String text = path.toString();
        if (text.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '"' || c == '\\' || c == '$')) {
            throw new IllegalArgumentException("Path unsafe in nginx configuration: " + text);
        }
        if (!suffix.isEmpty() && text.endsWith(suffix)) {
            suffix = "";
        }
        return "\"" + text + suffix + "\"";
    }
}
