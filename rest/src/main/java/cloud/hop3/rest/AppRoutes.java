package cloud.hop3.rest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.app.AppInfo;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.Formation;
import cloud.hop3.api.app.HostName;
import cloud.hop3.api.app.ProcessType;
import cloud.hop3.api.app.Release;
import cloud.hop3.api.process.LogChunk;

/**
 * Apps and what the shell's {@code app:}, {@code domain:} and {@code cert:} commands do with them:
 * list, create, info, destroy, formation and processes, restart, stop, start, releases and
 * rollback, logs, domains and certificates.
 */
final class AppRoutes {

    private static final int MAX_PAGE = 500;
    private final Services services;

    AppRoutes(Services services) {
        this.services = services;
    }

    List<Route> routes() {
        return List.of(
                new Route("GET", "/apps", Permission.READ, Route.Scope.PLATFORM, this::list),
                new Route("POST", "/apps", Permission.CREATE_DESTROY, call -> Optional.of(newName(call)), this::create),
                new Route("GET", "/apps/{app}", Permission.READ, Route.Scope.PATH_APP, this::info),
                new Route("DELETE", "/apps/{app}", Permission.CREATE_DESTROY, Route.Scope.PATH_APP, this::destroy),
                new Route("GET", "/apps/{app}/formation", Permission.READ, Route.Scope.PATH_APP, this::formation),
                new Route("PATCH", "/apps/{app}/formation", Permission.SCALE, Route.Scope.PATH_APP, this::scale),
                new Route("GET", "/apps/{app}/processes", Permission.READ, Route.Scope.PATH_APP, this::processes),
                new Route("POST", "/apps/{app}/restart", Permission.SCALE, Route.Scope.PATH_APP, this::restart),
                new Route("POST", "/apps/{app}/stop", Permission.SCALE, Route.Scope.PATH_APP, this::stop),
                new Route("POST", "/apps/{app}/start", Permission.SCALE, Route.Scope.PATH_APP, this::start),
                new Route("GET", "/apps/{app}/releases", Permission.READ, Route.Scope.PATH_APP, this::releases),
                new Route("POST", "/apps/{app}/rollback", Permission.ROLLBACK, Route.Scope.PATH_APP, this::rollback),
                new Route("GET", "/apps/{app}/logs", Permission.READ, Route.Scope.PATH_APP, this::logs),
                new Route("GET", "/apps/{app}/domains", Permission.READ, Route.Scope.PATH_APP, this::domains),
                new Route("POST", "/apps/{app}/domains", Permission.DOMAINS, Route.Scope.PATH_APP, this::addDomain),
                new Route("DELETE", "/apps/{app}/domains/{host}", Permission.DOMAINS, Route.Scope.PATH_APP, this::removeDomain),
                new Route("GET", "/apps/{app}/certificate", Permission.READ, Route.Scope.PATH_APP, this::certificate),
                new Route("POST", "/apps/{app}/certificate/renew", Permission.DOMAINS, Route.Scope.PATH_APP, this::renew),
                new Route("GET", "/certificates", Permission.READ, Route.Scope.PLATFORM, this::certificates),
                new Route("GET", "/apps/{app}/driver", Permission.READ, Route.Scope.PATH_APP, this::driver),
                new Route("PUT", "/apps/{app}/driver", Permission.CONFIG, Route.Scope.PATH_APP, this::chooseDriver),
                new Route("GET", "/apps/{app}/preview", Permission.READ, Route.Scope.PATH_APP, this::preview));
    }

    private static AppName newName(Call call) {
        return Call.appName(Call.text(call.object("name"), "name", true), "invalid-app-name");
    }

    private AppInfo existing(Call call) {
        AppName app = call.app();
        return services.appService().find(app).orElseThrow(() -> Problem.notFound("app-not-found",
                "App '" + app + "' does not exist."));
    }

    private Object list(Call call) {
        call.onlyQuery("limit", "cursor");
        int limit = call.intQuery("limit", 100, 1, MAX_PAGE);
        Optional<String> cursor = call.query("cursor");
        List<Map<String, Object>> items = new ArrayList<>();
        String next = null;
        for (AppInfo app : services.appService().list()) {
            if (cursor.isPresent() && app.name().value().compareTo(cursor.get()) <= 0) {
                continue;
            }
            if (items.size() == limit) {
                next = (String) items.get(items.size() - 1).get("name");
                break;
            }
            items.add(summary(app));
        }
        return page(items, next);
    }

    static Map<String, Object> page(List<?> items, Object next) {
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", items);
        page.put("next_cursor", next);
        return page;
    }

