package cloud.hop3.rest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cloud.hop3.api.access.Actor;
import cloud.hop3.api.access.Grant;
import cloud.hop3.api.access.Permission;
import cloud.hop3.api.access.Role;
import cloud.hop3.api.access.User;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.deploy.DeployLogChunk;
import cloud.hop3.api.event.PlatformEvent;

/**
 * What a live page follows: the platform's events from a cursor ({@code /events}), the log of an
 * app's latest deploy ({@code /apps/{app}/deploy-log}), as JSON or, with
 * {@code Accept: text/event-stream}, as server-sent events whose {@code id:} is the cursor, so that
 * a client that reconnects with {@code Last-Event-ID} misses nothing; and who the caller is
 * ({@code /me}), for a page to offer only what its user may do.
 */
final class EventRoutes {

    /** How long one stream lasts before the client is asked to reconnect (it resumes from its last id). */
    static final Duration STREAM = Duration.ofMinutes(30);
    /** How often a stream with nothing to say sends a comment, to find a client that went away. */
    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    private static final int MAX_PAGE = 1000;

    private final Services services;

    EventRoutes(Services services) {
        this.services = services;
    }

    List<Route> routes() {
        return List.of(
                new Route("GET", "/me", Permission.READ, Route.Scope.PLATFORM, this::me),
                new Route("GET", "/events", Permission.READ, call -> call.query("app").map(a -> Call.appName(a, "invalid-app-name")),
                        this::events),
                new Route("GET", "/apps/{app}/deploy-log", Permission.READ, Route.Scope.PATH_APP, this::deployLog));
    }

    private static boolean streamed(Call call) {
        return call.request().header("accept").orElse("").contains("text/event-stream");
    }

