package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cloud.hop3.itests.Command.Result;

/**
 * The REST API of a started distribution, on loopback, with curl and Java's HTTP client: an
 * admin's token makes users and tokens, a deployer changes its own app only, a viewer reads and
 * changes nothing, a revoked token and a disabled user are refused at once, bad input and a stale
 * If-Match change nothing, and the audit trail holds the API's changes with their user.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private static Distribution platform;
    private static String admin;
    private static String deployer;
    private static String deployerTokenId;
    private static String viewer;

    @BeforeAll
    static void start() throws Exception {
        platform = new Distribution();
        platform.removesAccounts(List.of("hop3-rshop", "hop3-rbank"));
        platform.hop3Ok("start");
        String created = platform.hop3Ok("token", "create", "admin");
        admin = created.lines().filter(l -> l.startsWith("hop3_")).findFirst().orElseThrow(() -> new AssertionError(created));
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    record Reply(int status, String contentType, Map<String, List<String>> headers, JsonNode json, String text) {
        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), List.of()).stream().findFirst().orElse(null);
        }
    }

    private static Reply call(String method, String path, String token, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + platform.apiPort + "/api/v1" + path))
                .timeout(Duration.ofMinutes(2))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        String type = r.headers().firstValue("Content-Type").orElse("");
        JsonNode json = r.body().isEmpty() || !type.contains("json") ? null : JSON.readTree(r.body());
        return new Reply(r.statusCode(), type, r.headers().map(), json, r.body());
    }

    private static Reply ok(int status, Reply r) {
        assertEquals(status, r.status(), r.text());
        return r;
    }

    private static Reply problem(int status, String code, Reply r) {
        assertEquals(status, r.status(), r.text());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        assertEquals(code, r.json().get("code").asText(), r.text());
        assertFalse(r.json().get("detail").asText().isBlank());
        return r;
    }

    @Test
    @Order(1)
    void anAdminsTokenMakesAppsUsersRolesAndTokens() throws Exception {
        ok(201, call("POST", "/apps", admin, "{\"name\": \"rshop\"}"));
        ok(201, call("POST", "/apps", admin, "{\"name\": \"rbank\"}"));
        ok(201, call("POST", "/users", admin, "{\"name\": \"dee\"}"));
        Reply granted = ok(200, call("POST", "/users/dee/grants", admin, "{\"role\": \"deployer\", \"apps\": [\"rshop\"]}"));
        assertEquals("deployer", granted.json().at("/grants/0/role").asText());
        ok(201, call("POST", "/users", admin, "{\"name\": \"vic\"}"));
        ok(200, call("POST", "/users/vic/grants", admin, "{\"role\": \"viewer\"}"));

        Reply dee = ok(201, call("POST", "/tokens", admin, "{\"user\": \"dee\", \"expires_in_days\": 1}"));
        deployer = dee.json().get("secret").asText();
        deployerTokenId = dee.json().at("/token/id").asText();
        viewer = ok(201, call("POST", "/tokens", admin, "{\"user\": \"vic\"}")).json().get("secret").asText();
        assertTrue(deployer.startsWith("hop3_") && viewer.startsWith("hop3_"));
        // the secret is shown once: the list never holds it
        Reply tokens = ok(200, call("GET", "/tokens?user=dee", admin, null));
        assertEquals(deployerTokenId, tokens.json().at("/items/0/id").asText());
        assertFalse(tokens.text().contains(deployer));
        // the shell sees what the API made
        String users = platform.hop3Ok("user", "list", "--no-format");
        assertTrue(users.contains("dee") && users.contains("deployer on rshop") && users.contains("viewer on every app"), users);
    }

    @Test
    @Order(2)
    void aDeployerChangesTheConfigOfItsAppAndIsRefusedOnAnothers() throws Exception {
        Reply set = ok(200, call("PATCH", "/apps/rshop/config", deployer, "{\"GREETING\": \"hello\", \"TOKEN\": \"s3cret\"}"));
        assertEquals("***", set.json().at("/config/TOKEN").asText(), "values are hidden by default");
        assertFalse(set.text().contains("s3cret"));
        assertEquals("hello", platform.configVar("rshop", "GREETING"));
        Reply revealed = ok(200, call("GET", "/apps/rshop/config?reveal=true", deployer, null));
        assertEquals("s3cret", revealed.json().at("/config/TOKEN").asText());

        Reply refused = problem(403, "forbidden", call("PATCH", "/apps/rbank/config", deployer, "{\"GREETING\": \"hi\"}"));
        assertTrue(refused.json().get("detail").asText().contains("rbank"), refused.text());
        problem(403, "forbidden", call("DELETE", "/apps/rshop?confirm=rshop", deployer, null));
        problem(403, "forbidden", call("GET", "/users", deployer, null));
        assertFalse(platform.hop3Ok("app", "config", "--shell", "rbank").contains("GREETING"));
    }

    @Test
    @Order(3)
    void aViewerReadsAndIsRefusedEveryChange() throws Exception {
        Reply apps = ok(200, call("GET", "/apps", viewer, null));
        assertEquals(List.of("rbank", "rshop"), apps.json().findValuesAsText("name"));
        Reply page = ok(200, call("GET", "/apps?limit=1", viewer, null));
        assertEquals("rbank", page.json().at("/items/0/name").asText());
        Reply next = ok(200, call("GET", "/apps?limit=1&cursor=" + page.json().get("next_cursor").asText(), viewer, null));
        assertEquals("rshop", next.json().at("/items/0/name").asText());
        Reply config = ok(200, call("GET", "/apps/rshop/config", viewer, null));
        assertEquals("***", config.json().at("/config/GREETING").asText());
        ok(200, call("GET", "/apps/rshop", viewer, null));
        ok(200, call("GET", "/apps/rshop/releases", viewer, null));
        ok(200, call("GET", "/apps/rshop/domains", viewer, null));
        String etag = config.header("ETag");

        problem(403, "forbidden", call("GET", "/apps/rshop/config?reveal=true", viewer, null));
        problem(403, "forbidden", call("PATCH", "/apps/rshop/config", viewer, "{\"GREETING\": \"bye\"}"));
        problem(403, "forbidden", call("PUT", "/apps/rshop/config", viewer, "{}"));
        problem(403, "forbidden", call("PATCH", "/apps/rshop/formation", viewer, "{\"web\": 2}"));
        problem(403, "forbidden", call("POST", "/apps/rshop/restart", viewer, null));
        problem(403, "forbidden", call("POST", "/apps/rshop/stop", viewer, null));
        problem(403, "forbidden", call("POST", "/apps/rshop/rollback", viewer, "{}"));
        problem(403, "forbidden", call("POST", "/apps/rshop/domains", viewer, "{\"host\": \"www.example.org\"}"));
        problem(403, "forbidden", call("DELETE", "/apps/rshop?confirm=rshop", viewer, null));
        problem(403, "forbidden", call("POST", "/apps", viewer, "{\"name\": \"vics\"}"));
        problem(403, "forbidden", call("POST", "/users", viewer, "{\"name\": \"eve\"}"));
        problem(403, "forbidden", call("POST", "/tokens", viewer, "{\"user\": \"admin\"}"));
        assertEquals(etag, ok(200, call("GET", "/apps/rshop/config", viewer, null)).header("ETag"), "nothing changed");
        assertEquals("hello", platform.configVar("rshop", "GREETING"));
    }

    @Test
    @Order(4)
    void aBadBodyIs400ProblemJsonWithCurlAndChangesNothing() throws Exception {
        String before = ok(200, call("GET", "/apps/rshop/config", deployer, null)).header("ETag");
        Result curl = Command.run(platform.work, Map.of(), Distribution.TIMEOUT, "curl", "-sS", "-X", "PATCH",
                "-H", "Authorization: Bearer " + deployer, "-H", "Content-Type: application/json",
                "--data", "{\"GREETING\": ", "-w", "\n%{http_code} %{content_type}",
                "http://127.0.0.1:" + platform.apiPort + "/api/v1/apps/rshop/config");
        assertEquals(0, curl.exit(), curl.toString());
        assertTrue(curl.output().strip().endsWith("400 application/problem+json"), curl.output());
        assertTrue(curl.output().contains("\"code\":\"invalid-body\""), curl.output());
        problem(400, "invalid-body", call("PATCH", "/apps/rshop/config", deployer, "{\"GREETING\": \"x\", \"GREETING\": \"y\"}"));
        problem(400, "invalid-config-key", call("PATCH", "/apps/rshop/config", deployer, "{\"BAD-KEY\": \"x\"}"));
        problem(400, "invalid-config-value", call("PATCH", "/apps/rshop/config", deployer, "{\"GREETING\": 42}"));
        problem(400, "invalid-body", call("PATCH", "/apps/rshop/formation", deployer, "{\"web\": \"two\"}"));
        problem(400, "invalid-app-name", call("GET", "/apps/..%2Fkeys", deployer, null));
        problem(400, "body-too-large", call("PATCH", "/apps/rshop/config", deployer,
                "{\"GREETING\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}"));
        assertEquals(before, ok(200, call("GET", "/apps/rshop/config", deployer, null)).header("ETag"));
        assertEquals("hello", platform.configVar("rshop", "GREETING"));
    }

    @Test
    @Order(5)
    void aStaleIfMatchIs412AndChangesNothing() throws Exception {
        String first = ok(200, call("GET", "/apps/rshop/config", deployer, null)).header("ETag");
        Reply changed = ok(200, call("PATCH", "/apps/rshop/config", deployer, "{\"GREETING\": \"bonjour\"}", "If-Match", first));
        assertNotEquals(first, changed.header("ETag"));
        problem(412, "precondition-failed", call("PATCH", "/apps/rshop/config", deployer, "{\"GREETING\": \"hallo\"}", "If-Match", first));
        assertEquals("bonjour", platform.configVar("rshop", "GREETING"));
        ok(200, call("PATCH", "/apps/rshop/config", deployer, "{\"TOKEN\": null}", "If-Match", changed.header("ETag")));
        assertFalse(platform.hop3Ok("app", "config", "--shell", "rshop").contains("TOKEN"));
    }

    @Test
    @Order(6)
    void aRevokedTokenAndADisabledUserAreRefusedAtOnce() throws Exception {
        ok(200, call("GET", "/apps/rshop", deployer, null));
        ok(200, call("DELETE", "/tokens/" + deployerTokenId, admin, null));
        problem(401, "invalid-token", call("GET", "/apps/rshop", deployer, null));

        ok(200, call("GET", "/apps", viewer, null));
        Reply disabled = ok(200, call("PATCH", "/users/vic", admin, "{\"disabled\": true}"));
        assertTrue(disabled.json().get("disabled").asBoolean());
        problem(401, "invalid-token", call("GET", "/apps", viewer, null));
        problem(401, "unauthenticated", call("GET", "/apps", null, null));
    }

    @Test
    @Order(7)
    void theTrailHoldsTheApisChangesWithTheirUserAndDoor() throws Exception {
        Reply trail = ok(200, call("GET", "/audit?app=rshop&limit=1000", admin, null));
        boolean deeSetConfig = false;
        for (JsonNode r : trail.json().get("items")) {
            if (r.get("action").asText().equals("config.set") && r.get("user").asText().equals("dee")) {
                assertEquals("api", r.get("door").asText());
                assertEquals("127.0.0.1", r.get("address").asText());
                assertFalse(r.toString().contains("hello"), "names, never values: " + r);
                deeSetConfig = true;
            }
        }
        assertTrue(deeSetConfig, trail.text());
        String shell = platform.hop3Ok("audit", "list", "--no-format", "--app", "rshop");
        assertTrue(shell.lines().anyMatch(l -> l.contains("dee") && l.contains("api") && l.contains("config.set")), shell);
        String logins = platform.hop3Ok("audit", "list", "--no-format");
        assertTrue(logins.lines().anyMatch(l -> l.contains("api.login") && l.contains("failed")), logins);
        assertTrue(ok(200, call("GET", "/audit/verify", admin, null)).json().get("intact").asBoolean());
    }

    @Test
    @Order(8)
    void corsIsClosedAndTheDocumentIsServed() throws Exception {
        Reply preflight = problem(403, "cors-refused", call("OPTIONS", "/apps", null, null,
                "Origin", "https://evil.example", "Access-Control-Request-Method", "DELETE"));
        Reply get = ok(200, call("GET", "/apps", admin, null, "Origin", "https://evil.example"));
        for (Reply r : List.of(preflight, get)) {
            assertTrue(r.headers().keySet().stream().noneMatch(h -> h.startsWith("access-control-")), r.headers().toString());
        }
        Reply doc = ok(200, call("GET", "/openapi.json", null, null));
        assertTrue(doc.json().get("openapi").asText().startsWith("3."));
        assertTrue(doc.json().at("/paths/~1apps~1{app}~1config").has("patch"));
    }

    @Test
    @Order(9)
    void theApiAnswersThroughTheProxyAtThePlatformsHostNameWithItsOwnCertificate() throws Exception {
        int https = Integer.parseInt(platform.environment().get("HOP3_HTTPS_PORT"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String certs = "";
        while (System.nanoTime() < deadline && !certs.contains("hop3.localhost")) {
            Thread.sleep(250);
            certs = platform.hop3Ok("cert", "list");
        }
        assertTrue(certs.lines().anyMatch(l -> l.contains("hop3.localhost") && l.contains("selfsigned")),
                "the platform's host name gets a certificate like an app: " + certs);
        Path ca = platform.work.resolve("rest-ca.pem");
        Files.writeString(ca, platform.hop3Ok("cert", "ca").strip() + "\n");

        Result curl = Command.run(platform.work, Map.of(), Distribution.TIMEOUT, "curl", "-sS", "--fail-with-body",
                "--cacert", ca.toString(), "--resolve", "hop3.localhost:" + https + ":127.0.0.1",
                "-H", "Authorization: Bearer " + admin, "https://hop3.localhost:" + https + "/api/v1/apps");
        assertEquals(0, curl.exit(), curl.toString());
        assertTrue(JSON.readTree(curl.output()).toString().contains("rshop"), curl.output());

        Result refused = Command.run(platform.work, Map.of(), Distribution.TIMEOUT, "curl", "-sS", "-o", "/dev/null",
                "-w", "%{http_code}", "--cacert", ca.toString(), "--resolve", "hop3.localhost:" + https + ":127.0.0.1",
                "https://hop3.localhost:" + https + "/api/v1/apps");
        assertEquals("401", refused.output().strip(), "no token, no answer through the proxy either: " + refused);
    }

    private static Result remote(String token, String... args) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(platform.environment());
        env.put("HOP3_URL", "http://127.0.0.1:" + platform.apiPort);
        env.put("HOP3_TOKEN", token);
        List<String> command = new java.util.ArrayList<>(List.of("bin/hop3"));
        command.addAll(List.of(args));
        return Command.run(platform.directory(), env, Distribution.TIMEOUT, command.toArray(String[]::new));
    }

    @Test
    @Order(9)
    void binHop3TalksToARemotePlatformWithItsToken() throws Exception {
        Result list = remote(admin, "app", "list");
        assertEquals(0, list.exit(), list.toString());
        assertTrue(list.output().lines().anyMatch(l -> l.startsWith("rshop\t")), list.output());
        Result set = remote(admin, "app", "config-set", "rshop", "COLOUR=deep blue", "QUOTE=it's \"so\"");
        assertEquals(0, set.exit(), set.toString());
        assertEquals("deep blue", platform.configVar("rshop", "COLOUR"));
        Result config = remote(admin, "app", "config", "rshop");
        assertTrue(config.output().contains("QUOTE=it's \"so\""), config.output());
        Result unset = remote(admin, "app", "config-unset", "rshop", "COLOUR", "QUOTE");
        assertEquals(0, unset.exit(), unset.toString());
        assertFalse(platform.hop3Ok("app", "config", "--shell", "rshop").contains("COLOUR"));

        Result missing = remote(admin, "app", "info", "nosuch");
        assertEquals(1, missing.exit(), missing.toString());
        assertTrue(missing.output().contains("hop3: App 'nosuch' does not exist."), missing.output());
        Result bad = remote(admin, "app", "config-set", "rshop", "1BAD=x");
        assertEquals(1, bad.exit(), bad.toString());
        assertTrue(bad.output().contains("Invalid config var name '1BAD'"), bad.output());
        Result refused = remote("hop3_not-a-token", "app", "list");
        assertEquals(1, refused.exit(), refused.toString());
        assertTrue(refused.output().contains("not valid"), refused.output());
    }

    @Test
    @Order(99)
    void anAddressThatFailsTenLoginsInAMinuteIsRefusedWith429() throws Exception {
        // counted per client address; behind the platform's proxy (on loopback) that is the forwarded one
        for (int i = 0; i < 10; i++) {
            problem(401, "invalid-token", call("GET", "/apps", "hop3_guess" + i, null, "X-Forwarded-For", "192.0.2.66"));
        }
        Reply blocked = problem(429, "too-many-failed-logins", call("GET", "/apps", admin, null, "X-Forwarded-For", "192.0.2.66"));
        int retry = Integer.parseInt(blocked.header("Retry-After"));
        assertTrue(retry >= 1 && retry <= 60, "Retry-After: " + retry);
        ok(200, call("GET", "/apps", admin, null));
    }
}
