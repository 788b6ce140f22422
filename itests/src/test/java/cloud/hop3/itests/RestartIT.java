package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import cloud.hop3.itests.Command.Result;

/**
 * The platform restarted, upgraded and killed while two apps serve under load, driven from
 * outside with {@code bin/hop3} as an operator does: the built-in proxy's listening sockets are
 * held by {@code bin/hop3-holder}, so that connections wait while the platform's JVM is gone
 * instead of being refused. {@code bin/hop3 restart} and an upgrade (stop --keep-listening, then
 * start from a newly unpacked build whose proxy bundle has another version) fail no request; the
 * apps keep their processes. A kill -9 in the middle of a deploy is followed by an automatic
 * restart that refuses no connection, and the next push deploys; the interrupted deploy (in its
 * release command, or in its build while an earlier release serves) is reported by app:info, in
 * the log and in the audit trail, its build folder and release directory are removed, and it
 * never becomes current. The figures are printed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestartIT {

    private static final String UPGRADED = "0.1.0.upgraded";
    /**
     * How long the clients wait for an answer: a browser waits minutes. An upgrade's first boot of
     * the new build (installing its features) can keep requests waiting longer than 30 s on a
     * busy machine.
     */
    private static final int CLIENT_TIMEOUT_MILLIS = 120_000;

    private static final String INTERRUPTED = "last deploy interrupted by a platform stop";
    /** The build command's sleep, by which the test finds it to end it: killing the platform leaves it running. */
    private static final String SLOW_BUILD = "sleep 117";

    private static Distribution platform;
    private static final Map<String, AppSource> sources = new java.util.HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        platform = new Distribution();
        // the restarts map the class archive that the first stop writes, as an operator's do
        platform.environment().remove("HOP3_CDS");
        Distribution.ok(platform.hop3("start"));
        for (String app : List.of("one", "two")) {
            sources.put(app, app(app, ""));
            Result push = sources.get(app).commitAndPush("first");
            assertEquals(0, push.exit(), push.toString());
            assertEquals("hello from " + app, Http.get(platform.httpPort, app + ".localhost", "/").body());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains(SLOW_BUILD)).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
        if (platform != null) {
            platform.close();
        }
    }

    /** A Python app that answers "hello from <name>"; {@code release} is its Procfile's release command, if any. */
    private static AppSource app(String name, String release) throws IOException, InterruptedException {
        return new AppSource(platform, name).writeAll(Map.of(
                "Procfile", "web: /usr/bin/python3 app.py\n" + (release.isEmpty() ? "" : "release: " + release + "\n"),
                "release.py", "import os, time\n"
                        + "open(os.path.join(os.environ.get('DATA_DIR', '.'), 'release-started'), 'w').close()\n"
                        + "time.sleep(60)\n",
                "app.py", "import os\n"
                        + "from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer\n"
                        + "class Handler(BaseHTTPRequestHandler):\n"
                        + "    def do_GET(self):\n"
                        + "        body = b'hello from " + name + "'\n"
                        + "        self.send_response(200)\n"
                        + "        self.send_header('Content-Length', str(len(body)))\n"
                        + "        self.end_headers()\n"
                        + "        self.wfile.write(body)\n"
                        + "    def log_message(self, *args):\n"
                        + "        pass\n"
                        + "ThreadingHTTPServer(('127.0.0.1', int(os.environ['PORT'])), Handler).serve_forever()\n"));
    }

    @Test
    @Order(1)
    void aRestartFailsNoRequestAndTheAppsKeepTheirProcesses() throws Exception {
        List<String> processes = processes();
        assertEquals(2, processes.size(), "one web process each: " + processes);
        try (Load one = new Load(2, platform.httpPort, "one.localhost", "/", CLIENT_TIMEOUT_MILLIS);
             Load two = new Load(2, platform.httpPort, "two.localhost", "/", CLIENT_TIMEOUT_MILLIS)) {
            awaitMore(one, two, 20);
            long start = System.nanoTime();
            platform.hop3Ok("restart");
            awaitMore(one, two, 20);
            report("restart", start, one, two);
            assertEquals(List.of(), one.failures(), "requests to one that failed across the restart");
            assertEquals(List.of(), two.failures(), "requests to two that failed across the restart");
        }
        assertEquals(processes, processes(), "the apps' processes were adopted, not started again");
        String holderLog = Files.readString(platform.home.resolve("run/holder.log"));
        assertEquals(1, holderLog.split("listening on 0.0.0.0:" + platform.httpPort + "\n", -1).length - 1,
                "the holder bound the HTTP port once, and kept it: " + holderLog);
    }

    @Test
    @Order(2)
    void anUpgradeToAnotherBuildFailsNoRequest() throws Exception {
        Path next = platform.unpackAnother("next");
        // the newer build: its proxy bundle has another version
        Path jar;
        try (Stream<Path> jars = Files.walk(next.resolve("system/cloud/hop3/proxy-builtin"))) {
            jar = jars.filter(p -> p.toString().endsWith(".jar")).findFirst().orElseThrow();
        }
        Files.copy(BundleJars.withVersion(jar, UPGRADED), jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertNotEquals(UPGRADED, proxyVersion());
        List<String> processes = processes();
        try (Load one = new Load(2, platform.httpPort, "one.localhost", "/", CLIENT_TIMEOUT_MILLIS);
             Load two = new Load(2, platform.httpPort, "two.localhost", "/", CLIENT_TIMEOUT_MILLIS)) {
            awaitMore(one, two, 20);
            long start = System.nanoTime();
            String stopped = platform.hop3Ok("stop", "--keep-listening");
            assertTrue(stopped.contains("listening sockets stay open"), stopped);
            Result started = platform.hop3At(next, "start");
            assertEquals(0, started.exit(), started.toString());
            platform.upgradedTo(next);
            awaitMore(one, two, 20);
            report("upgrade", start, one, two);
            assertEquals(List.of(), one.failures(), "requests to one that failed across the upgrade");
            assertEquals(List.of(), two.failures(), "requests to two that failed across the upgrade");
        }
        assertEquals(UPGRADED, proxyVersion(), "the new build serves");
        assertEquals(processes, processes(), "the apps' processes were adopted by the new build");
    }

    @Test
    @Order(3)
    void aKillMidDeployIsFollowedByARestartThatRefusesNoConnectionAndTheNextPushWorks() throws Exception {
        AppSource three = app("three", "/usr/bin/python3 release.py");
        CompletableFuture<Result> push = CompletableFuture.supplyAsync(() -> {
            try {
                return three.commitAndPush("slow release");
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Hop3TestSupport.await("the release command of three", Duration.ofMinutes(3), () -> releaseStarted("three"));
        try (Load one = new Load(2, platform.httpPort, "one.localhost", "/", CLIENT_TIMEOUT_MILLIS);
             Load two = new Load(2, platform.httpPort, "two.localhost", "/", CLIENT_TIMEOUT_MILLIS)) {
            awaitMore(one, two, 20);
            List<ProcessHandle> jvms = ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().map(c -> c.contains("-Dkaraf.base=" + platform.directory() + " "))
                            .orElse(false))
                    .toList();
            assertEquals(1, jvms.size(), "one platform JVM: " + jvms);
            long start = System.nanoTime();
            jvms.get(0).destroyForcibly();
            // a request sent after the kill waits for the platform that the supervisor starts again
            Http.Response first = Http.get(platform.httpPort, "one.localhost", "/", CLIENT_TIMEOUT_MILLIS);
            long toServe = (System.nanoTime() - start) / 1_000_000;
            assertEquals(200, first.status(), first.toString());
            awaitMore(one, two, 20);
            report("kill -9", start, one, two);
            System.out.printf("RestartIT kill -9: served again after %d ms%n", toServe);
            assertEquals(0, one.refused() + two.refused(), "connections refused after the kill: " + one.failures()
                    + two.failures());
        }
        Result interrupted = push.get();
        assertNotEquals(0, interrupted.exit(), "a push whose platform died must not succeed: " + interrupted);
        assertTrue(platform.hop3Ok("status").contains("running"));
        String info = awaitInterruptionReported("three");
        assertTrue(info.contains("Release:   not deployed"), "the interrupted first deploy never became current: " + info);
        assertEquals(List.of(), entries(platform.home.resolve("apps/three/releases")), "its release directory is removed");
        assertEquals(List.of(), entries(platform.home.resolve("tmp/builds")), "its build folder is removed");

        Result next = three.write("Procfile", "web: /usr/bin/python3 app.py\n").commitAndPush("no release command");
        assertEquals(0, next.exit(), next.toString());
        assertEquals("hello from three", Http.get(platform.httpPort, "three.localhost", "/").body());
        assertTrue(!platform.hop3Ok("app", "info", "three").contains(INTERRUPTED), "a deploy that succeeds clears the report");
        String log = Files.readString(platform.directory().resolve("data/log/supervisor.log"));
        assertTrue(log.contains("died (status 137) without a stop being asked; starting it again"), log);
    }

    @Test
    @Order(4)
    void aDeployKilledMidBuildIsReportedItsFilesRemovedAndThePreviousReleaseServes() throws Exception {
        AppSource one = sources.get("one");
        String serving = releaseLine(platform.hop3Ok("app", "info", "one"));
        int current = Integer.parseInt(serving.replaceFirst("^Release: +v([0-9]+) .*$", "$1"));
        one.write("Procfile", "web: /usr/bin/python3 app.py\nprebuild: touch \"$HOME/build-started\" && " + SLOW_BUILD + "\n")
                .commit("a build that takes its time");
        String revision = one.gitOut("rev-parse", "--short=7", "HEAD");
        CompletableFuture<Result> push = CompletableFuture.supplyAsync(() -> {
            try {
                return one.push("main");
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Path started = platform.home.resolve("apps/one/data/build-started");
        Hop3TestSupport.await("the build of one", Duration.ofMinutes(3), () -> Files.exists(started));
        Path half = platform.home.resolve("apps/one/releases/" + (current + 1));
        assertTrue(Files.isDirectory(half), "the release being built: " + entries(half.getParent()));
        assertEquals(1, entries(platform.home.resolve("tmp/builds")).size(), "the push's build folder");

        killPlatform();
        assertEquals("hello from one", Http.get(platform.httpPort, "one.localhost", "/", CLIENT_TIMEOUT_MILLIS).body(),
                "the previous release serves after the restart");
        Result interrupted = push.get();
        assertNotEquals(0, interrupted.exit(), "a push whose platform died must not succeed: " + interrupted);

        String info = awaitInterruptionReported("one");
        info.lines().filter(l -> l.contains(INTERRUPTED)).forEach(l -> System.out.println("RestartIT app:info one: " + l));
        assertTrue(info.contains("revision " + revision), info);
        assertEquals(serving, releaseLine(info), "the interrupted release never became current");
        assertTrue(!Files.exists(half), "the half-made release directory is removed: " + entries(half.getParent()));
        assertEquals(List.of(), entries(platform.home.resolve("tmp/builds")), "the build folder is removed");
        String log = Files.readString(platform.directory().resolve("data/log/karaf.log"));
        assertTrue(log.contains("App one: the deploy of revision " + revision), "a warning in the platform's log");
        String audit = platform.hop3Ok("audit", "list", "--no-format", "--app", "one");
        assertTrue(audit.lines().anyMatch(l -> l.contains("app.deploy") && l.contains(revision) && l.contains("git")
                && l.contains("failed: interrupted by a platform stop")), audit);
        assertEquals("hello from one", Http.get(platform.httpPort, "one.localhost", "/").body());

        Result next = one.write("Procfile", "web: /usr/bin/python3 app.py\n").commitAndPush("a quick build again");
        assertEquals(0, next.exit(), next.toString());
        String after = platform.hop3Ok("app", "info", "one");
        assertTrue(after.contains("Release:   v" + (current + 1) + " "), after);
        assertTrue(!after.contains(INTERRUPTED), "a deploy that succeeds clears the report: " + after);
        assertEquals("hello from one", Http.get(platform.httpPort, "one.localhost", "/").body());
    }

    @Test
    @Order(5)
    void aStopClosesTheListeningSockets() throws Exception {
        assertTrue(!refused(platform.httpPort), "the HTTP port listens while the platform runs");
        String stopped = platform.hop3Ok("stop");
        assertTrue(stopped.contains("listening sockets are closed"), stopped);
        assertTrue(refused(platform.httpPort), "the HTTP port still listens after bin/hop3 stop");
        assertTrue(platform.hop3("status").exit() == 3);
    }

    /** Kills the platform's JVM with SIGKILL; the supervisor of bin/hop3 starts it again. */
    private static void killPlatform() {
        List<ProcessHandle> jvms = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("-Dkaraf.base=" + platform.directory() + " "))
                        .orElse(false))
                .toList();
        assertEquals(1, jvms.size(), "one platform JVM: " + jvms);
        jvms.get(0).destroyForcibly();
    }

    /** app:info of the app once the platform, started again, reports its interrupted deploy. */
    private static String awaitInterruptionReported(String app) throws InterruptedException {
        String[] info = {""};
        Hop3TestSupport.await("app:info " + app + " reporting the interrupted deploy", Duration.ofMinutes(2), () -> {
            try {
                Result r = platform.hop3("app", "info", app);
                info[0] = r.output();
                return r.exit() == 0 && info[0].contains(INTERRUPTED);
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        });
        return info[0];
    }

    private static String releaseLine(String info) {
        return info.lines().filter(l -> l.startsWith("Release:")).findFirst().orElseThrow(() -> new AssertionError(info));
    }

    /** The names in a directory, sorted; none when it does not exist. */
    private static List<String> entries(Path dir) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (java.nio.file.NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean releaseStarted(String app) {
        try (Stream<Path> files = Files.walk(platform.home.resolve("apps").resolve(app))) {
            return files.anyMatch(p -> p.getFileName().toString().equals("release-started"));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    /**
     * Each process of one and two with its port and restarts: the same after an adoption, where
     * a process started again would have a fresh port. (Its state may move from starting to
     * running meanwhile, and its start time is read from the system once adopted, to the second.)
     */
    private static List<String> processes() throws IOException, InterruptedException {
        String ps = platform.hop3Ok("app", "ps", "--no-format", "one") + platform.hop3Ok("app", "ps", "--no-format", "two");
        return ps.lines().map(line -> line.split("\t"))
                .filter(cells -> cells.length >= 6 && cells[0].strip().startsWith("web."))
                .map(cells -> cells[0].strip() + " port " + cells[3].strip() + ", restarts " + cells[4].strip())
                .toList();
    }

    private static String proxyVersion() throws IOException, InterruptedException {
        return PluginListing.row(platform.hop3Ok("plugin", "list", "--no-format"), "proxy", "builtin").orElseThrow().get(3);
    }

    /** Waits until each load has {@code more} answers 200 beyond those it has now. */
    private static void awaitMore(Load one, Load two, int more) throws InterruptedException {
        int a = one.succeeded() + more;
        int b = two.succeeded() + more;
        Hop3TestSupport.await("answers from both apps", Duration.ofMinutes(3),
                () -> one.succeeded() >= a && two.succeeded() >= b);
    }

    private static void report(String what, long startNanos, Load one, Load two) {
        System.out.printf("RestartIT %s: %d ms until 20 more answers from each app; %d requests answered 200, %d failed"
                        + " (%d refused); longest request %d ms%n", what, (System.nanoTime() - startNanos) / 1_000_000,
                one.succeeded() + two.succeeded(), one.failures().size() + two.failures().size(),
                one.refused() + two.refused(), Math.max(one.longestMillis(), two.longestMillis()));
    }

    private static boolean refused(int port) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
