package cloud.hop3.rest;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.hop3.api.access.AccessService;
import cloud.hop3.api.access.Actor;
import cloud.hop3.api.access.Grant;
import cloud.hop3.api.access.NewToken;
import cloud.hop3.api.access.Permission;
import cloud.hop3.api.access.Role;
import cloud.hop3.api.access.Token;
import cloud.hop3.api.access.User;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.audit.AuditFilter;
import cloud.hop3.api.audit.AuditRecord;
import cloud.hop3.api.audit.AuditVerification;

/**
 * Users and their roles, API tokens, the audit trail and the plugins: what the shell's
 * {@code user:}, {@code token:}, {@code audit:} and {@code plugin:list} commands do.
 */
final class AccessRoutes {

    private final Services services;

    AccessRoutes(Services services) {
        this.services = services;
    }

    List<Route> routes() {
        return List.of(
                new Route("GET", "/users", Permission.ADMINISTER, Route.Scope.PLATFORM, this::users),
                new Route("POST", "/users", Permission.ADMINISTER, Route.Scope.PLATFORM, this::addUser),
                new Route("GET", "/users/{user}", Permission.ADMINISTER, Route.Scope.PLATFORM, this::user),
                new Route("PATCH", "/users/{user}", Permission.ADMINISTER, Route.Scope.PLATFORM, this::changeUser),
                new Route("DELETE", "/users/{user}", Permission.ADMINISTER, Route.Scope.PLATFORM, this::removeUser),
                new Route("POST", "/users/{user}/grants", Permission.ADMINISTER, Route.Scope.PLATFORM, this::grant),
                new Route("DELETE", "/users/{user}/grants/{role}", Permission.ADMINISTER, Route.Scope.PLATFORM, this::revoke),
                // every user manages their own tokens, an admin everyone's (AccessService.checkTokensOf)
                new Route("GET", "/tokens", Permission.READ, Route.Scope.PLATFORM, this::tokens),
                new Route("POST", "/tokens", Permission.READ, Route.Scope.PLATFORM, this::createToken),
                new Route("DELETE", "/tokens/{token}", Permission.READ, Route.Scope.PLATFORM, this::revokeToken),
                new Route("GET", "/audit", Permission.ADMINISTER, Route.Scope.PLATFORM, this::audit),
                new Route("GET", "/audit/verify", Permission.ADMINISTER, Route.Scope.PLATFORM, this::verify),
                new Route("GET", "/plugins", Permission.READ, Route.Scope.PLATFORM, this::plugins));
    }

    private static String userName(String text) {
        try {
            return User.checkName(text);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("invalid-user-name", e.getMessage());
        }
    }

    private User existing(Call call) {
        String name = userName(call.path("user"));
        return services.accessService().user(name).orElseThrow(() -> Problem.notFound("user-not-found",
                "There is no user '" + name + "'."));
    }

    private Object users(Call call) {
        call.onlyQuery();
        return AppRoutes.page(services.accessService().users(), null);
    }

    private Object addUser(Call call) {
        call.onlyQuery();
        String name = userName(Call.text(call.object("name"), "name", true));
        User user = services.accessService().addUser(name);
        return Reply.created(user).header("Location", "/api/v1/users/" + name);
    }

    private Object user(Call call) {
        call.onlyQuery();
        return existing(call);
    }

    private Object changeUser(Call call) {
        call.onlyQuery();
        Boolean disabled = Call.bool(call.object("disabled"), "disabled");
        User user = existing(call);
        if (disabled == null) {
            return user;
        }
        return services.accessService().setDisabled(user.name(), disabled);
    }

    private Object removeUser(Call call) {
        call.onlyQuery("confirm");
        User user = existing(call);
        if (!call.query("confirm").filter(user.name()::equals).isPresent()) {
            throw Problem.badRequest("confirmation-required", "Removing user " + user.name() + " removes their keys and tokens;"
                    + " nothing was removed. To go on, add ?confirm=" + user.name() + ".");
        }
        services.accessService().removeUser(user.name());
        return Reply.noContent();
    }

    private Object grant(Call call) {
        call.onlyQuery();
        ObjectNode body = call.object("role", "apps");
        Grant grant;
        try {
            grant = Grant.of(Call.text(body, "role", true), Call.texts(body, "apps"));
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("invalid-grant", e.getMessage());
        }
        return services.accessService().grant(existing(call).name(), grant);
    }

    private Object revoke(Call call) {
        call.onlyQuery("apps");
        Role role;
        try {
            role = Role.of(call.path("role"));
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("invalid-grant", e.getMessage());
        }
        Set<AppName> apps = new TreeSet<>();
        for (String a : call.query("apps").map(s -> s.split(",")).orElse(new String[0])) {
            if (!a.isBlank()) {
                apps.add(Call.appName(a.strip(), "invalid-app-name"));
            }
        }
        return services.accessService().revoke(existing(call).name(), role, apps);
    }