    private Object me(Call call) {
        call.onlyQuery();
        // the user record the authorization service decides from: a directory login's roles are its groups'
        User user = services.accessService().userOf(call.actor()).orElseThrow(() -> Problem.notFound("user-not-found",
                "There is no user '" + call.actor().user() + "'."));
        List<Map<String, Object>> grants = new ArrayList<>();
        for (Grant g : user.grants()) {
            grants.add(Map.of("role", g.role().name().toLowerCase(java.util.Locale.ROOT),
                    "apps", g.apps().stream().map(AppName::value).toList()));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user", user.name());
        m.put("admin", user.has(Role.ADMIN));
        m.put("grants", grants);
        return m;
    }

    // --- events --------------------------------------------------------------------------

    private Object events(Call call) {
        call.onlyQuery("app", "after", "limit");
        Optional<AppName> app = call.query("app").map(a -> Call.appName(a, "invalid-app-name"));
        int limit = call.intQuery("limit", 100, 1, MAX_PAGE);
        Optional<Long> after = call.request().header("last-event-id").filter(s -> !s.isBlank()).or(() -> call.query("after"))
                .map(EventRoutes::cursor);
        var log = services.eventLog();
        Actor actor = call.actor();
        if (streamed(call)) {
            long from = after.orElse(log.last());
            return Reply.stream("text/event-stream", out -> followEvents(actor, app, from, out));
        }
        List<PlatformEvent> found;
        if (after.isPresent()) {
            found = visible(actor, log.after(after.get(), app, limit));
        } else {
            // the latest ones: read every kept event of the app, keep the last page
            List<PlatformEvent> all = visible(actor, log.after(0, app, Integer.MAX_VALUE));
            found = all.subList(Math.max(0, all.size() - limit), all.size());
        }
        List<Map<String, Object>> items = found.stream().map(EventRoutes::event).toList();
        long next = found.isEmpty() ? after.orElse(log.last()) : found.get(found.size() - 1).id();
        return AppRoutes.page(items, String.valueOf(next));
    }

    private static long cursor(String text) {
        if (!text.strip().matches("[0-9]{1,18}")) {
            throw Problem.badRequest("invalid-cursor", "The cursor is an event's id, a whole number, not '" + Texts.shown(text) + "'.");
        }
        return Long.parseLong(text.strip());
    }

    /** The events about apps the actor may read, and the platform's. */
    private List<PlatformEvent> visible(Actor actor, List<PlatformEvent> events) {
        List<PlatformEvent> out = new ArrayList<>();
        for (PlatformEvent e : events) {
            if (services.accessService().allows(actor, Permission.READ, e.app())) {
                out.add(e);
            }
        }
        return out;
    }

    static Map<String, Object> event(PlatformEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("time", e.time());
        m.put("topic", e.topic());
        m.put("kind", e.kind());
        m.put("app", e.app().map(AppName::value).orElse(null));
        m.put("properties", e.properties());
        return m;
    }

    private void followEvents(Actor actor, Optional<AppName> app, long from, OutputStream out) throws IOException {
        long end = System.nanoTime() + STREAM.toNanos();
        long cursor = from;
        write(out, "retry: 2000\n: events after " + from + "\n\n");
        while (System.nanoTime() < end) {
            List<PlatformEvent> found;
            try {
                found = services.eventLog().await(cursor, app, 100, HEARTBEAT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (found.isEmpty()) {
                write(out, ": keep-alive\n\n");
                continue;
            }
            StringBuilder text = new StringBuilder();
            for (PlatformEvent e : found) {
                cursor = e.id();
                // one the actor may not read still moves the cursor, unseen
                if (services.accessService().allows(actor, Permission.READ, e.app())) {
                    text.append("id: ").append(e.id()).append('\n').append("data: ").append(Api.utf8(Json.bytes(event(e))))
                            .append("\n\n");
                }
            }
            if (text.length() == 0) {
                text.append("id: ").append(cursor).append("\n: nothing for you\n\n");
            }
            write(out, text.toString());
        }
    }

    // --- deploy log ----------------------------------------------------------------------

    private Object deployLog(Call call) {
        call.onlyQuery("from");
        AppName app = call.app();
        services.appService().find(app).orElseThrow(() -> Problem.notFound("app-not-found", "App '" + app + "' does not exist."));
        int from = call.intQuery("from", 0, 0, Integer.MAX_VALUE - 1);
        var logs = services.deployLogs();
        if (!streamed(call)) {
            return chunk(logs.read(app, from, 10_000), from);
        }
        // Last-Event-ID is <deploy>:<line>: the same deploy goes on from that line, another starts at 0
        String deploy = logs.read(app, 0, 0).deploy();
        Optional<String> last = call.request().header("last-event-id").filter(s -> s.matches("[0-9-]+:[0-9]{1,9}"));
        int start = from;
        if (last.isPresent()) {
            String[] parts = last.get().split(":");
            if (parts[0].equals(deploy)) {
                start = Integer.parseInt(parts[1]);
            } else {
                start = 0;
            }
        }
        String first = deploy;
        int firstLine = start;
        return Reply.stream("text/event-stream", out -> followDeploy(app, first, firstLine, out));
    }

    static Map<String, Object> chunk(DeployLogChunk c, int from) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deploy", c.deploy());
        m.put("title", c.title());
        m.put("started", c.started());
        m.put("running", c.running());
        m.put("ok", c.ok());
        m.put("from", from);
        m.put("lines", c.lines());
        m.put("next", c.next());
        return m;
    }

    /** Sends the log from {@code from}, then each new piece as it comes; a new deploy starts at its line 0. */
    private void followDeploy(AppName app, String deploy, int from, OutputStream out) throws IOException {
        long end = System.nanoTime() + STREAM.toNanos();
        var logs = services.deployLogs();
        DeployLogChunk c = logs.read(app, from, 1000);
        if (!c.deploy().equals(deploy)) {
            c = logs.read(app, 0, 1000);
            from = 0;
        }
        write(out, "retry: 2000\n");
        boolean first = true;
        String current = c.deploy();
        int at = from;
        while (true) {
            boolean moved = !c.deploy().equals(current);
            if (first || moved || !c.lines().isEmpty()) {
                write(out, "id: " + c.deploy() + ":" + c.next() + "\ndata: " + Api.utf8(Json.bytes(chunk(c, moved ? 0 : at)))
                        + "\n\n");
            } else {
                write(out, ": keep-alive\n\n");
            }
            first = false;
            current = c.deploy();
            at = c.next();
            if (System.nanoTime() > end) {
                return;
            }
            try {
                c = logs.await(app, current, at, 1000, HEARTBEAT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
