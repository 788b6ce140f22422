package cloud.hop3.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.hop3.api.access.AccessDeniedException;
import cloud.hop3.api.access.AccessService;
import cloud.hop3.api.access.Actor;
import cloud.hop3.api.access.Grant;
import cloud.hop3.api.access.NewToken;
import cloud.hop3.api.access.Permission;
import cloud.hop3.api.access.Role;
import cloud.hop3.api.access.Token;
import cloud.hop3.api.access.User;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.AppService;
import cloud.hop3.api.audit.AuditEntry;
import cloud.hop3.api.audit.AuditFilter;
import cloud.hop3.api.audit.AuditRecord;
import cloud.hop3.api.audit.AuditService;
import cloud.hop3.api.audit.AuditVerification;
import cloud.hop3.api.deploy.DeployService;
import cloud.hop3.api.key.AuthorizedKey;

/**
 * What a client of the API notices before any service acts: tokens, the login limit, CORS, bad
 * input. The app and deploy services here fail the test when called: a refused request changes
 * nothing.
 */
class ApiTest {

    private static final String ADMIN = "hop3_admin-secret";
    private static final String VIEWER = "hop3_viewer-secret";

    private final List<AuditEntry> trail = new ArrayList<>();
    private final List<String> called = new ArrayList<>();

    /** Two users with a token each: an admin, and a viewer of every app. */
    private final class Users implements AccessService {
        private final User admin = new User("ada", false, List.of(new Grant(Role.ADMIN, Set.of())), List.of(), Instant.EPOCH);
        private final User viewer = new User("vic", false, List.of(new Grant(Role.VIEWER, Set.of())), List.of(), Instant.EPOCH);

        @Override
        public User authenticate(String secret) {
            return switch (secret) {
                case ADMIN -> admin;
                case VIEWER -> viewer;
                default -> throw new AccessDeniedException("This token is not valid.");
            };
        }

        @Override
        public void check(Actor actor, Permission permission, Optional<AppName> app) {
            if (!actor.user().equals("ada") && permission != Permission.READ) {
                throw new AccessDeniedException("User '" + actor.user() + "' may not " + permission.verb() + " app '"
                        + app.map(AppName::value).orElse("-") + "'.");
            }
        }

        @Override
        public <T, E extends Exception> T runAs(Actor actor, Work<T, E> work) throws E {
            return work.run();
        }

        @Override
        public Optional<Actor> currentActor() {
            return Optional.empty();
        }

        @Override
        public void checkTokensOf(String user) {
            throw new AccessDeniedException("Only admins manage tokens in this test.");
        }

        @Override
        public List<User> users() {
            return List.of(admin, viewer);
        }

        @Override
        public Optional<User> user(String name) {
            return users().stream().filter(u -> u.name().equals(name)).findFirst();
        }

        @Override
        public User addUser(String name) {
            throw new AssertionError("not called");
        }

        @Override
        public void removeUser(String name) {
            throw new AssertionError("not called");
        }

        @Override
        public User setDisabled(String name, boolean disabled) {
            throw new AssertionError("not called");
        }

        @Override
        public User grant(String name, Grant grant) {
            throw new AssertionError("not called");
        }

        @Override
        public User revoke(String name, Role role, Set<AppName> apps) {
            throw new AssertionError("not called");
        }

        @Override
        public AuthorizedKey addKey(String user, String keyName, String publicKey) {
            throw new AssertionError("not called");
        }

        @Override
        public Optional<User> ownerOfKey(String keyName) {
            return Optional.empty();
        }

        @Override
        public NewToken createToken(String user, Optional<Duration> validFor) {
            throw new AssertionError("not called");
        }

        @Override
        public List<Token> tokens(Optional<String> user) {
            return List.of();
        }

        @Override
        public Token revokeToken(String id) {
            throw new AssertionError("not called");
        }

        @Override
        public void check(Permission permission, Optional<AppName> app) {
            throw new AssertionError("the API names its actor");
        }

        @Override
        public boolean allows(Actor actor, Permission permission, Optional<AppName> app) {
            return true;
        }
    }

    private final class Trail implements AuditService {
        @Override
        public AuditRecord record(AuditEntry entry) {
            trail.add(entry);
            return null;
        }

        @Override
        public List<AuditRecord> list(AuditFilter filter) {
            return List.of();
        }

        @Override
        public AuditVerification verify() {
            return new AuditVerification(0, 1, Optional.empty(), "");
        }
    }

