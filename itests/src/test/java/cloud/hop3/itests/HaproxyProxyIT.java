package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.ResourceLock;

import cloud.hop3.itests.Command.Result;

/**
 * The HAProxy proxy end to end: the operator points core at it ({@code proxy = haproxy}), moves the
 * built-in proxy to another port and installs the feature at boot; apps pushed with real git are then
 * served by the machine's HAProxy, which the plugin started, and stopped with the platform.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ResourceLock(Distribution.SITE_APPS)
class HaproxyProxyIT {

    private static Distribution platform;
    private static int builtinPort;
    private static AppSource py;

    @BeforeAll
    static void start() throws Exception {
        platform = new Distribution();
        builtinPort = Hop3TestSupport.freePort();
        Path etc = platform.directory().resolve("etc");
        replaceLine(etc.resolve("cloud.hop3.core.cfg"), "proxy =", "proxy = haproxy");
        replaceLine(etc.resolve("cloud.hop3.proxy.builtin.cfg"), "httpPort =", "httpPort = " + builtinPort);
        // installed at boot, as an operator does to keep it across a fresh start (feature:install
        // on a running platform works the same, but bin/hop3 start waits for a proxy on the port)
        replaceLine(etc.resolve("org.apache.karaf.features.cfg"), "featuresBoot =", "$0, hop3-proxy-haproxy");
        Result start = platform.hop3("start");
        assertEquals(0, start.exit(), start.toString());
    }

    private static void replaceLine(Path file, String start, String line) throws IOException {
        String text = Files.readString(file);
        String changed = text.replaceFirst("(?m)^" + java.util.regex.Pattern.quote(start) + ".*$", line);
        assertTrue(!changed.equals(text), start + " in " + file);
        Files.writeString(file, changed);
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void theFeatureInstallsAndListsTheProxy() throws Exception {
        assertTrue(platform.hop3Ok("feature", "list", "-i", "--no-format").contains("hop3-proxy-haproxy"));
        await("plugin:list to show the haproxy proxy", () -> {
            try {
                String list = platform.hop3Ok("plugin", "list", "--no-format");
                return PluginListing.row(list, "proxy", "haproxy").isPresent();
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
    }

    @Test
    @Order(2)
    void pushedAppsAreServedThroughHaproxy() throws Exception {
        AppSource site = new AppSource(platform, "site");
        site.write("public/index.html", "<h1>served by haproxy</h1>").write("public/.env", "SECRET=no");
        Result push = site.commitAndPush("first");
        assertEquals(0, push.exit(), push.toString());
        assertEquals("<h1>served by haproxy</h1>", get("site", "/").body());
        assertEquals(404, get("site", "/.env").status());
        assertEquals(404, get("unknown-app", "/").status());

        py = new AppSource(platform, "py");
        py.writeAll(AppSource.pythonApp("hello"));
        push = py.commitAndPush("first");
        assertEquals(0, push.exit(), push.toString());
        assertTrue(get("py", "/").body().startsWith("hello from python"));

        String config = Files.readString(platform.home.resolve("proxy/haproxy/haproxy.cfg"));
        assertTrue(config.contains("acl host_py var(txn.host) -m str py.localhost"), config);
        // the built-in proxy, installed but not chosen, routes nothing
        assertEquals(404, Http.get(builtinPort, "py.localhost", "/").status());
    }

    @Test
    @Order(3)
    void aRedeployIsServedAfterAReload() throws Exception {
        py.writeAll(AppSource.pythonApp("second"));
        Result push = py.commitAndPush("second");
        assertEquals(0, push.exit(), push.toString());
        assertTrue(get("py", "/").body().startsWith("second"), get("py", "/").body());
    }

    @Test
    @Order(4)
    void theRequestsHaproxyServedShowInThePlatformsMetrics() throws Exception {
        ProxyMetrics.push(platform, "counted");
        ProxyMetrics.assertCountedThrough(platform, platform.httpPort, "counted");
        Path pipe = platform.home.resolve("proxy/haproxy/logs/requests.pipe");
        assertFalse(Files.isRegularFile(pipe), "a named pipe: nothing kept on disk");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(pipe)));
    }

    @Test
    @Order(5)
    void haproxyStopsWithThePlatform() throws Exception {
        long pid = Long.parseLong(Files.readString(platform.home.resolve("proxy/haproxy/run/haproxy.pid")).strip());
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "HAProxy runs");
        platform.hop3Ok("stop");
        await("HAProxy to stop", () -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    private static Http.Response get(String app, String path) throws IOException {
        return Http.get(platform.httpPort, app + ".localhost", path);
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