    private Object tokens(Call call) {
        call.onlyQuery("user");
        AccessService access = services.accessService();
        Optional<String> user = call.query("user").map(AccessRoutes::userName);
        if (user.isEmpty() && !isAdmin(access)) {
            user = access.currentActor().map(Actor::user); // yours, unless you are an admin
        }
        user.ifPresent(access::checkTokensOf);
        return AppRoutes.page(access.tokens(user), null);
    }

    private Object createToken(Call call) {
        call.onlyQuery();
        ObjectNode body = call.object("user", "expires_in_days");
        AccessService access = services.accessService();
        String named = Call.text(body, "user", false);
        String user = named != null ? userName(named) : access.currentActor().map(Actor::user).orElseThrow();
        access.checkTokensOf(user);
        Integer days = Call.integer(body, "expires_in_days", 1, 3650);
        NewToken token = access.createToken(user, Optional.ofNullable(days).map(Duration::ofDays));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("token", token.token());
        m.put("secret", token.secret());
        m.put("note", "Keep the secret now: it is not stored and cannot be shown again.");
        return Reply.created(m);
    }

    private Object revokeToken(Call call) {
        call.onlyQuery();
        String id = call.path("token");
        if (!id.matches("[A-Za-z0-9-]{1,64}")) {
            throw Problem.badRequest("invalid-token-id", "'" + Texts.shown(id) + "' is not a token id, such as tok-1a2b3c4d5e6f.");
        }
        AccessService access = services.accessService();
        String owner = access.tokens(Optional.empty()).stream().filter(t -> t.id().equals(id)).findFirst()
                .map(Token::user).orElseThrow(() -> new NoSuchElementException("There is no token '" + id + "'."));
        access.checkTokensOf(owner);
        return access.revokeToken(id);
    }

    private static boolean isAdmin(AccessService access) {
        return access.currentActor().map(a -> access.allows(a, Permission.ADMINISTER, Optional.empty())).orElse(false);
    }

    private Object audit(Call call) {
        call.onlyQuery("app", "user", "since", "cursor", "limit");
        Optional<AppName> app = call.query("app").map(a -> Call.appName(a, "invalid-app-name"));
        Optional<String> user = call.query("user").map(AccessRoutes::userName);
        Optional<Instant> since = call.query("since").map(AccessRoutes::since);
        long cursor = call.query("cursor").map(c -> {
            if (!c.matches("[0-9]{1,18}")) {
                throw Problem.badRequest("invalid-cursor", "The cursor is a record's sequence number, not '" + Texts.shown(c) + "'.");
            }
            return Long.parseLong(c);
        }).orElse(0L);
        int limit = call.intQuery("limit", 100, 1, 1000);
        List<AuditRecord> records = services.auditService().list(new AuditFilter(app, user, since, cursor, limit));
        List<Map<String, Object>> items = new ArrayList<>();
        for (AuditRecord r : records) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sequence", r.sequence());
            m.put("time", r.time());
            m.put("user", r.actor().user());
            m.put("door", r.actor().door().name().toLowerCase(java.util.Locale.ROOT));
            m.put("address", r.actor().address());
            m.put("action", r.action());
            m.put("target", r.target());
            m.put("ok", r.result().ok());
            m.put("reason", r.result().ok() ? null : r.result().reason());
            m.put("details", r.details());
            m.put("hash", r.hash());
            items.add(m);
        }
        Object next = records.size() == limit ? records.get(records.size() - 1).sequence() : null;
        return AppRoutes.page(items, next == null ? null : String.valueOf(next));
    }

    static Instant since(String text) {
        String t = text.strip();
        if (t.matches("[0-9]{1,6}[mhd]")) {
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            Duration age = switch (t.charAt(t.length() - 1)) {
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return Instant.now().minus(age);
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            throw Problem.badRequest("invalid-query", "'since' is an ISO time such as 2026-12-05T10:00:00Z, or an age such as"
                    + " 30m, 2h or 3d; not '" + Texts.shown(text) + "'.");
        }
    }

    private Object verify(Call call) {
        call.onlyQuery();
        AuditVerification v = services.auditService().verify();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("intact", v.intact());
        m.put("records", v.records());
        m.put("first_kept", v.firstKept());
        m.put("broken_line", v.brokenLine().orElse(null));
        m.put("problem", v.problem().isEmpty() ? null : v.problem());
        return m;
    }

    private Object plugins(Call call) {
        call.onlyQuery();
        Map<String, Object> m = new LinkedHashMap<>();
        List<Map<String, Object>> items = new ArrayList<>();
        for (var p : services.pluginRegistry().plugins()) {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("kind", p.kind().label());
            i.put("name", p.name());
            i.put("bundle", p.bundle());
            i.put("bundle_id", p.bundleId());
            i.put("version", p.version());
            i.put("state", p.state());
            i.put("in_use", p.active());
            items.add(i);
        }
        m.put("items", items);
        m.put("next_cursor", null);
        m.put("problems", services.pluginRegistry().problems());
        return m;
    }
}
