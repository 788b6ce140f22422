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
    private final Clock clock = Clock.systemUTC();

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
            if (!actor.user().equals("ada") && permission != Permission.READ && !directoryDeployerOf(app)) {
                throw new AccessDeniedException("User '" + actor.user() + "' may not " + permission.verb() + " app '"
                        + app.map(AppName::value).orElse("-") + "'.");
            }
        }

        /** As the platform reads a directory login's roles: from the subject the calling thread runs as. */
        @SuppressWarnings("removal")
        private boolean directoryDeployerOf(Optional<AppName> app) {
            javax.security.auth.Subject subject = javax.security.auth.Subject.getSubject(java.security.AccessController.getContext());
            return subject != null && app.isPresent() && subject.getPrincipals().stream()
                    .anyMatch(p -> p.getName().equals("deployer:" + app.get().value()));
        }

        @Override
        public Optional<User> userOf(Actor actor) {
            return user(actor.user());
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
        cloud.hop3.api.deploy.ReleaseSlugs slugs = (app, release, token) -> app.value().equals("shop") && release == 1
                && "tok-1".equals(token) ? java.util.Optional.of(SLUG) : java.util.Optional.empty();
        Services services = new Services(() -> users, () -> audit, () -> apps, () -> deploys, () -> null, () -> null,
                () -> null, () -> null, () -> null, () -> null, () -> null, () -> slugs);
        api = new Api(services, TestRealm.logins(services, new LoginThrottle(3, Duration.ofMinutes(1), Clock.systemUTC()), clock));
    }

    private ApiResponse call(String method, String path, String token, String body, Map<String, String> headers) {
        return call(method, path, token, body, headers, false);
    }

    private ApiResponse call(String method, String path, String token, String body, Map<String, String> headers,
                             boolean secure) {
        Map<String, String> h = new java.util.HashMap<>(headers);
        if (token != null) {
            h.put("Authorization", "Bearer " + token);
        }
        if (body != null) {
            h.putIfAbsent("Content-Type", "application/json");
        }
        int q = path.indexOf('?');
        return api.handle(new ApiRequest(method, q < 0 ? path : path.substring(0, q), q < 0 ? "" : path.substring(q + 1), h,
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), "192.0.2.7", secure));
    }

    /** Logs in with a password; returns the Cookie header that sends the session back. */
    private String logIn(String user) throws Exception {
        ApiResponse r = call("POST", "/session", null, "{\"user\": \"" + user + "\", \"password\": \"" + user + "-pw\"}",
                Map.of("Host", "hop3.example.com", "Origin", "https://hop3.example.com"));
        assertEquals(201, r.status(), () -> new String(r.bytes(), StandardCharsets.UTF_8));
        String cookie = r.headers().get("Set-Cookie");
        return cookie.substring(0, cookie.indexOf(';'));
    }

    private static Map<String, String> withCookie(String cookie, String... more) {
        Map<String, String> h = new java.util.HashMap<>(Map.of("Cookie", "theme=dark; " + cookie, "Host", "hop3.example.com"));
        for (int i = 0; i < more.length; i += 2) {
            h.put(more[i], more[i + 1]);
        }
        return h;
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

    @Test
    void aPasswordLoginSetsAnHttpOnlyStrictCookieWhoseSessionActsAsItsUser() throws Exception {
        ApiResponse login = call("POST", "/session", null, "{\"user\": \"ada\", \"password\": \"ada-pw\"}", Map.of());
        assertEquals(201, login.status());
        String cookie = login.headers().get("Set-Cookie");
        assertTrue(cookie.matches("hop3_session=hop3s_[A-Za-z0-9_-]{43}; Path=/api/v1; HttpOnly; SameSite=Strict"), cookie);
        JsonNode body = Json.MAPPER.readTree(login.bytes());
        assertEquals("ada", body.get("user").asText());
        assertEquals(720, body.get("idleMinutes").asInt());
        assertFalse(new String(login.bytes(), StandardCharsets.UTF_8).contains("hop3s_"), "the secret is in the cookie only");
        String session = cookie.substring(0, cookie.indexOf(';'));
        assertEquals(200, call("GET", "/users", null, null, withCookie(session)).status());
        assertEquals(List.of("api.login ada ok"), trail.stream()
                .map(e -> e.action() + " " + e.actor().user() + " " + e.result()).toList());
        assertEquals("API", trail.get(0).actor().door().name());

        // over HTTPS (to the platform's proxy, which says so), the cookie is Secure too
        ApiResponse secure = call("POST", "/session", null, "{\"user\": \"vic\", \"password\": \"vic-pw\"}", Map.of(), true);
        assertTrue(secure.headers().get("Set-Cookie").endsWith("; HttpOnly; SameSite=Strict; Secure"), secure.headers().toString());
        // the viewer's session may read and change nothing
        String vic = secure.headers().get("Set-Cookie").split(";")[0];
        problem(call("PATCH", "/apps/shop/config", null, "{\"A\":\"1\"}", withCookie(vic, "X-Hop3-Csrf", "1")), 403, "forbidden");
        assertEquals(List.of(), called);
    }

    @Test
    void aWrongPasswordIsRefusedCountedAndRecordedAndTheLimitThenRefusesARightOne() throws Exception {
        for (String body : List.of("{\"user\": \"ada\", \"password\": \"guess\"}", "{\"user\": \"nobody\", \"password\": \"nobody\"}",
                "{\"user\": \"Robert'); DROP\", \"password\": \"x\"}")) {
            JsonNode refused = problem(call("POST", "/session", null, body, Map.of()), 401, "invalid-login");
            assertFalse(refused.get("detail").asText().contains("guess"));
        }
        assertEquals(List.of("ada failed: password refused", "nobody failed: password refused", "unknown failed: password refused"),
                trail.stream().map(e -> e.actor().user() + " " + e.result()).toList());
        assertTrue(trail.stream().allMatch(e -> e.action().equals("api.login") && e.actor().address().equals("192.0.2.7")));
        ApiResponse blocked = call("POST", "/session", null, "{\"user\": \"ada\", \"password\": \"ada-pw\"}", Map.of());
        problem(blocked, 429, "too-many-failed-logins");
        assertTrue(Long.parseLong(blocked.headers().get("Retry-After")) >= 1);
        assertFalse(blocked.headers().containsKey("Set-Cookie"));
    }

    @Test
    void aBadLoginRequestIs400Or415AndCountsNoFailure() throws Exception {
        problem(call("POST", "/session", null, "{\"user\": \"ada\"}", Map.of()), 400, "invalid-body");
        problem(call("POST", "/session", null, "{\"user\": \"ada\", \"password\": \"ada-pw\", \"remember\": true}", Map.of()), 400,
                "invalid-body");
        // what a form of another site could post
        problem(call("POST", "/session", null, "user=ada&password=ada-pw", Map.of("Content-Type", "application/x-www-form-urlencoded")),
                415, "unsupported-media-type");
        problem(call("POST", "/session", null, "{\"user\": \"ada\", \"password\": \"ada-pw\"}",
                Map.of("Host", "hop3.example.com", "Origin", "https://evil.example")), 403, "csrf-refused");
        assertEquals(List.of(), trail);
        logIn("ada");
    }

    @Test
    void aChangeMadeWithTheCookieNeedsTheHeaderTheDashboardSetsAndNoOtherSitesOrigin() throws Exception {
        String ada = logIn("ada");
        String change = "{\"A\":\"1\"}";
        JsonNode noHeader = problem(call("PATCH", "/apps/shop/config", null, change, withCookie(ada)), 403, "csrf-refused");
        assertTrue(noHeader.get("detail").asText().contains("X-Hop3-Csrf"), noHeader.toString());
        problem(call("PATCH", "/apps/shop/config", null, change, withCookie(ada, "X-Hop3-Csrf", "1", "Origin", "https://evil.example")),
                403, "csrf-refused");
        problem(call("POST", "/apps", null, "{\"name\": \"x\"}", withCookie(ada, "X-Hop3-Csrf", "1", "Origin",
                "https://hop3.example.com.evil.example")), 403, "csrf-refused");
        assertEquals(List.of(), called, "a refused change reaches no service");
        // reading needs neither; a change from the platform's own page passes, to the service
        assertEquals(200, call("GET", "/users", null, null, withCookie(ada, "Origin", "https://evil.example")).status());
        call("PATCH", "/apps/shop/config", null, change, withCookie(ada, "X-Hop3-Csrf", "1", "Origin", "https://hop3.example.com"));
        assertEquals(List.of("AppService.find"), called);
        // a token is no ambient credential: no header needed
        called.clear();
        call("PATCH", "/apps/shop/config", ADMIN, change, Map.of());
        assertEquals(List.of("AppService.find"), called);
    }

    @Test
    void aDirectorySessionRunsAsItsLoginsSubjectWhoseRolesTheAuthorizationServiceReads() throws Exception {
        String dora = logIn("dora");
        call("PATCH", "/apps/shop/config", null, "{\"A\":\"1\"}", withCookie(dora, "X-Hop3-Csrf", "1"));
        assertEquals(List.of("AppService.find"), called, "dora's group makes her a deployer of shop");
        JsonNode refused = problem(call("PATCH", "/apps/bank/config", null, "{\"A\":\"1\"}", withCookie(dora, "X-Hop3-Csrf", "1")),
                403, "forbidden");
        assertTrue(refused.get("detail").asText().contains("dora"), refused.toString());
        assertEquals(1, called.size());
    }

    @Test
    void aLogoutEndsTheSessionAndRemovesTheCookieAndTheOldCookieIsThenRefused() throws Exception {
        String vic = logIn("vic");
        problem(call("DELETE", "/session", null, null, withCookie(vic)), 403, "csrf-refused");
        ApiResponse out = call("DELETE", "/session", null, null, withCookie(vic, "X-Hop3-Csrf", "1"));
        assertEquals(204, out.status());
        assertTrue(out.headers().get("Set-Cookie").startsWith("hop3_session=; Path=/api/v1; Max-Age=0"), out.headers().toString());
        ApiResponse again = call("GET", "/users", null, null, withCookie(vic));
        problem(again, 401, "invalid-session");
        assertTrue(again.headers().get("Set-Cookie").contains("Max-Age=0"), "the browser is told to forget it");
        assertEquals(List.of("api.login vic ok", "api.logout vic ok", "api.login unknown failed: session refused"), trail.stream()
                .map(e -> e.action() + " " + e.actor().user() + " " + e.result()).toList());
        // a logout with a token is no logout
        problem(call("DELETE", "/session", VIEWER, null, Map.of()), 400, "no-session");
        // a made-up session counts as a failed login, like a made-up token
        problem(call("GET", "/users", null, null, withCookie("hop3_session=hop3s_guess")), 401, "invalid-session");
        problem(call("GET", "/users", null, null, withCookie("hop3_session=hop3s_guess2")), 401, "invalid-session");
        problem(call("GET", "/users", ADMIN, null, Map.of()), 429, "too-many-failed-logins");
    }

    /** A slug archive, as the release slugs service would answer it. */
    private static final java.nio.file.Path SLUG;

    static {
        try {
            SLUG = java.nio.file.Files.createTempFile("slug", ".tar.gz");
            java.nio.file.Files.write(SLUG, new byte[] {0x1f, (byte) 0x8b, 8, 0});
            SLUG.toFile().deleteOnExit();
        } catch (java.io.IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Test
    void theSlugOfAReleaseAnswersItsTokenOnlyAndEveryFetchIsAudited() throws Exception {
        ApiResponse ok = call("GET", "/apps/shop/releases/1/slug", "tok-1", null, Map.of());
        assertEquals(200, ok.status());
        assertEquals("application/gzip", ok.headers().get("Content-Type"));
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        ok.writeTo(body);
        assertEquals(4, body.size());
        assertEquals((byte) 0x8b, body.toByteArray()[1]);

        assertEquals(404, call("GET", "/apps/shop/releases/1/slug", "wrong", null, Map.of()).status());
        assertEquals(404, call("GET", "/apps/shop/releases/2/slug", "tok-1", null, Map.of()).status(), "another release");
        assertEquals(404, call("GET", "/apps/shop/releases/1/slug", null, null, Map.of()).status(), "no token");
        assertEquals(404, call("GET", "/apps/shop/releases/1/slug", ADMIN, null, Map.of()).status(),
                "a user's API token opens no slug");

        List<String> fetches = trail.stream().filter(e -> e.action().equals("release.slug"))
                .map(e -> e.actor().user() + " " + e.target() + " " + e.result().ok()).toList();
        assertEquals(List.of("release-token shop true", "release-token shop false", "release-token shop false",
                "release-token shop false", "release-token shop false"), fetches);
    }
}
