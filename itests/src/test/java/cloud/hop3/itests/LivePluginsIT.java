package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.ResourceLock;

import cloud.hop3.itests.Command.Result;

/**
 * Plugins changed while apps serve, as an operator does it through the shell: the proxy bundle
 * updated under continuous load, and a builder removed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ResourceLock(Distribution.SITE_APPS)
class LivePluginsIT {

    private static Distribution platform;
    private static AppSource py;

    @BeforeAll
    static void start() throws Exception {
        platform = new Distribution();
        Distribution.ok(platform.hop3("start"));
        py = new AppSource(platform, "steady");
        py.writeAll(AppSource.pythonApp("one"));
        assertEquals(0, py.commitAndPush("v1").exit());
        AppSource site = new AppSource(platform, "site");
        site.write("index.html", "static steady");
        assertEquals(0, site.commitAndPush("v1").exit());
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void proxyBundleUpdatedUnderLoadFailsNoRequest() throws Exception {
        String before = platform.hop3Ok("plugin", "list", "--no-format");
        List<String> row = PluginListing.row(before, "proxy", "builtin").orElseThrow(() -> new AssertionError(before));
        String next = row.get(3) + "-live";
        Path upgraded = BundleJars.withVersion(BundleJars.installed("proxy-builtin"), next);

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String app = i % 2 == 0 ? "steady" : "site";
            String expected = i % 2 == 0 ? "one" : "static steady";
            Thread t = new Thread(() -> {
                while (running.get()) {
                    try {
                        Http.Response r = get(app);
                        if (r.status() == 200 && r.body().startsWith(expected)) {
                            ok.incrementAndGet();
                        } else {
                            failures.add(app + ": status " + r.status() + " " + r.body());
                        }
                    } catch (IOException e) {
                        failures.add(app + ": " + e);
                    }
                }
            });
            t.start();
            clients.add(t);
        }
        try {
            await("requests to flow", () -> ok.get() >= 40);
            Result update = platform.hop3("bundle", "update", "cloud.hop3.proxy-builtin", upgraded.toUri().toString());
            assertEquals(0, update.exit(), update.toString());
            await("plugin:list to show the proxy at " + next, () -> listedVersion("proxy", "builtin").equals(next));
            int after = ok.get();
            await("requests through the new instance", () -> ok.get() >= after + 40);
        } finally {
            running.set(false);
            for (Thread t : clients) {
                t.join(15_000);
            }
        }
        assertEquals(0, failures.size(), failures.size() + " failed requests during the proxy update (" + ok.get()
                + " succeeded), the first: " + failures.subList(0, Math.min(10, failures.size())));

        // the new instance was given the routes by core, and follows later changes too
        platform.hop3Ok("app", "domains-add", "site", "www.site.test");
        assertEquals("static steady", Http.get(platform.httpPort, "www.site.test", "/").body());
    }

    @Test
    @Order(2)
    void removingABuilderKeepsItsAppsServingAndTheirNextDeployNamesIt() throws Exception {
        Result uninstall = platform.hop3("bundle", "uninstall", "cloud.hop3.builder-python");
        assertEquals(0, uninstall.exit(), uninstall.toString());
        await("the python builder to leave plugin:list", () -> listedVersion("builder", "python").isEmpty());

        for (int i = 0; i < 5; i++) {
            assertTrue(get("steady").body().startsWith("one"), "the app keeps serving");
        }
        py.writeAll(AppSource.pythonApp("two"));
        Result push = py.commitAndPush("v2");
        assertNotEquals(0, push.exit(), push.toString());
        assertTrue(push.output().contains("built with the 'python' builder, whose plugin is not installed now"),
                push.toString());
        assertTrue(get("steady").body().startsWith("one"), "the failed deploy changed nothing");
        String ps = platform.hop3Ok("app", "ps", "steady");
        assertTrue(ps.contains("web"), ps);
    }

    private static String listedVersion(String kind, String name) {
        try {
            String list = platform.hop3Ok("plugin", "list", "--no-format");
            return PluginListing.row(list, kind, name).map(r -> r.get(3)).orElse("");
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Http.Response get(String app) throws IOException {
        return Http.get(platform.httpPort, app + ".localhost", "/");
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
