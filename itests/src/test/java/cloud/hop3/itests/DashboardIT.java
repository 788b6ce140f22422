package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
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
 * The dashboard in a started distribution, driven in Debian's headless Chromium by Playwright
 * ({@code src/test/browser/dashboard.mjs}): log in with a token, watch a {@code git push}'s deploy
 * log stream into the page while git still runs, set a config var and see the new release, roll
 * back, read the graphs after traffic, read every page (screenshots in
 * {@code target/dashboard-screenshots}, axe-core with no
 * serious violation); then a viewer from an LDAP directory (Debian's slapd, started by the test)
 * logs in with a password after a wrong one, whose page has no change button, whose forged calls
 * are refused, and who logs out; the trail names each login. The event stream's replay from
 * {@code Last-Event-ID} is checked with Java's HTTP client, and in a page that Chromium froze, as
 * it does a background tab, while the platform restarted ({@code background.mjs}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String APP = "dboard";

    private static Distribution platform;
    private static Slapd ldap;
    private static String admin;
    private static String viewer;

    @BeforeAll
    static void start() throws Exception {
        platform = new Distribution();
        platform.removesAccounts(List.of("hop3-" + APP));
        ldap = new Slapd(platform.work.resolve("ldap"), Slapd.person("lena", "lena-pw") + Slapd.group("hop3-viewers", "lena"));
        Files.writeString(platform.directory().resolve("etc/cloud.hop3.ldap.cfg"), String.join("\n",
                "connection.url = " + ldap.url(),
                "user.base.dn = " + Slapd.PEOPLE,
                "role.base.dn = " + Slapd.GROUPS,
                ""));
        platform.hop3Ok("start");
        String created = platform.hop3Ok("token", "create", "admin");
        admin = created.lines().filter(l -> l.startsWith("hop3_")).findFirst().orElseThrow(() -> new AssertionError(created));
        call("POST", "/users", admin, "{\"name\": \"vera\"}", 201);
        call("POST", "/users/vera/grants", admin, "{\"role\": \"viewer\"}", 200);
        viewer = call("POST", "/tokens", admin, "{\"user\": \"vera\"}", 201).get("secret").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (platform != null) {
                platform.close();
            }
        } finally {
            if (ldap != null) {
                ldap.close();
            }
        }
    }

    private static JsonNode call(String method, String path, String token, String body, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api(path))).timeout(Duration.ofMinutes(2))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, r.statusCode(), r.body());
        return r.body().isEmpty() ? null : JSON.readTree(r.body());
    }

    private static String api(String path) {
        return "http://127.0.0.1:" + platform.apiPort + "/api/v1" + path;
    }

    @Test
    @Order(1)
    void theDashboardDrivenInChromiumShowsAPushLiveChangesConfigRollsBackAndRefusesAViewer() throws Exception {
        call("POST", "/apps", admin, "{\"name\": \"" + APP + "\"}", 201);
        Map<String, String> files = new HashMap<>(AppSource.pythonApp("dashboard"));
        // a release command that takes a few seconds: the deploy outlasts the page's first lines, so
        // that the page shows them while git push still runs, however fast the machine builds
        files.put("Procfile", files.get("Procfile") + "release: sleep 8\n");
        AppSource source = new AppSource(platform, APP).writeAll(files).commit("first");
        Path tools = BrowserTools.install();
        Map<String, String> env = new HashMap<>();
        env.put("HOP3_URL", "http://127.0.0.1:" + platform.apiPort);
        env.put("ADMIN_TOKEN", admin);
        env.put("VIEWER_USER", "lena");
        env.put("VIEWER_PASSWORD", "lena-pw");
        env.put("APP", APP);
        env.put("HTTP_PORT", String.valueOf(platform.httpPort));
        env.put("APP_SOURCE", source.directory().toString());
        env.put("GIT_URL", platform.gitUrl(APP));
        env.put("GIT_SSH_COMMAND", platform.gitSsh());
        env.put("SHOTS", Path.of("target", "dashboard-screenshots").toAbsolutePath().toString());
        Result run = Command.run(tools, env, Duration.ofMinutes(10), "node", "dashboard.mjs");
        System.out.println("dashboard.mjs:\n" + run.output());
        assertEquals(0, run.exit(), run::toString);
        assertTrue(run.output().contains("deploy log streamed while git push ran"), run.output());
        assertTrue(run.output().contains("graphs after traffic"), run.output());
        assertTrue(run.output().strip().endsWith("done"), run.output());
        // what the page showed is what the platform did
        JsonNode releases = call("GET", "/apps/" + APP + "/releases", admin, null, 200);
        assertEquals("Rollback to v1", releases.at("/items/0/reason").asText(), releases.toString());
        JsonNode log = call("GET", "/apps/" + APP + "/deploy-log", viewer, null, 200);
        assertEquals("Rollback to v1", log.get("title").asText(), log.toString());
        assertEquals(false, log.get("running").asBoolean());
        call("PATCH", "/apps/" + APP + "/config", viewer, "{\"GREETING\": \"forged\"}", 403);
        assertFalse(call("GET", "/apps/" + APP + "/config?reveal=true", admin, null, 200).toString().contains("forged"),
                "the viewer's forged calls changed nothing");
        // the directory viewer's logins, as the trail records them
        List<String> logins = new java.util.ArrayList<>();
        for (JsonNode r : call("GET", "/audit?user=lena", admin, null, 200).get("items")) {
            logins.add(String.join(" ", r.get("door").asText(), r.get("action").asText(), r.get("target").asText(),
                    r.get("ok").asBoolean() ? "ok" : "failed: " + r.get("reason").asText()));
        }
        assertEquals(List.of("api api.login lena failed: password refused", "api api.login lena ok",
                "api api.logout lena ok"), logins);
    }

    @Test
    @Order(2)
    void theEventStreamReplaysWhatAReconnectingClientMissed() throws Exception {
        JsonNode page = call("GET", "/events?app=" + APP, viewer, null, 200);
        JsonNode items = page.get("items");
        assertTrue(items.size() >= 6, page.toString());
        long missedFrom = items.get(items.size() - 3).get("id").asLong();
        HttpRequest request = HttpRequest.newBuilder(URI.create(api("/events?app=" + APP))).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + viewer).header("Accept", "text/event-stream")
                .header("Last-Event-ID", String.valueOf(missedFrom)).build();
        HttpResponse<java.io.InputStream> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            List<Long> ids = new java.util.ArrayList<>();
            String line;
            while (ids.size() < 2 && (line = in.readLine()) != null) {
                if (line.startsWith("id: ")) {
                    ids.add(Long.parseLong(line.substring(4)));
                }
            }
            assertEquals(List.of(items.get(items.size() - 2).get("id").asLong(), items.get(items.size() - 1).get("id").asLong()),
                    ids, "the two events after Last-Event-ID, in order");
        }
    }

    @Test
    @Order(3)
    void aPageFrozenInTheBackgroundThroughARestartShowsWhatItMissedWithoutAReload() throws Exception {
        Path tools = BrowserTools.install();
        Map<String, String> env = new HashMap<>(platform.environment());
        env.put("HOP3_URL", "http://127.0.0.1:" + platform.apiPort);
        env.put("ADMIN_TOKEN", admin);
        env.put("APP", APP);
        env.put("HOP3_DIST", platform.directory().toString());

        Result run = Command.run(tools, env, Duration.ofMinutes(10), "node", "background.mjs");

        System.out.println("background.mjs:\n" + run.output());
        assertEquals(0, run.exit(), run::toString);
        assertTrue(run.output().contains("caught up without a reload"), run.output());
        assertEquals("set while the page was frozen", platform.configVar(APP, "BACKGROUND"));
    }
}
