package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.ResourceLock;

import cloud.hop3.itests.Command.Result;

/**
 * The Caddy proxy in the distribution, switched to as an operator does from the shell: the
 * feature is installed, Caddy gets its own port (the built-in proxy keeps HOP3_HTTP_PORT, then
 * unused) and core is told to use the proxy named caddy; apps pushed with git are then fetched
 * through the caddy process that the plugin started.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ResourceLock(Distribution.SITE_APPS)
class CaddyProxyIT {

    private static Distribution platform;
    private static int caddyPort;

    @BeforeAll
    static void start() throws Exception {
        platform = new Distribution();
        caddyPort = Hop3TestSupport.freePort();
        Result start = platform.hop3("start");
        assertEquals(0, start.exit(), start.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    private static Path caddyDirectory() {
        return platform.home.resolve("proxy/caddy");
    }

    @Test
    @Order(1)
    void theFeatureIsInstalledFromTheShellAndListedAsAPlugin() throws Exception {
        assertFalse(Files.exists(caddyDirectory().resolve("caddy.pid")), "caddy must not run before it is installed");
        platform.hop3Ok("feature", "install", "hop3-proxy-caddy");
        assertFalse(Files.exists(caddyDirectory().resolve("caddy.pid")), "an unused Caddy proxy starts no caddy");
        platform.hop3Ok("config", "property-set", "-p", "cloud.hop3.proxy.caddy", "httpPort", String.valueOf(caddyPort));
        platform.hop3Ok("config", "property-set", "-p", "cloud.hop3.proxy.caddy", "bindAddress", "127.0.0.1");
        platform.hop3Ok("config", "property-set", "-p", "cloud.hop3.core", "proxy", "caddy");
        await("the caddy proxy to be listed as in use", () -> {
            try {
                return PluginListing.row(platform.hop3Ok("plugin", "list", "--no-format"), "proxy", "caddy")
                        .map(cells -> cells.size() > 5 && cells.get(5).equals("yes")).orElse(false);
            } catch (Exception | AssertionError e) {
                // core's commands are away for a moment while it restarts with its new configuration
                return false;
            }
        });
    }

    @Test
    @Order(2)
    void pushedAppsAreServedByCaddy() throws Exception {
        AppSource site = new AppSource(platform, "site");
        site.write("public/index.html", "<h1>served by caddy</h1>").write(".env", "SECRET=no");
        Result push = site.commitAndPush("first");
        assertEquals(0, push.exit(), push.toString());
        assertEquals("<h1>served by caddy</h1>", get("site", "/").body());
        assertEquals(404, get("site", "/.env").status());
        assertEquals(404, get("unknown-app", "/").status());

        AppSource py = new AppSource(platform, "py");
        py.writeAll(AppSource.pythonApp("hello"));
        Result pushPy = py.commitAndPush("first");
        assertEquals(0, pushPy.exit(), pushPy.toString());
        Http.Response answer = get("py", "/");
        assertEquals(200, answer.status());
        assertTrue(answer.body().startsWith("hello from python"), answer.body());

        String config = Files.readString(caddyDirectory().resolve("caddy.json"));
        assertTrue(config.contains("\"site.localhost\"") && config.contains("\"py.localhost\""), config);
        long pid = Long.parseLong(Files.readString(caddyDirectory().resolve("caddy.pid")).strip());
        assertTrue(ProcessHandle.of(pid).map(p -> p.info().command().orElse("").endsWith("caddy")).orElse(false),
                "the pid file names a running caddy");
    }

    @Test
    @Order(3)
    void theRequestsCaddyServedShowInThePlatformsMetrics() throws Exception {
        ProxyMetrics.push(platform, "counted");
        ProxyMetrics.assertCountedThrough(platform, caddyPort, "counted");
        Path log = caddyDirectory().resolve("requests.log");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(log)));
    }

    @Test
    @Order(4)
    void stoppingThePlatformStopsCaddy() throws Exception {
        long pid = Long.parseLong(Files.readString(caddyDirectory().resolve("caddy.pid")).strip());
        ProcessHandle caddy = ProcessHandle.of(pid).orElseThrow();
        platform.hop3Ok("stop");
        await("caddy to exit", () -> !caddy.isAlive());
    }

    private static Http.Response get(String app, String path) throws IOException {
        return Http.get(caddyPort, app + ".localhost", path);
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}