    private static Map<String, Object> summary(AppInfo app) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", app.name().value());
        m.put("created", app.created());
        m.put("release", app.currentRelease().map(Release::number).orElse(null));
        m.put("domains", app.domains());
        return m;
    }

    private Object create(Call call) {
        call.onlyQuery();
        AppName app = newName(call);
        return Reply.created(summary(services.appService().create(app))).header("Location", "/api/v1/apps/" + app);
    }

    private Object info(Call call) {
        call.onlyQuery();
        AppInfo app = existing(call);
        Map<String, Object> m = summary(app);
        m.put("current_release", app.currentRelease().map(AppRoutes::release).orElse(null));
        m.put("hosts", services.appService().hosts(app.name()));
        m.put("isolation", services.appService().isolation(app.name()));
        m.put("driver", services.appService().driver(app.name()));
        m.put("processes", services.appService().processes(app.name()));
        return m;
    }

    private Object destroy(Call call) {
        call.onlyQuery("confirm", "purge");
        AppInfo app = existing(call);
        boolean purge = call.boolQuery("purge");
        if (!call.query("confirm").filter(app.name().value()::equals).isPresent()) {
            throw Problem.badRequest("confirmation-required", "Destroying app " + app.name() + " removes its releases and"
                    + " repository" + (purge ? " and its data" : "") + "; nothing was destroyed. To go on, add ?confirm="
                    + app.name() + ".");
        }
        try {
            services.appService().destroy(app.name(), purge);
        } catch (cloud.hop3.api.app.AppException | InterruptedException e) {
            throw rethrow(e);
        }
        return Reply.noContent();
    }

    private Object formation(Call call) {
        call.onlyQuery();
        AppInfo app = existing(call);
        return app.currentRelease().map(r -> r.formation().counts()).orElse(Map.of());
    }

    private Object scale(Call call) throws Exception {
        call.onlyQuery();
        AppName app = call.app();
        JsonNode body = call.json();
        if (!body.isObject() || body.isEmpty()) {
            throw Problem.badRequest("invalid-body", "The body is an object of process counts, such as {\"web\": 2}.");
        }
        Formation formation = Formation.none();
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) ((ObjectNode) body)::fields) {
            String problem = ProcessType.problem(e.getKey());
            if (problem != null) {
                throw Problem.badRequest("invalid-process-type", "Cannot scale " + app + ": " + problem + ".");
            }
            JsonNode count = e.getValue();
            if (!count.isIntegralNumber() || !count.canConvertToInt()) {
                throw Problem.badRequest("invalid-body", "The count of '" + Texts.shown(e.getKey()) + "' is a whole number, not "
                        + Texts.shown(count.toString()) + ".");
            }
            ProcessType type = ProcessType.of(e.getKey());
            try {
                formation = formation.with(type, Formation.checkCount(type.value(), count.intValue()));
            } catch (IllegalArgumentException ex) {
                throw Problem.badRequest("invalid-body", ex.getMessage());
            }
        }
        existing(call);
        CollectedLog log = new CollectedLog();
        services.deployService().scale(app, formation.counts(), log);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("formation", services.appService().find(app).flatMap(AppInfo::currentRelease)
                .map(r -> r.formation().counts()).orElse(formation.counts()));
        m.put("log", log.lines());
        return m;
    }

    private Object driver(Call call) {
        call.onlyQuery();
        existing(call);
        return services.appService().driver(call.app());
    }

    /** Body {@code {"driver": "kubernetes"}}; null or "" for the platform's default. Applies from the next release. */
    private Object chooseDriver(Call call) {
        call.onlyQuery();
        String name = Call.text(call.object("driver"), "driver", false);
        existing(call);
        return services.appService().driver(call.app(), name);
    }

    private Object preview(Call call) throws Exception {
        call.onlyQuery("release");
        int release = call.intQuery("release", 0, 0, 999_999_999);
        existing(call);
        return Reply.ok(services.appService().preview(call.app(), release)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).header("Content-Type", "text/plain; charset=utf-8");
    }

    private Object processes(Call call) {
        call.onlyQuery();
        existing(call);
        return services.appService().processes(call.app());
    }

    private Object restart(Call call) throws Exception {
        call.onlyQuery();
        call.object();
        existing(call);
        CollectedLog log = new CollectedLog();
        services.deployService().restart(call.app(), log);
        return Map.of("app", call.app().value(), "state", "restarted", "log", log.lines());
    }

    private Object stop(Call call) throws Exception {
        call.onlyQuery();
        call.object();
        existing(call);
        services.deployService().stop(call.app());
        return Map.of("app", call.app().value(), "state", "stopped");
    }

    private Object start(Call call) throws Exception {
        call.onlyQuery();
        call.object();
        existing(call);
        CollectedLog log = new CollectedLog();
        services.deployService().start(call.app(), log);
        return Map.of("app", call.app().value(), "state", "started", "log", log.lines());
    }

    /** A release without its config values: a viewer may read releases, not secrets. */
    static Map<String, Object> release(Release r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("number", r.number());
        m.put("artifact", r.artifact());
        m.put("reason", r.reason());
        m.put("formation", r.formation().counts());
        m.put("config_keys", new java.util.TreeSet<>(r.config().keySet()));
        m.put("created", r.created());
        return m;
    }

    private Object releases(Call call) {
        call.onlyQuery();
        List<Release> releases = existing(call).releases();
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = releases.size() - 1; i >= 0; i--) {
            items.add(release(releases.get(i)));
        }
        return page(items, null);
    }

    private Object rollback(Call call) throws Exception {
        call.onlyQuery();
        Integer number = Call.integer(call.object("release"), "release", 1, Integer.MAX_VALUE);
        existing(call);
        CollectedLog log = new CollectedLog();
        Release made = services.deployService().rollback(call.app(), number == null ? 0 : number, log);
        Map<String, Object> m = new LinkedHashMap<>(release(made));
        m.put("log", log.lines());
        return Reply.created(m);
    }

    private Object logs(Call call) {
        call.onlyQuery("lines", "cursor", "max");
        AppName app = existing(call).name();
        boolean follow = call.request().header("accept").orElse("").contains("text/event-stream");
        int max = call.intQuery("max", 1000, 1, 10_000);
        LogChunk chunk;
        Optional<String> cursor = call.query("cursor");
        if (cursor.isPresent()) {
            try {
                chunk = services.appService().logs(app, cursor.get(), max);
            } catch (IllegalArgumentException e) {
                throw Problem.badRequest("invalid-cursor", e.getMessage());
            }
        } else {
            chunk = services.appService().tail(app, call.intQuery("lines", 100, 1, 100_000));
        }
        if (!follow) {
            return Map.of("lines", chunk.lines(), "next_cursor", chunk.next());
        }
        LogChunk first = chunk;
        return Reply.stream("text/event-stream", out -> follow(app, first, max, out));
    }

    /** Server-sent events: one {@code data:} line per log line, its cursor as the event's id; until the client goes. */
    private void follow(AppName app, LogChunk chunk, int max, OutputStream out) throws IOException {
        long deadline = System.nanoTime() + java.time.Duration.ofHours(1).toNanos();
        while (true) {
            StringBuilder text = new StringBuilder();
            for (String line : chunk.lines()) {
                text.append("data: ").append(line.replace("\r", "")).append('\n');
            }
            text.append("id: ").append(chunk.next()).append("\n\n");
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            if (System.nanoTime() > deadline) {
                return;
            }
            if (chunk.lines().size() < max) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            chunk = services.appService().logs(app, chunk.next(), max);
        }
    }

    private Object domains(Call call) {
        call.onlyQuery();
        AppName app = existing(call).name();
        List<String> hosts = services.appService().hosts(app);
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            items.add(Map.of("host", hosts.get(i), "kind", i == 0 ? "default" : "added"));
        }
        return page(items, null);
    }

    private static HostName host(String text) {
        try {
            return HostName.of(text);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("invalid-host-name", e.getMessage());
        }
    }

    private Object addDomain(Call call) throws Exception {
        call.onlyQuery();
        HostName host = host(Call.text(call.object("host"), "host", true));
        AppName app = existing(call).name();
        services.appService().addDomain(app, host);
        return Reply.created(Map.of("host", host.value(), "kind", "added"))
                .header("Location", "/api/v1/apps/" + app + "/domains/" + host.value());
    }

    private Object removeDomain(Call call) throws Exception {
        call.onlyQuery();
        HostName host = host(call.path("host"));
        AppName app = existing(call).name();
        services.appService().removeDomain(app, host);
        return Reply.noContent();
    }

    private Object certificate(Call call) {
        call.onlyQuery();
        return services.certificateService().status(existing(call).name());
    }

    private Object renew(Call call) throws Exception {
        call.onlyQuery();
        call.object();
        return services.certificateService().renew(existing(call).name());
    }

    private Object certificates(Call call) {
        call.onlyQuery();
        return page(services.certificateService().list(), null);
    }

    static RuntimeException rethrow(Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new Problem(503, "interrupted", "The platform is stopping; the request was interrupted.");
        }
        return new Problem(422, "change-failed", e.getMessage());
    }
}
