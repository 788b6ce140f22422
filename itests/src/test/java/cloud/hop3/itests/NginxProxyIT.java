package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.ResourceLock;

import cloud.hop3.itests.Command.Result;

/**
 * The nginx proxy end to end: the operator chooses it in cloud.hop3.core and installs its feature,
 * apps pushed with the real git are then served by the real nginx on its own port (the built-in
 * proxy, still installed on the platform's HTTP port, gets no routes).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ResourceLock(Distribution.SITE_APPS)
class NginxProxyIT {

    private static Distribution platform;
    private static int nginxPort;
    private static AppSource hello;

    @BeforeAll
    static void start() throws Exception {
        platform = new Distribution();
        nginxPort = Hop3TestSupport.freePort();
        Path etc = platform.directory().resolve("etc");
        setProperty(etc.resolve("cloud.hop3.core.cfg"), "proxy", "nginx");
        // written before the feature is installed, so its default configuration does not replace it
        Files.writeString(etc.resolve("cloud.hop3.proxy.nginx.cfg"), "httpPort = " + nginxPort + "\nbindAddress = 127.0.0.1\n");
        Result start = platform.hop3("start");
        assertEquals(0, start.exit(), start.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void theFeatureInstallsTheNginxProxyPlugin() throws Exception {
        String before = platform.hop3Ok("plugin", "list", "--no-format");
        assertTrue(PluginListing.row(before, "proxy", "nginx").isEmpty(), before);

        platform.hop3Ok("feature", "install", "hop3-proxy-nginx");

        await("the nginx proxy is listed", () -> {
            try {
                return PluginListing.row(platform.hop3Ok("plugin", "list", "--no-format"), "proxy", "nginx").isPresent();
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
    }

    @Test
    @Order(2)
    void pushedAppsAreServedByNginx() throws Exception {
        AppSource site = new AppSource(platform, "site");
        site.write("public/index.html", "<h1>served by nginx</h1>").write("public/.env", "SECRET=no");
        Result push = site.commitAndPush("first");
        assertEquals(0, push.exit(), push.toString());

        hello = new AppSource(platform, "hello");
        Map<String, String> files = new LinkedHashMap<>(AppSource.pythonApp("hello"));
        files.remove("requirements.txt");
        files.put("Procfile", "web: python3 app.py\n");
        hello.writeAll(files);
        push = hello.commitAndPush("first");
        assertEquals(0, push.exit(), push.toString());

        assertEquals("<h1>served by nginx</h1>", get("site", "/").body());
        assertEquals(404, get("site", "/.env").status());
        assertEquals(404, get("unknown-app", "/").status());
        assertTrue(get("hello", "/").body().contains("from python"), get("hello", "/").body());

        Path conf = platform.home.resolve("proxy/nginx/nginx.conf");
        String text = Files.readString(conf);
        assertTrue(text.contains("server_name site.localhost") && text.contains("server_name hello.localhost"), text);
        Path pid = platform.home.resolve("proxy/nginx/run/nginx.pid");
        long master = Long.parseLong(Files.readString(pid).strip());
        assertTrue(ProcessHandle.of(master).map(p -> p.info().command().orElse("").endsWith("nginx")).orElse(false));
        // the built-in proxy got no routes
        assertEquals(404, Http.get(platform.httpPort, "site.localhost", "/").status());
    }

    @Test
    @Order(3)
    void theRequestsNginxServedShowInThePlatformsMetrics() throws Exception {
        ProxyMetrics.push(platform, "counted");
        ProxyMetrics.assertCountedThrough(platform, nginxPort, "counted");
        Path log = platform.home.resolve("proxy/nginx/logs/requests.log");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(log)));
    }

    @Test
    @Order(4)
    void redeployUnderLoadDropsNoRequest() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        Set<String> greetings = Collections.synchronizedSet(new HashSet<>());
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Thread t = new Thread(() -> {
                long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                while (running.get() && System.nanoTime() < deadline) {
                    try {
                        Http.Response r = get("hello", "/");
                        if (r.status() == 200) {
                            ok.incrementAndGet();
                            greetings.add(r.body().startsWith("hello") ? "hello" : r.body().startsWith("again") ? "again" : r.body());
                        } else {
                            failures.add("status " + r.status() + " " + r.body());
                        }
                    } catch (IOException e) {
                        failures.add(e.toString());
                    }
                }
            });
            t.start();
            clients.add(t);
        }
        try {
            Map<String, String> files = new LinkedHashMap<>(AppSource.pythonApp("again"));
            files.remove("requirements.txt");
            files.put("Procfile", "web: python3 app.py\n");
            hello.writeAll(files);
            Result push = hello.commitAndPush("second");
            assertEquals(0, push.exit(), push.toString());
            await("the new release answers", () -> {
                try {
                    return get("hello", "/").body().startsWith("again");
                } catch (IOException e) {
                    return false;
                }
            });
        } finally {
            running.set(false);
            for (Thread t : clients) {
                t.join();
            }
        }
        assertEquals(List.of(), failures, () -> failures.size() + " failed; nginx.conf and access log:\n" + nginxFiles());
        assertTrue(ok.get() > 20, "requests served: " + ok.get());
        assertEquals(Set.of("hello", "again"), greetings);
    }

    @Test
    @Order(5)
    void uninstallingTheFeatureStopsNginx() throws Exception {
        long master = Long.parseLong(Files.readString(platform.home.resolve("proxy/nginx/run/nginx.pid")).strip());
        platform.hop3Ok("feature", "uninstall", "hop3-proxy-nginx");
        await("nginx stopped", () -> ProcessHandle.of(master).map(p -> !p.isAlive()).orElse(true));
    }

    private static String nginxFiles() {
        try {
            Path dir = platform.home.resolve("proxy/nginx");
            List<String> access = Files.readAllLines(dir.resolve("logs/access.log"));
            return Files.readString(dir.resolve("nginx.conf")) + "\n--- error.log:\n" + Files.readString(dir.resolve("logs/error.log"))
                    + "\n--- access.log (last 60):\n" + String.join("\n", access.subList(Math.max(0, access.size() - 60), access.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static Http.Response get(String app, String path) throws IOException {
        return Http.get(nginxPort, app + ".localhost", path);
    }

    private static void setProperty(Path cfg, String key, String value) throws IOException {
        String text = Files.readString(cfg);
        String updated = text.replaceFirst("(?m)^" + key + "\\s*=.*$", key + " = " + value);
        if (updated.equals(text)) {
            updated = text + "\n" + key + " = " + value + "\n";
        }
        Files.writeString(cfg, updated);
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(200);
        }
    }
}
