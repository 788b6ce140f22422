package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.ResourceLock;

import cloud.hop3.itests.Command.Result;

/**
 * Switching the active proxy at runtime, as an operator does it: {@code config:property-set -p
 * cloud.hop3.core proxy <name>} over the platform's SSH shell, while clients keep requesting an
 * app pushed with git. Every proxy listens on the platform's HTTP port; which one accepted a
 * connection is read from the kernel ({@link SocketOwner}), so "nginx served" means an nginx
 * process accepted the connection.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ResourceLock(Distribution.SITE_APPS)
class ProxySwitchIT {

    /** The switches under load, in order; the platform starts on the first one's predecessor. */
    private static final List<String> SWITCHES = List.of("nginx", "haproxy", "builtin");
    private static final String FIRST = "builtin";
    private static final Pattern MOVED = Pattern.compile("The routes moved from the proxy '(\\w+)' to '(\\w+)' in (\\d+) ms");

    private static Distribution platform;
    private static LoadClients load;

    @BeforeAll
    static void start() throws Exception {
        platform = new Distribution();
        Path etc = platform.directory().resolve("etc");
        setProperty(etc.resolve("cloud.hop3.core.cfg"), "proxy", FIRST);
        Result start = platform.hop3("start");
        assertEquals(0, start.exit(), start.toString());
        // installed, not in use: they bind no port until they are switched to
        platform.hop3Ok("feature", "install", "hop3-proxy-nginx");
        platform.hop3Ok("feature", "install", "hop3-proxy-haproxy");
        await("both proxies are listed", Duration.ofSeconds(60), () -> {
            String list = plugins();
            return PluginListing.row(list, "proxy", "nginx").isPresent() && PluginListing.row(list, "proxy", "haproxy").isPresent();
        });

        AppSource hello = new AppSource(platform, "hello");
        Map<String, String> files = new LinkedHashMap<>(AppSource.pythonApp("hello"));
        files.remove("requirements.txt");
        files.put("Procfile", "web: python3 app.py\n");
        hello.writeAll(files);
        Result push = hello.commitAndPush("first");
        assertEquals(0, push.exit(), push.toString());
        assertTrue(Http.get(platform.httpPort, "hello.localhost", "/").body().startsWith("hello from python"));
        assertEquals(FIRST, SocketOwner.proxyAt(platform.httpPort, "hello.localhost"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (load != null) {
            load.stop();
        }
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void switchingTheProxyUnderLoadFailsNoRequest() throws Exception {
        load = new LoadClients(platform.httpPort, "hello.localhost", 3, 2);
        load.awaitServed(200);
        StringBuilder figures = new StringBuilder();
        String from = FIRST;
        for (String to : SWITCHES) {
            long before = load.served();
            long start = System.nanoTime();
            platform.hop3Ok("config", "property-set", "-p", "cloud.hop3.core", "proxy", to);
            await("only " + to + " accepts connections", Duration.ofSeconds(60), () -> onlyServedBy(to, 5));
            long switched = (System.nanoTime() - start) / 1_000_000;
            String inUse = plugins();
            assertEquals("yes", PluginListing.row(inUse, "proxy", to).orElseThrow().get(5), inUse);
            assertEquals("no", PluginListing.row(inUse, "proxy", from).orElseThrow().get(5), inUse);
            load.awaitServed(load.served() + 300);
            figures.append(String.format("%s -> %s: moved in %s ms (platform log), only %s accepts %d ms after the"
                    + " command returned; %d requests meanwhile%n", from, to, movedMillis(from, to), to, switched,
                    load.served() - before));
            from = to;
        }
        load.stop();
        String report = String.format("Proxy switch under load (tcp_migrate_req=%s): %d requests (%d on new connections,"
                + " %d keep-alive), %d failed, %d keep-alive requests resent on a new connection after the proxy closed"
                + " an idle one%n%s", migrateReq(), load.served(), load.servedFresh(), load.servedKeptAlive(),
                load.failures().size(), load.resent(), figures);
        System.out.println(report);
        Files.writeString(Path.of("target", "proxy-switch.txt"), report);
        assertEquals(List.of(), load.failures(), report);
        load = null;
        // a change of cloud.hop3.core restarts no core component: each started once
        String log = Files.readString(platform.directory().resolve("data/log/karaf.log"));
        for (String started : List.of("Git server listening on", "Hop3 state directory:", "Local process driver supervising")) {
            assertEquals(1, log.split(Pattern.quote(started), -1).length - 1, started);
        }
        assertFalse(log.contains("resulted in a cycle"), "core's components take each other's services without a cycle");
    }

    @Test
    @Order(2)
    void aProxyThatIsNotInstalledLeavesTheOldOneServing() throws Exception {
        load = new LoadClients(platform.httpPort, "hello.localhost", 2, 1);
        platform.hop3Ok("config", "property-set", "-p", "cloud.hop3.core", "proxy", "caddy");

        await("plugin:list says caddy is missing", Duration.ofSeconds(30),
                () -> plugins().contains("The proxy 'caddy' configured in cloud.hop3.core is not installed. 'builtin' still serves the routes."));
        load.awaitServed(load.served() + 200);
        assertTrue(onlyServedBy("builtin", 5), lastProbe);
        assertEquals("yes", PluginListing.row(plugins(), "proxy", "builtin").orElseThrow().get(5));
        load.stop();
        assertEquals(List.of(), load.failures());
        load = null;
    }

    @Test
    @Order(3)
    void aProxyThatRefusesTheTableLeavesTheOldOneServing() throws Exception {
        load = new LoadClients(platform.httpPort, "hello.localhost", 2, 1);
        // an operator's mistake: an address this machine does not have, which nginx -t refuses
        platform.hop3Ok("config", "property-set", "-p", "cloud.hop3.proxy.nginx", "bindAddress", "192.0.2.1");
        platform.hop3Ok("config", "property-set", "-p", "cloud.hop3.core", "proxy", "nginx");

        await("plugin:list says nginx refused the routes", Duration.ofSeconds(60), () -> {
            String list = plugins();
            return list.contains("The proxy 'nginx' configured in cloud.hop3.core refused the routes, so 'builtin' still serves them:")
                    && list.contains("192.0.2.1");
        });
        load.awaitServed(load.served() + 200);
        assertTrue(onlyServedBy("builtin", 5), lastProbe);

        // fixed, nginx takes over
        platform.hop3Ok("config", "property-set", "-p", "cloud.hop3.proxy.nginx", "bindAddress", "0.0.0.0");
        await("only nginx accepts connections", Duration.ofSeconds(60), () -> onlyServedBy("nginx", 5));
        assertTrue(!plugins().contains("still serves"), plugins());
        load.awaitServed(load.served() + 200);

        // reconfigured while it serves: the new instance of the plugin takes the running nginx over and reloads it
        long master = nginxMaster();
        platform.hop3Ok("config", "property-set", "-p", "cloud.hop3.proxy.nginx", "workerProcesses", "1");
        await("nginx runs with one worker", Duration.ofSeconds(60), () -> nginxConf().contains("worker_processes 1;"));
        assertEquals(master, nginxMaster(), "the same nginx master, reloaded");
        load.awaitServed(load.served() + 200);

        // a change that nginx refuses while it serves: it serves the routes it had, and plugin:list says why
        platform.hop3Ok("config", "property-set", "-p", "cloud.hop3.proxy.nginx", "bindAddress", "192.0.2.1");
        await("plugin:list says nginx refused the routes", Duration.ofSeconds(60),
                () -> plugins().contains("The proxy 'nginx' refused the routes, so it serves the ones it had before:"));
        load.awaitServed(load.served() + 200);
        assertTrue(onlyServedBy("nginx", 5), lastProbe);
        assertEquals(master, nginxMaster());
        platform.hop3Ok("config", "property-set", "-p", "cloud.hop3.proxy.nginx", "bindAddress", "0.0.0.0");
        await("the refusal is over", Duration.ofSeconds(60), () -> !plugins().contains("refused"));
        load.awaitServed(load.served() + 200);
        load.stop();
        assertEquals(List.of(), load.failures());
        load = null;
    }

    private static long nginxMaster() throws IOException {
        return Long.parseLong(Files.readString(platform.home.resolve("proxy/nginx/run/nginx.pid")).strip());
    }

    private static String nginxConf() {
        try {
            return Files.readString(platform.home.resolve("proxy/nginx/nginx.conf"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** What the last probe found, for the failure message. */
    private static volatile String lastProbe = "";

    private static boolean onlyServedBy(String proxy, int connections) {
        try {
            for (int i = 0; i < connections; i++) {
                lastProbe = SocketOwner.proxyAt(platform.httpPort, "hello.localhost");
                if (!proxy.equals(lastProbe)) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            lastProbe = e.toString();
            return false;
        }
    }

    private static String plugins() {
        try {
            return platform.hop3Ok("plugin", "list", "--no-format");
        } catch (IOException | InterruptedException e) {
            return e.toString();
        }
    }

    /** The time the platform logged for the last move between two proxies. */
    private static String movedMillis(String from, String to) throws IOException {
        String millis = "?";
        Matcher m = MOVED.matcher(Files.readString(platform.directory().resolve("data/log/karaf.log")));
        while (m.find()) {
            if (m.group(1).equals(from) && m.group(2).equals(to)) {
                millis = m.group(3);
            }
        }
        return millis;
    }

    private static String migrateReq() {
        try {
            return Files.readString(Path.of("/proc/sys/net/ipv4/tcp_migrate_req")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void setProperty(Path cfg, String key, String value) throws IOException {
        String text = Files.readString(cfg);
        String updated = text.replaceFirst("(?m)^" + key + "\\s*=.*$", key + " = " + value);
        if (updated.equals(text)) {
            updated = text + "\n" + key + " = " + value + "\n";
        }
        Files.writeString(cfg, updated);
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what + " (last probe: " + lastProbe + ")");
            }
            Thread.sleep(100);
        }
    }

    /** Client threads that request the app until stopped and keep every failure. */
    static final class LoadClients {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();
        private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        private final java.util.concurrent.atomic.AtomicLong fresh = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong keptAlive = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong resent = new java.util.concurrent.atomic.AtomicLong();

        LoadClients(int port, String host, int connectionPerRequest, int keepAlive) {
            for (int i = 0; i < connectionPerRequest; i++) {
                threads.add(new Thread(() -> {
                    while (running.get()) {
                        try {
                            check(Http.get(port, host, "/"));
                            fresh.incrementAndGet();
                        } catch (IOException | RuntimeException e) {
                            failures.add("new connection: " + e);
                        }
                    }
                }, "load-fresh-" + i));
            }
            for (int i = 0; i < keepAlive; i++) {
                threads.add(new Thread(() -> {
                    try (KeepAliveConnection connection = new KeepAliveConnection(port, host)) {
                        while (running.get()) {
                            try {
                                check(connection.get("/"));
                                keptAlive.incrementAndGet();
                            } catch (IOException | RuntimeException e) {
                                failures.add("keep-alive: " + e);
                            }
                        }
                        resent.addAndGet(connection.resent());
                    }
                }, "load-keepalive-" + i));
            }
            threads.forEach(Thread::start);
        }

        private static void check(Http.Response r) {
            if (r.status() != 200 || !r.body().startsWith("hello from python")) {
                throw new IllegalStateException("status " + r.status() + ": " + r.body());
            }
        }

        long served() {
            return fresh.get() + keptAlive.get();
        }

        long servedFresh() {
            return fresh.get();
        }

        long servedKeptAlive() {
            return keptAlive.get();
        }

        long resent() {
            return resent.get();
        }

        List<String> failures() {
            return List.copyOf(failures);
        }

        void awaitServed(long count) throws InterruptedException {
            await(count + " requests served", Duration.ofSeconds(120), () -> served() >= count || !failures.isEmpty());
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(60_000);
            }
        }
    }
}
