package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
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
 * Users from an LDAP directory, with the real OpenSSH client and a password (through sshpass),
 * against OpenLDAP's slapd from Debian's packages started by the test: a member of
 * {@code hop3-admins} creates an app, a member of {@code hop3-viewers} reads it and is refused
 * every change, a member of {@code hop3-deployers-shop} changes shop and no other app, a wrong
 * password is refused and recorded as a failed login, and a user in no mapped group gets no
 * shell at all. The same directory users log in to the REST API with their password (a session's
 * cookie, as the dashboard does) with the same rights, and a wrong password there is refused and
 * recorded too. The trail names each of them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LdapIT {

    private static Slapd ldap;
    private static Distribution platform;

    @BeforeAll
    static void start() throws Exception {
        platform = new Distribution();
        ldap = new Slapd(platform.work.resolve("ldap"),
                Slapd.person("alice", "alice-pw") + Slapd.person("vera", "vera-pw") + Slapd.person("dora", "dora-pw")
                        + Slapd.person("bob", "bob-pw")
                        + Slapd.group("hop3-admins", "alice")
                        + Slapd.group("hop3-viewers", "vera")
                        + Slapd.group("hop3-deployers-shop", "dora")
                        // a group named like a Karaf role gives nothing unless mapped
                        + Slapd.group("admin", "bob")
                        + Slapd.group("staff", "bob", "alice"));
        Files.writeString(platform.directory().resolve("etc/cloud.hop3.ldap.cfg"), String.join("\n",
                "connection.url = " + ldap.url(),
                "user.base.dn = " + Slapd.PEOPLE,
                "role.base.dn = " + Slapd.GROUPS,
                ""));
        platform.hop3Ok("start");
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

    /** A shell command over OpenSSH as {@code user}, with a password only (no key). */
    private static Result shell(String user, String password, String command) throws Exception {
        return Command.run(platform.work, Map.of("SSHPASS", password), Distribution.TIMEOUT, "sshpass", "-e", "ssh", "-p",
                String.valueOf(platform.shellPort), "-o", "PubkeyAuthentication=no", "-o",
                "PreferredAuthentications=password,keyboard-interactive", "-o", "NumberOfPasswordPrompts=1",
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                "-o", "ConnectTimeout=10", user + "@127.0.0.1", command);
    }

    private static List<String[]> audit(String... filter) throws IOException, InterruptedException {
        List<String> args = new java.util.ArrayList<>(List.of("audit", "list", "--no-format"));
        args.addAll(List.of(filter));
        return platform.hop3Ok(args.toArray(String[]::new)).lines().filter(l -> !l.isBlank()).map(l -> l.split("\t", -1)).toList();
    }

    @Test
    @Order(1)
    void anLdapAdminCreatesAnAppAndTheTrailNamesThem() throws Exception {
        Result create = shell("alice", "alice-pw", "app:create shop");
        assertEquals(0, create.exit(), create.toString());
        assertEquals(0, shell("alice", "alice-pw", "app:create bank").exit());
        assertTrue(platform.hop3Ok("app", "list", "--no-format").contains("shop"));

        List<String[]> rows = audit("--app", "shop");
        assertFalse(rows.isEmpty(), "the creation is in the trail");
        assertEquals(List.of("alice", "shell", "app.create", "ok"), List.of(rows.get(0)[2], rows.get(0)[3], rows.get(0)[5],
                rows.get(0)[7]));
    }

    @Test
    @Order(2)
    void anLdapViewerListsAndIsRefusedEveryChange() throws Exception {
        Result list = shell("vera", "vera-pw", "app:list --no-format");
        assertEquals(0, list.exit(), list.toString());
        assertTrue(list.output().contains("shop") && list.output().contains("bank"), list.toString());

        // Karaf's command ACLs, the outer wall, refuse a viewer these commands before Hop3 is asked
        for (String other : List.of("app:config-set shop GREETING=hi", "app:create other", "app:destroy --force bank",
                "user:list")) {
            Result r = shell("vera", "vera-pw", other);
            assertNotEquals(0, r.exit(), "a viewer ran " + other + ": " + r);
        }
        assertFalse(platform.hop3Ok("app", "config", "shop").contains("GREETING"));
        assertFalse(platform.hop3Ok("app", "list", "--no-format").contains("other"));
    }

    @Test
    @Order(3)
    void anLdapDeployerChangesItsAppAndNoOther() throws Exception {
        Result own = shell("dora", "dora-pw", "app:config-set shop GREETING=hi");
        assertEquals(0, own.exit(), own.toString());
        Result other = shell("dora", "dora-pw", "app:config-set bank GREETING=hi");
        assertNotEquals(0, other.exit(), other.toString());
        assertTrue(other.output().contains("User 'dora' (deployer on shop) may not change the config of app 'bank'"),
                other.toString());
        assertTrue(platform.hop3Ok("app", "config", "shop").contains("GREETING"));
        assertFalse(platform.hop3Ok("app", "config", "bank").contains("GREETING"));
        List<String[]> set = audit("--app", "shop", "--user", "dora");
        assertEquals("config.set", set.get(set.size() - 1)[5]);
    }

    @Test
    @Order(4)
    void aWrongPasswordIsRefusedAndRecordedAsALoginFailure() throws Exception {
        Result wrong = shell("alice", "not-her-password", "app:destroy --force shop");
        assertNotEquals(0, wrong.exit(), wrong.toString());
        assertTrue(platform.hop3Ok("app", "list", "--no-format").contains("shop"), "shop is still there");
        Hop3TestSupport.await("the failed login in the trail", Duration.ofSeconds(30), () -> {
            try {
                return audit("--user", "alice").stream().anyMatch(r -> r[5].equals("shell.login"));
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
        String[] login = audit("--user", "alice").stream().filter(r -> r[5].equals("shell.login")).findFirst().orElseThrow();
        assertEquals(List.of("alice", "shell", "alice", "failed: login refused"), List.of(login[2], login[3], login[6], login[7]));
    }

    @Test
    @Order(5)
    void aUserInNoMappedGroupGetsNoRights() throws Exception {
        Result r = shell("bob", "bob-pw", "app:list --no-format");
        assertNotEquals(0, r.exit(), "bob is in 'admin' and 'staff', neither mapped to a Hop3 role: " + r);
        assertFalse(r.output().contains("shop"), r.toString());
        Result destroy = shell("bob", "bob-pw", "app:destroy --force shop");
        assertNotEquals(0, destroy.exit(), destroy.toString());
        assertTrue(platform.hop3Ok("app", "list", "--no-format").contains("shop"));
        Hop3TestSupport.await("bob's refused login in the trail", Duration.ofSeconds(30), () -> {
            try {
                return audit("--user", "bob").stream().anyMatch(r2 -> r2[5].equals("shell.login") && r2[7].startsWith("failed"));
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
        assertTrue(audit("--user", "bob").stream().noneMatch(r2 -> r2[7].equals("ok")), "bob changed nothing");
    }

    // --- the REST API, with a password ----------------------------------------------------

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A call of the API with a session's cookie (or none), and the header the dashboard sends when {@code csrf}. */
    private static HttpResponse<String> api(String method, String path, String cookie, String body, boolean csrf) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + platform.apiPort + "/api/v1" + path))
                .timeout(Duration.ofMinutes(2))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        if (csrf) {
            b.header("X-Hop3-Csrf", "1");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Logs in with a password; returns the session's cookie as a Cookie header sends it. */
    private static String logIn(String user, String password) throws Exception {
        HttpResponse<String> r = api("POST", "/session", null, "{\"user\": \"" + user + "\", \"password\": \"" + password + "\"}",
                false);
        assertEquals(201, r.statusCode(), r.body());
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.contains("; HttpOnly") && cookie.contains("; SameSite=Strict") && cookie.contains("Path=/api/v1"), cookie);
        assertFalse(r.body().contains("hop3s_"), "the secret is in the cookie only: " + r.body());
        return cookie.substring(0, cookie.indexOf(';'));
    }

    private static String code(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body()).get("code").asText();
    }

    @Test
    @Order(6)
    void anLdapDeployerLogsInToTheApiWithTheirPasswordAndChangesTheirAppOnly() throws Exception {
        String dora = logIn("dora", "dora-pw");
        JsonNode me = JSON.readTree(api("GET", "/me", dora, null, false).body());
        assertEquals("dora", me.get("user").asText());
        assertFalse(me.get("admin").asBoolean());
        // compared as JSON trees: the order of an object's fields is not part of the answer
        assertEquals(JSON.readTree("[{\"role\":\"deployer\",\"apps\":[\"shop\"]}]"), me.get("grants"),
                "her group's role, not a local user's");
        HttpResponse<String> apps = api("GET", "/apps", dora, null, false);
        assertEquals(200, apps.statusCode(), apps.body());
        assertTrue(apps.body().contains("\"shop\""), apps.body());

        HttpResponse<String> own = api("PATCH", "/apps/shop/config", dora, "{\"FROM_API\": \"yes\"}", true);
        assertEquals(200, own.statusCode(), own.body());
        assertTrue(platform.hop3Ok("app", "config", "shop").contains("FROM_API"));
        HttpResponse<String> other = api("PATCH", "/apps/bank/config", dora, "{\"FROM_API\": \"yes\"}", true);
        assertEquals(403, other.statusCode(), other.body());
        assertTrue(other.body().contains("User 'dora' (deployer on shop) may not change the config of app 'bank'"), other.body());
        HttpResponse<String> noHeader = api("PATCH", "/apps/shop/config", dora, "{\"FROM_A_FORM\": \"yes\"}", false);
        assertEquals(403, noHeader.statusCode(), noHeader.body());
        assertEquals("csrf-refused", code(noHeader));
        assertFalse(platform.hop3Ok("app", "config", "bank").contains("FROM_API"));
        assertFalse(platform.hop3Ok("app", "config", "shop").contains("FROM_A_FORM"));

        List<String[]> set = audit("--app", "shop", "--user", "dora");
        String[] last = set.get(set.size() - 1);
        assertEquals(List.of("dora", "api", "config.set", "ok"), List.of(last[2], last[3], last[5], last[7]));

        assertEquals(204, api("DELETE", "/session", dora, null, true).statusCode());
        HttpResponse<String> after = api("GET", "/me", dora, null, false);
        assertEquals(401, after.statusCode(), after.body());
        assertEquals("invalid-session", code(after));
    }

    @Test
    @Order(7)
    void anLdapViewerReadsThroughTheApiAndIsRefusedEveryChange() throws Exception {
        String vera = logIn("vera", "vera-pw");
        HttpResponse<String> list = api("GET", "/apps", vera, null, false);
        assertEquals(200, list.statusCode(), list.body());
        assertTrue(list.body().contains("\"shop\"") && list.body().contains("\"bank\""), list.body());
        for (String[] change : List.of(new String[] {"PATCH", "/apps/shop/config", "{\"GREETING\": \"forged\"}"},
                new String[] {"POST", "/apps", "{\"name\": \"other\"}"}, new String[] {"DELETE", "/apps/bank?confirm=bank", null})) {
            HttpResponse<String> r = api(change[0], change[1], vera, change[2], true);
            assertEquals(403, r.statusCode(), change[0] + " " + change[1] + ": " + r.body());
            assertEquals("forbidden", code(r));
        }
        assertFalse(platform.hop3Ok("app", "config", "shop").contains("forged"));
        assertFalse(platform.hop3Ok("app", "list", "--no-format").contains("other"));
        assertTrue(platform.hop3Ok("app", "list", "--no-format").contains("bank"));

        // through the platform's proxy over HTTPS (it says so from this machine), the cookie is Secure
        HttpResponse<String> secure = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + platform.apiPort
                        + "/api/v1/session")).header("Content-Type", "application/json").header("X-Forwarded-Proto", "https")
                .POST(HttpRequest.BodyPublishers.ofString("{\"user\": \"vera\", \"password\": \"vera-pw\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, secure.statusCode(), secure.body());
        assertTrue(secure.headers().firstValue("Set-Cookie").orElseThrow().endsWith("; Secure"), secure.headers().toString());
    }

    @Test
    @Order(8)
    void aWrongPasswordThroughTheApiIsRefusedAndRecordedAsAnApiLoginFailure() throws Exception {
        long shellFailures = audit("--user", "alice").stream().filter(r -> r[5].equals("shell.login")).count();
        HttpResponse<String> wrong = api("POST", "/session", null, "{\"user\": \"alice\", \"password\": \"not-her-password\"}", false);
        assertEquals(401, wrong.statusCode(), wrong.body());
        assertEquals("invalid-login", code(wrong));
        assertTrue(wrong.headers().firstValue("Set-Cookie").isEmpty(), "no session for a wrong password");
        // bob's groups give no Hop3 role: his right password opens no session either
        HttpResponse<String> bob = api("POST", "/session", null, "{\"user\": \"bob\", \"password\": \"bob-pw\"}", false);
        assertEquals(401, bob.statusCode(), bob.body());

        String[] login = audit("--user", "alice").stream().filter(r -> r[5].equals("api.login")).reduce((a, b) -> b).orElseThrow();
        assertEquals(List.of("alice", "api", "127.0.0.1", "alice", "failed: password refused"),
                List.of(login[2], login[3], login[4], login[6], login[7]));
        assertTrue(audit("--user", "bob").stream().anyMatch(r -> r[5].equals("api.login") && r[7].equals("failed: password refused")));
        // the realm's own report of the failure is not recorded a second time, as a shell login
        String admin = logIn("alice", "alice-pw");
        assertEquals(200, api("GET", "/users", admin, null, false).statusCode(), "an admin of the directory administers");
        assertEquals(shellFailures, audit("--user", "alice").stream().filter(r -> r[5].equals("shell.login")).count());
    }
}
