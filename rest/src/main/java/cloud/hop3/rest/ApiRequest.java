package cloud.hop3.rest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP request as the API sees it, apart from the servlet that received it.
 *
 * @param method  the HTTP method, upper case
 * @param path    the path below {@code /api/v1}, starting with {@code /}, still percent-encoded
 * @param query   the raw query string, or empty
 * @param headers the request's headers, by lower-case name (the first value of each)
 * @param body    the body, at most {@link Api#MAX_BODY} bytes
 * @param address the client's address
 * @param secure  whether the client sent it over HTTPS (to the platform's proxy, or to the API)
 */
record ApiRequest(String method, String path, String query, Map<String, String> headers, byte[] body, String address,
                  boolean secure) {

    /** A request that came over plain HTTP. */
    ApiRequest(String method, String path, String query, Map<String, String> headers, byte[] body, String address) {
        this(method, path, query, headers, body, address, false);
    }

    ApiRequest {
        method = method.toUpperCase(Locale.ROOT);
        path = path == null || path.isEmpty() ? "/" : path;
        query = query == null ? "" : query;
        TreeMap<String, String> lower = new TreeMap<>();
        headers.forEach((k, v) -> lower.putIfAbsent(k.toLowerCase(Locale.ROOT), v));
        headers = lower;
        body = body == null ? new byte[0] : body;
    }

    Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The query's parameters, decoded, in order. */
    Map<String, List<String>> parameters() {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("invalid-query", "The query string is not well encoded: " + e.getMessage());
        }
    }
}
