package cloud.hop3.rest;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.ConfigVarName;
import cloud.hop3.api.app.Release;

/**
 * An app's config vars: read (values hidden unless {@code ?reveal=true}, which needs the right to
 * change them, as {@code app:config} does), replaced whole (PUT) or changed (PATCH, a JSON merge
 * patch: a value sets, null removes). Each answer carries an ETag of the vars; a change sent with
 * an {@code If-Match} that is no longer current is refused with 412 and changes nothing.
 *
 * <p>The ETag is an HMAC of the vars under a key made at each start, so it tells nothing about the
 * values, and one taken before a restart is stale after it.
 */
final class ConfigRoutes {

    static final String HIDDEN = "***";
    private final Services services;
    private final byte[] tagKey = new byte[32];

    ConfigRoutes(Services services) {
        this.services = services;
        new SecureRandom().nextBytes(tagKey);
    }

    List<Route> routes() {
        return List.of(
                new Route("GET", "/apps/{app}/config", Permission.READ, Route.Scope.PATH_APP, this::get),
                new Route("PUT", "/apps/{app}/config", Permission.CONFIG, Route.Scope.PATH_APP, this::put),
                new Route("PATCH", "/apps/{app}/config", Permission.CONFIG, Route.Scope.PATH_APP, this::patch));
    }

    private Map<String, String> current(AppName app) {
        if (services.appService().find(app).isEmpty()) {
            throw Problem.notFound("app-not-found", "App '" + app + "' does not exist.");
        }
        return new TreeMap<>(services.appService().config(app));
    }

    private Object get(Call call) {
        call.onlyQuery("reveal");
        AppName app = call.app();
        boolean reveal = call.boolQuery("reveal");
        if (reveal) {
            services.accessService().check(call.actor(), Permission.CONFIG, Optional.of(app));
        }
        Map<String, String> config = current(app);
        return answer(config, reveal, null, null);
    }

    private Object put(Call call) throws Exception {
        call.onlyQuery();
        AppName app = call.app();
        Map<String, Optional<String>> wanted = changes(call.json(), false);
        Map<String, String> before = current(app);
        checkMatch(call, before);
        Map<String, String> set = new LinkedHashMap<>();
        wanted.forEach((k, v) -> {
            if (!v.get().equals(before.get(k))) {
                set.put(k, v.get());
            }
        });
        Set<String> unset = new TreeSet<>(before.keySet());
        unset.removeAll(wanted.keySet());
        return apply(app, before, set, unset);
    }

    private Object patch(Call call) throws Exception {
        call.onlyQuery();
        AppName app = call.app();
        Map<String, Optional<String>> wanted = changes(call.json(), true);
        Map<String, String> before = current(app);
        checkMatch(call, before);
        Map<String, String> set = new LinkedHashMap<>();
        Set<String> unset = new TreeSet<>();
        wanted.forEach((k, v) -> {
            if (v.isEmpty()) {
                if (before.containsKey(k)) {
                    unset.add(k);
                }
            } else {
                set.put(k, v.get());
            }
        });
        return apply(app, before, set, unset);
    }

    private Object apply(AppName app, Map<String, String> before, Map<String, String> set, Set<String> unset) throws Exception {
        if (set.isEmpty() && unset.isEmpty()) {
            return answer(before, false, null, List.of());
        }
        CollectedLog log = new CollectedLog();
        Release release = services.deployService().configure(app, set, unset, log);
        return answer(new TreeMap<>(services.appService().config(app)), false, release, log.lines());
    }

    /** The vars of a body: an object of names to strings (and, in a patch, nulls), each checked. */
    private static Map<String, Optional<String>> changes(JsonNode body, boolean patch) {
        if (!body.isObject()) {
            throw Problem.badRequest("invalid-body", "The body is a JSON object of config vars, such as {\"DEBUG\": \"1\""
                    + (patch ? ", \"OLD\": null}" : "}") + ", not " + (body.isMissingNode() ? "empty" : Call.kind(body)) + ".");
        }
        Map<String, Optional<String>> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) ((ObjectNode) body)::fields) {
            ConfigVarName name;
            try {
                name = ConfigVarName.of(e.getKey());
            } catch (IllegalArgumentException ex) {
                throw Problem.badRequest("invalid-config-key", ex.getMessage());
            }
            JsonNode v = e.getValue();
            if (v.isNull() && patch) {
                out.put(name.value(), Optional.empty());
            } else if (v.isTextual()) {
                try {
                    out.put(name.value(), Optional.of(name.checkValue(v.textValue())));
                } catch (IllegalArgumentException ex) {
                    throw Problem.badRequest("invalid-config-value", ex.getMessage());
                }
            } else {
                throw Problem.badRequest("invalid-config-value", "The value of " + name.value() + " is a string"
                        + (patch ? " (or null to remove it)" : "") + ", not " + Call.kind(v) + ".");
            }
        }
        return out;
    }

    private void checkMatch(Call call, Map<String, String> current) {
        Optional<String> ifMatch = call.request().header("if-match");
        if (ifMatch.isEmpty()) {
            return;
        }
        String tag = etag(current);
        for (String given : ifMatch.get().split(",")) {
            String g = given.strip();
            if (g.equals("*") || g.equals(tag)) {
                return;
            }
        }
        throw new Problem(412, "precondition-failed", "The config of " + call.app() + " changed since the ETag sent in"
                + " If-Match was read; nothing was changed. Read it again (GET /api/v1/apps/" + call.app()
                + "/config) and send its ETag.").with("ETag", tag);
    }

    private Reply answer(Map<String, String> config, boolean reveal, Release release, List<String> log) {
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, String> shown = new TreeMap<>();
        config.forEach((k, v) -> shown.put(k, reveal ? v : HIDDEN));
        body.put("config", shown);
        body.put("hidden", !reveal);
        if (log != null) {
            body.put("release", release == null ? null : release.number());
            body.put("log", log);
        }
        return Reply.ok(body).header("ETag", etag(config));
    }

    /** A strong ETag of the vars: an HMAC of names and values, telling nothing of them. */
    String etag(Map<String, String> config) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(tagKey, "HmacSHA256"));
            for (Map.Entry<String, String> e : new TreeMap<>(config).entrySet()) {
                mac.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                mac.update((byte) 0);
                mac.update(e.getValue().getBytes(StandardCharsets.UTF_8));
                mac.update((byte) 0);
            }
            return "\"" + HexFormat.of().formatHex(mac.doFinal(), 0, 16) + "\"";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("No HmacSHA256 in this JVM", e);
        }
    }
}
