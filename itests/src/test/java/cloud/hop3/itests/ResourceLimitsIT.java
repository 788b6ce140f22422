package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import cloud.hop3.itests.Command.Result;

/**
 * Limits per app, end to end: an app pushed with {@code [run] memory = "64M"} whose web process
 * allocates beyond it is killed and restarted, and {@code app:ps} says why; its open files and
 * process count are bounded; and its port, bound on all interfaces, is not reachable from
 * another network namespace while the proxy still serves the app there.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResourceLimitsIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static Distribution platform;

    @BeforeAll
    static void start() throws Exception {
        platform = new Distribution();
        Result start = platform.hop3("start");
        assertEquals(0, start.exit(), start.toString());
        AppSource app = new AppSource(platform, "hog");
        app.writeAll(Map.of("requirements.txt", "# the standard library is enough\n", "Procfile", "web: python app.py\n",
                "hop3.toml", "[run]\nmemory = \"64M\"\nfiles = 256\nprocesses = 32\n", "app.py", APP));
        Result push = app.commitAndPush("limited");
        assertEquals(0, push.exit(), push.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    /** Answers its pid on /, allocates 200 MB on /grow, forks 60 children on /forks; binds all interfaces. */
    private static final String APP = """
            import http.server, os, time

            class Handler(http.server.BaseHTTPRequestHandler):
                protocol_version = "HTTP/1.1"

                def do_GET(self):
                    if self.path == "/grow":
                        hog = bytearray(200 * 1024 * 1024)
                        body = "survived %d" % len(hog)
                    elif self.path == "/forks":
                        n = 0
                        for i in range(60):
                            try:
                                pid = os.fork()
                            except OSError:
                                break
                            if pid == 0:
                                time.sleep(3)
                                os._exit(0)
                            n += 1
                        body = "started=%d" % n
                    else:
                        body = "pid=%d" % os.getpid()
                    data = body.encode()
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)

                def log_message(self, *args):
                    pass

            http.server.ThreadingHTTPServer(("0.0.0.0", int(os.environ["PORT"])), Handler).serve_forever()
            """;

    private static Http.Response get(String path) throws IOException {
        return Http.get(platform.httpPort, "hog.localhost", path);
    }

    private static long webPid() throws IOException {
        String body = get("/").body();
        assertTrue(body.startsWith("pid="), body);
        return Long.parseLong(body.substring(4).trim());
    }

    @Test
    @Order(1)
    void openFilesLimitIsTheProcesssRlimit() throws Exception {
        String limits = Files.readString(Path.of("/proc", String.valueOf(webPid()), "limits"));
        assertTrue(limits.lines().anyMatch(l -> l.matches("Max open files\\s+256\\s+256\\s+files\\s*")), limits);
    }

    @Test
    @Order(2)
    void processCountIsBounded() throws Exception {
        String body = get("/forks").body();
        int started = Integer.parseInt(body.replaceAll("(?s).*started=([0-9]+).*", "$1"));
        assertTrue(started < 32, "at most 31 children next to the web process under processes = 32, got " + body);
    }

    @Test
    @Order(3)
    void aProcessOverItsMemoryLimitIsKilledRestartedAndAppPsSaysWhy() throws Exception {
        long before = webPid();
        try {
            Http.Response grown = get("/grow");
            assertFalse(grown.body().startsWith("survived"), "the process survived 200 MB under a 64M limit");
        } catch (IOException expected) {
            // killed mid-request: the connection ends without an answer
        }
        await("app:ps to show the kill", () -> psText().contains("over its memory limit of 64M") ? true : null);
        long after = await("the app to answer again", () -> {
            try {
                return webPid();
            } catch (IOException | RuntimeException | AssertionError e) {
                return null;
            }
        });
        assertNotEquals(before, after, "a new process");
        String ps = await("app:ps to count the restart", () -> psText().matches("(?s)web\\.1\t\\w+\tv1\t[0-9]+\t[1-9].*") ? psText() : null);
        assertTrue(ps.contains("over its memory limit of 64M"), ps);
        assertTrue(ps.matches("(?s)web\\.1\t\\w+\tv1\t[0-9]+\t[1-9].*"), "one restart at least: " + ps);
        String info = platform.hop3Ok("app", "info", "hog");
        assertTrue(info.contains("memory=64M processes=32 files=256 per process"), info);
        assertTrue(info.contains("cgroup v"), info);
    }

    private static String psText() {
        try {
            return platform.hop3Ok("app", "ps", "--no-format", "hog");
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }

    @Test
    @Order(4)
    void appLimitsSetsAndRefusesClearly() throws Exception {
        Result bad = platform.hop3("app", "limits", "hog", "memory=lots");
        assertNotEquals(0, bad.exit(), bad.toString());
        assertTrue(bad.output().contains("memory must be bytes with an optional unit"), bad.toString());
        String set = platform.hop3Ok("app", "limits", "hog", "memory=128M");
        assertTrue(set.contains("Limits:      memory=128M processes=32 files=256"), set);
        assertTrue(platform.hop3Ok("app", "releases", "--no-format", "hog").contains("Set limits memory=128M"));
    }

    @Test
    @Order(5)
    void anAppPortIsNotReachableFromAnotherNetworkWhileTheProxyServesTheApp() throws Exception {
        String info = platform.hop3Ok("app", "info", "hog");
        assertTrue(info.contains("App ports: loopback only (nftables)"), info);
        String ps = platform.hop3Ok("app", "ps", "--no-format", "hog");
        String port = ps.lines().filter(l -> l.startsWith("web.1\t")).findFirst().orElseThrow().split("\t")[3];
        String ns = "h3t" + UUID.randomUUID().toString().substring(0, 8);
        String host = "10.231.77.1";
        try {
            sh("ip netns add " + ns);
            sh("ip link add " + ns + "a type veth peer name " + ns + "b");
            sh("ip link set " + ns + "b netns " + ns);
            sh("ip addr add " + host + "/30 dev " + ns + "a && ip link set " + ns + "a up");
            sh("ip netns exec " + ns + " sh -c 'ip addr add 10.231.77.2/30 dev " + ns + "b && ip link set " + ns
                    + "b up && ip link set lo up'");
            Result proxy = run("ip netns exec " + ns + " curl -sS --max-time 5 -H 'Host: hog.localhost' http://" + host + ":"
                    + platform.httpPort + "/");
            assertEquals(0, proxy.exit(), "the proxy serves from outside: " + proxy);
            assertTrue(proxy.output().startsWith("pid="), proxy.toString());
            Result direct = run("ip netns exec " + ns + " curl -sS --max-time 3 http://" + host + ":" + port + "/");
            assertNotEquals(0, direct.exit(), "the app's own port answered from outside: " + direct);
            assertTrue(get("/").body().startsWith("pid="), "still served on loopback through the proxy");
        } finally {
            run("ip netns del " + ns);
            run("ip link del " + ns + "a");
        }
    }

    private static void sh(String command) throws IOException, InterruptedException {
        Result r = run(command);
        assertEquals(0, r.exit(), command + ": " + r);
    }

    private static Result run(String command) throws IOException, InterruptedException {
        return Command.run(Path.of("/"), Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), Duration.ofSeconds(30), "sh", "-c", command);
    }

    private static <T> T await(String what, Supplier<T> value) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (true) {
            T v = value.get();
            if (v != null) {
                return v;
            }
            if (System.nanoTime() > end) {
                fail("Timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}
