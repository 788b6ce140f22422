package cloud.hop3.rest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Finds the route of a request and the values of its path's {@code {name}} segments. */
final class Router {

    /** A route found, with its path values. */
    record Match(Route route, Map<String, String> values) {
    }

    private final List<Route> routes;

    Router(List<Route> routes) {
        this.routes = List.copyOf(routes);
        Map<String, Route> seen = new LinkedHashMap<>();
        for (Route r : routes) {
            if (seen.put(r.key(), r) != null) {
                throw new IllegalStateException("Two routes for " + r.key());
            }
        }
    }

    List<Route> routes() {
        return routes;
    }

    /**
     * The route for {@code method} on {@code path}.
     *
     * @throws Problem 404 when no route has that path, 405 (with Allow) when none has that method
     */
    Match match(String method, String path) {
        List<String> segments = split(path);
        TreeSet<String> allowed = new TreeSet<>();
        Match found = null;
        for (Route route : routes) {
            Map<String, String> values = values(route.segments(), segments);
            if (values == null) {
                continue;
            }
            allowed.add(route.method());
            // a literal segment wins over a {name} one (/backups/verify is no backup's id)
            if (route.method().equals(method) && (found == null || literals(route) > literals(found.route()))) {
                found = new Match(route, values);
            }
        }
        if (found != null) {
            return found;
        }
        if (allowed.isEmpty()) {
            throw Problem.notFound("not-found", "There is no " + path + " in the API; GET /api/v1/openapi.json lists what there is.");
        }
        throw new Problem(405, "method-not-allowed", method + " is not allowed on " + path + "; it takes "
                + String.join(", ", allowed) + ".").with("Allow", String.join(", ", allowed));
    }

    private static int literals(Route route) {
        return (int) route.segments().stream().filter(s -> !s.startsWith("{")).count();
    }

    private static Map<String, String> values(List<String> template, List<String> segments) {
        if (template.size() != segments.size()) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            String s = segments.get(i);
            if (t.startsWith("{")) {
                if (s.isEmpty()) {
                    return null;
                }
                values.put(t.substring(1, t.length() - 1), s);
            } else if (!t.equals(s)) {
                return null;
            }
        }
        return values;
    }

    private static List<String> split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        List<String> out = new ArrayList<>();
        for (String s : p.split("/", -1)) {
            try {
                out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw Problem.badRequest("invalid-path", "The path is not well encoded: " + e.getMessage());
            }
        }
        return out;
    }
}
