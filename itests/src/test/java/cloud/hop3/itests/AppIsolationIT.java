package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.ResourceLock;

import cloud.hop3.itests.Command.Result;

/**
 * An app cannot read what is not its own: app B's build command, release command and
 * {@code app:run} look for app A's secrets (config var, data, slug, environment of its running
 * process) and for the platform's keys, CA, state and log, and find none of them; app A still
 * writes its {@code DATA_DIR} and serves from its slug. Each app runs as a Unix user of its own,
 * removed with the app.
 * <p>
 * Every secret of A starts with a marker that B's own files never hold literally (its probe
 * assembles the marker from two halves), so anything of the marker in B's output was read from
 * somewhere else.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ResourceLock(Distribution.VAULT_APP)
class AppIsolationIT {

    private static final String MARK = "zqx9";
    private static final String CONFIG_SECRET = MARK + "-config-db-password";

    private static Distribution platform;
    private static Result start;

    @BeforeAll
    static void start() throws Exception {
        platform = new Distribution();
        // a machine's /var/lib is traversable by every user; the test's temporary directory must be too
        Files.setPosixFilePermissions(platform.work, PosixFilePermissions.fromString("rwx--x--x"));
        // the operator's search path starts with a version manager's shims in a home closed to others,
        // as pyenv's in /root: builds run as an app's user must find the system's python3 instead
        Path shims = Files.createDirectories(platform.work.resolve("operator-home/.pyenv/shims"));
        Files.setPosixFilePermissions(shims.getParent().getParent(), PosixFilePermissions.fromString("rwx------"));
        Path shim = Files.writeString(shims.resolve("python3"), "#!/bin/sh\necho 'the closed shim ran' >&2\nexit 1\n");
        Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
        platform.environment().put("PATH", shims + ":/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
        start = platform.hop3("start");
        assertEquals(0, start.exit(), start.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (platform != null) {
                platform.close();
            }
        } finally {
            // the apps' users outlive the platform by design; the test leaves none on the machine
            for (String user : List.of("hop3-vault", "hop3-prober", "hop3-snake")) {
                Command.run(Path.of("/"), Map.of(), Distribution.TIMEOUT, "userdel", user);
            }
        }
    }

    @Test
    @Order(1)
    void startSaysHowAppsAreIsolated() {
        assertTrue(start.output().contains("isolation: own user per app"), "start says how apps are isolated: " + start);
    }

    @Test
    @Order(1)
    void appAWritesItsDataAndServesFromItsSlug() throws Exception {
        AppSource vault = new AppSource(platform, "vault");
        vault.write("index.html", "<p>" + MARK + "-slug-content</p>\n");
        vault.write("Procfile", "release: echo " + MARK + "-data-secret > \"$DATA_DIR/secret.txt\" && echo data-written\n"
                + "web: echo " + MARK + "-log-line; exec python3 -m http.server --bind 127.0.0.1 \"$PORT\"\n");
        Result push = vault.commitAndPush("first");
        assertEquals(0, push.exit(), push.toString());
        assertTrue(push.output().contains("data-written"), "A's release command writes its DATA_DIR: " + push);
        platform.hop3Ok("app", "config-set", "vault", "DB_PASSWORD=" + CONFIG_SECRET);
        Http.Response page = get("vault", "/index.html");
        assertEquals(200, page.status(), page.body());
        assertTrue(page.body().contains(MARK + "-slug-content"), "A reads its slug: " + page.body());
        assertEquals("hop3-vault", platform.hop3Ok("app", "run", "vault", "id -un").trim());
        assertTrue(platform.hop3Ok("app", "info", "vault").contains("Isolation: own user hop3-vault"));
    }

    @Test
    @Order(1)
    void aPythonAppBuildsAsItsUserWhenThePlatformsPython3IsInAClosedHome() throws Exception {
        AppSource snake = new AppSource(platform, "snake");
        snake.writeAll(AppSource.pythonApp("hiss"));
        Result push = snake.commitAndPush("first");
        try {
            assertEquals(0, push.exit(), push.toString());
            assertFalse(push.output().contains("the closed shim ran"), push.toString());
            assertTrue(get("snake", "/").body().startsWith("hiss from python"));
        } finally {
            platform.hop3("app", "destroy", "snake", "--force");
        }
    }

    @Test
    @Order(2)
    void appBReadsNothingOfAppAOrOfThePlatform() throws Exception {
        AppSource prober = new AppSource(platform, "prober");
        prober.write("probe.sh", probe());
        prober.write("Procfile", "prebuild: sh probe.sh build\nrelease: sh probe.sh release\nworker: sleep 100000\n");
        Result push = prober.commitAndPush("probe");
        assertEquals(0, push.exit(), push.toString());
        Result run = platform.hop3("app", "run", "prober", "sh probe.sh run");
        assertEquals(0, run.exit(), run.toString());
        for (String phase : List.of("build", "release")) {
            assertTrue(push.output().contains("probe-user " + phase + ": hop3-prober"), phase + " runs as B's user: " + push);
        }
        assertTrue(run.output().contains("probe-user run: hop3-prober"), "app:run runs as B's user: " + run);
        for (Result r : List.of(push, run)) {
            assertFalse(r.output().contains(MARK), "B read a secret of A: " + r);
            assertFalse(r.output().contains("PRIVATE KEY"), "B read a private key: " + r);
            assertFalse(r.output().contains("probe-read"), "B read a file of the platform or of A: " + r);
            assertFalse(r.output().contains("probe-wrote"), "B wrote outside its own files: " + r);
        }
        assertTrue(push.output().contains("probe-own-data ok"), "B writes its own DATA_DIR: " + push);
    }

    @Test
    @Order(3)
    void destroyRemovesTheAppsUser() throws Exception {
        assertEquals(0, Command.run(platform.work, Map.of(), Distribution.TIMEOUT, "id", "-u", "hop3-prober").exit());
        platform.hop3Ok("app", "destroy", "--force", "prober");
        assertNotEquals(0, Command.run(platform.work, Map.of(), Distribution.TIMEOUT, "id", "-u", "hop3-prober").exit(),
                "the user of a destroyed app is removed");
        assertEquals(200, get("vault", "/index.html").status(), "A keeps serving");
    }

    /**
     * B's probe: prints who it runs as, then every file it can read under the platform's home,
     * the distribution and the admin key that holds the marker or a private key, every
     * environment of a process it can read that holds the marker, and every place it could write.
     */
    private static String probe() {
        Path home = platform.home;
        Path dist = platform.directory();
        return String.join("\n",
                "phase=$1",
                "echo \"probe-user $phase: $(id -un)\"",
                "m=zq; m=${m}x9; k='PRIV'; k=\"${k}ATE KEY\"",
                "for f in $(find '" + home + "' '" + dist + "/etc' '" + dist + "/data' '" + platform.adminKey + "' -type f"
                        + " -size -4M 2>/dev/null); do",
                "  if grep -a -q -e \"$m\" -e \"$k\" \"$f\" 2>/dev/null; then",
                "    echo \"probe-read $f: $(grep -a -o -e \"$m[-a-z]*\" -e \"$k\" \"$f\" | head -n 1)\"",
                "  fi",
                "done",
                // directories the app may traverse but not list hide nothing from a probe that knows the names
                "for f in " + String.join(" ", List.of(home + "/keys/operator", home + "/keys/git_host_key",
                        home + "/tls/selfsigned/ca-key.pem", home + "/apps/vault/app.json", home + "/apps/vault/processes.json",
                        home + "/apps/vault/data/secret.txt", home + "/apps/vault/releases/1/slug/index.html",
                        home + "/apps/vault/releases/1/slug/Procfile", home + "/apps/vault/logs/web.1.log",
                        home + "/apps/vault/repo.git/config", dist + "/etc/host.key", dist + "/etc/keys.properties",
                        dist + "/data/log/karaf.log", platform.adminKey.toString())) + "; do",
                "  if cat \"$f\" > /dev/null 2>&1; then echo \"probe-read $f\"; fi",
                "done",
                "for e in /proc/[0-9]*/environ; do",
                "  if tr '\\0' '\\n' < \"$e\" 2>/dev/null | grep -a -q \"$m\"; then echo \"probe-read $e\"; fi",
                "done",
                "for d in '" + home + "' '" + home + "/apps' '" + home + "/apps/vault/data' '" + home + "/apps/vault/releases/1/slug'"
                        + " '" + dist + "/deploy' '" + dist + "/etc'; do",
                "  if touch \"$d/probe-$phase\" 2>/dev/null; then echo \"probe-wrote $d\"; rm -f \"$d/probe-$phase\"; fi",
                "done",
                "if touch \"$DATA_DIR/probe-$phase\"; then echo probe-own-data ok; fi",
                "exit 0",
                "");
    }

    private static Http.Response get(String app, String path) throws Exception {
        return Http.get(platform.httpPort, app + ".localhost", path);
    }
}