    /** A service whose every call is noted: the tests say when none may happen. */
    private <T> T noted(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            called.add(type.getSimpleName() + "." + method.getName());
            throw new IllegalStateException("no such app here");
        }));
    }

    private final Api api;

    ApiTest() {
        AccessService users = new Users();
        AuditService audit = new Trail();
        AppService apps = noted(AppService.class);
        DeployService deploys = noted(DeployService.class);
        api = new Api(new Services(() -> users, () -> audit, () -> apps, () -> deploys, () -> null, () -> null, () -> null,
                () -> null, () -> null, () -> null, () -> null), new LoginThrottle(3, Duration.ofMinutes(1), Clock.systemUTC()));
    }

    private ApiResponse call(String method, String path, String token, String body, Map<String, String> headers) {
        Map<String, String> h = new java.util.HashMap<>(headers);
        if (token != null) {
            h.put("Authorization", "Bearer " + token);
        }
        if (body != null) {
            h.putIfAbsent("Content-Type", "application/json");
        }
        int q = path.indexOf('?');
        return api.handle(new ApiRequest(method, q < 0 ? path : path.substring(0, q), q < 0 ? "" : path.substring(q + 1), h,
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), "192.0.2.7"));
    }

    private static JsonNode problem(ApiResponse r, int status, String code) throws Exception {
        assertEquals(status, r.status(), () -> new String(r.bytes(), StandardCharsets.UTF_8));
        assertEquals("application/problem+json", r.headers().get("Content-Type"));
        JsonNode doc = Json.MAPPER.readTree(r.bytes());
        assertEquals(code, doc.get("code").asText());
        assertEquals(status, doc.get("status").asInt());
        assertTrue(doc.get("type").asText().endsWith("/" + code));
        assertFalse(doc.get("detail").asText().isBlank());
        return doc;
    }

    @Test
    void aMissingOrUnknownTokenIs401AndAnUnknownOneIsARefusedLoginInTheTrail() throws Exception {
        ApiResponse none = call("GET", "/apps", null, null, Map.of());
        problem(none, 401, "unauthenticated");
        assertTrue(none.headers().get("WWW-Authenticate").startsWith("Bearer"));
        assertEquals(List.of(), trail, "no token is no login attempt");

        problem(call("GET", "/apps", "hop3_guess", null, Map.of()), 401, "invalid-token");
        assertEquals(1, trail.size());
        AuditEntry refused = trail.get(0);
        assertEquals("api.login", refused.action());
        assertEquals("API", refused.actor().door().name());
        assertEquals("192.0.2.7", refused.actor().address());
        assertFalse(refused.result().ok());
        assertEquals(List.of(), called);
    }

    @Test
    void anAddressThatFailedTooOftenIsRefusedWith429AndRetryAfterEvenWithAGoodToken() throws Exception {
        for (int i = 0; i < 3; i++) {
            problem(call("GET", "/users", "hop3_guess" + i, null, Map.of()), 401, "invalid-token");
        }
        ApiResponse blocked = call("GET", "/users", ADMIN, null, Map.of());
        problem(blocked, 429, "too-many-failed-logins");
        long retry = Long.parseLong(blocked.headers().get("Retry-After"));
        assertTrue(retry >= 1 && retry <= 60, "Retry-After " + retry);
    }

    @Test
    void corsIsClosedAPreflightIsRefusedAndNoAnswerAllowsAnOrigin() throws Exception {
        ApiResponse preflight = call("OPTIONS", "/apps", null, null,
                Map.of("Origin", "https://evil.example", "Access-Control-Request-Method", "DELETE"));
        problem(preflight, 403, "cors-refused");
        ApiResponse get = call("GET", "/users", ADMIN, null, Map.of("Origin", "https://evil.example"));
        assertEquals(200, get.status());
        for (ApiResponse r : List.of(preflight, get)) {
            assertTrue(r.headers().keySet().stream().noneMatch(h -> h.toLowerCase().startsWith("access-control-")), r.headers().toString());
        }
    }

    @Test
    void badInputIs400WithAClearDetailAndReachesNoService() throws Exception {
        problem(call("PATCH", "/apps/shop/config", ADMIN, "{\"DEBUG\":", Map.of()), 400, "invalid-body");
        problem(call("PATCH", "/apps/shop/config", ADMIN, "{\"1BAD\": \"x\"}", Map.of()), 400, "invalid-config-key");
        problem(call("PATCH", "/apps/shop/config", ADMIN, "{\"DEBUG\": 1}", Map.of()), 400, "invalid-config-value");
        problem(call("PATCH", "/apps/shop/config", ADMIN, "[1]", Map.of()), 400, "invalid-body");
        problem(call("PATCH", "/apps/shop/config", ADMIN, "{\"A\":\"1\",\"A\":\"2\"}", Map.of()), 400, "invalid-body");
        problem(call("PATCH", "/apps/shop/formation", ADMIN, "{\"web\": -1}", Map.of()), 400, "invalid-body");
        problem(call("PATCH", "/apps/shop/formation", ADMIN, "{\"Web!\": 1}", Map.of()), 400, "invalid-process-type");
        problem(call("POST", "/apps", ADMIN, "{\"name\": \"shop\", \"owner\": \"me\"}", Map.of()), 400, "invalid-body");
        problem(call("POST", "/apps", ADMIN, "{\"name\": \"../etc\"}", Map.of()), 400, "invalid-app-name");
        problem(call("GET", "/apps/Shop_1", ADMIN, null, Map.of()), 400, "invalid-app-name");
        problem(call("GET", "/apps?limit=0", ADMIN, null, Map.of()), 400, "invalid-query");
        problem(call("GET", "/apps?colour=red", ADMIN, null, Map.of()), 400, "invalid-query");
        problem(call("PATCH", "/apps/shop/config", ADMIN, "{\"A\":\"1\"}", Map.of("Content-Type", "text/plain")), 415,
                "unsupported-media-type");
        String huge = "{\"A\":\"" + "x".repeat(Api.MAX_BODY) + "\"}";
        problem(call("PATCH", "/apps/shop/config", ADMIN, huge, Map.of()), 400, "body-too-large");
        assertEquals(List.of(), called, "a bad request reaches no service");
    }

    @Test
    void aRefusedChangeIs403AndAnUnknownPathOrMethodSaysSo() throws Exception {
        JsonNode refused = problem(call("PATCH", "/apps/shop/config", VIEWER, "{\"A\":\"1\"}", Map.of()), 403, "forbidden");
        assertTrue(refused.get("detail").asText().contains("vic"), refused.toString());
        problem(call("DELETE", "/users/ada?confirm=ada", VIEWER, null, Map.of()), 403, "forbidden");
        assertEquals(List.of(), called);
        problem(call("GET", "/nothing", ADMIN, null, Map.of()), 404, "not-found");
        ApiResponse wrong = call("PUT", "/apps", ADMIN, "{}", Map.of());
        problem(wrong, 405, "method-not-allowed");
        assertEquals("GET, POST", wrong.headers().get("Allow"));
    }
}
