package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
 * git push to a live app, end to end: the real git and ssh clients push to the distribution's
 * git server, and every answer is fetched through its proxy.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ResourceLock(Distribution.SITE_APPS)
class GitPushIT {

    private static Distribution platform;

    @BeforeAll
    static void start() throws Exception {
        platform = new Distribution();
        Result start = platform.hop3("start");
        assertEquals(0, start.exit(), start.toString());
        assertTrue(start.output().contains("git push ssh://git@"), "start says how to push: " + start);
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void staticSiteIsServedByTheProxy() throws Exception {
        AppSource site = new AppSource(platform, "site");
        site.write("public/index.html", "<h1>static site v1</h1>").write(".env", "SECRET=no");
        Result push = site.commitAndPush("first");
        assertEquals(0, push.exit(), push.toString());
        assertTrue(push.output().contains("remote: -----> Building with static"), push.toString());
        assertEquals("<h1>static site v1</h1>", get("site", "/").body());
        assertEquals(404, get("site", "/.env").status());
        assertEquals(404, get("unknown-app", "/").status());
    }

    @Test
    @Order(1)
    void cronEntriesArePushedWithAWorker() throws Exception {
        // checked by the last test, so that the minute a cron entry waits for passes meanwhile
        AppSource app = new AppSource(platform, "ticker");
        app.write("Procfile", "worker: while true; do sleep 1; done\ncron: * * * * * echo tick-$APP\n");
        Result push = app.commitAndPush("cron");
        assertEquals(0, push.exit(), push.toString());
        assertTrue(platform.hop3Ok("app", "ps", "--no-format", "ticker").startsWith("worker.1\t"));
    }

    @Test
    @Order(2)
    void pythonAppIsBuiltRunAndRouted() throws Exception {
        AppSource py = new AppSource(platform, "py");
        py.writeAll(AppSource.pythonApp("hello"));
        Result push = py.commitAndPush("first");
        assertEquals(0, push.exit(), push.toString());
        assertTrue(push.output().contains("remote: -----> Building with python"), push.toString());
        assertTrue(get("py", "/").body().startsWith("hello from python"));
        String ps = platform.hop3Ok("app", "ps", "--no-format", "py");
        assertTrue(ps.matches("(?s)web\\.1\t(starting|running)\tv1\t.*"), ps);
    }

    @Test
    @Order(3)
    void nodeAppWithAnNpmDependency() throws Exception {
        AppSource node = new AppSource(platform, "nodeapp");
        node.write("package.json", """
                {"name": "nodeapp", "version": "1.0.0", "private": true,
                 "dependencies": {"is-number": "7.0.0"},
                 "scripts": {"start": "node server.js"}}
                """);
        node.write("server.js", """
                const http = require('http');
                const isNumber = require('is-number');
                http.createServer((req, res) => res.end('node says ' + isNumber(process.env.PORT)))
                    .listen(process.env.PORT, '127.0.0.1');
                """);
        Result push = node.commitAndPush("first");
        assertEquals(0, push.exit(), push.toString());
        assertTrue(push.output().contains("Building with node"), push.toString());
        assertEquals("node says true", get("nodeapp", "/").body());
    }

    @Test
    @Order(4)
    void redeployUnderLoadDropsNoRequest() throws Exception {
        AppSource app = new AppSource(platform, "steady");
        app.writeAll(AppSource.pythonApp("one"));
        assertEquals(0, app.commitAndPush("v1").exit());
        assertTrue(get("steady", "/").body().startsWith("one"));

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        Set<String> bodies = java.util.Collections.synchronizedSet(new HashSet<>());
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Thread t = new Thread(() -> {
                while (running.get()) {
                    try {
                        Http.Response r = get("steady", "/");
                        if (r.status() == 200) {
                            ok.incrementAndGet();
                            bodies.add(r.body().substring(0, 3));
                        } else {
                            failures.add("status " + r.status());
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
            app.writeAll(AppSource.pythonApp("two"));
            Result push = app.commitAndPush("v2");
            assertEquals(0, push.exit(), push.toString());
            await("the new release to answer", () -> bodies.contains("two"));
            Thread.sleep(500);
        } finally {
            running.set(false);
            for (Thread t : clients) {
                t.join(10_000);
            }
        }
        assertEquals(List.of(), failures, "failed requests during the redeploy (" + ok.get() + " succeeded)");
        assertTrue(ok.get() > 20, "requests were sent: " + ok.get());
        assertTrue(get("steady", "/").body().startsWith("two"));
    }

    @Test
    @Order(5)
    void failedBuildAndFailedReleaseKeepTheOldRelease() throws Exception {
        AppSource app = new AppSource(platform, "careful");
        app.writeAll(AppSource.pythonApp("good"));
        assertEquals(0, app.commitAndPush("good").exit());

        app.write("requirements.txt", "surely-not-a-package==0.0.1\n");
        Result badBuild = app.commitAndPush("bad dependency");
        assertNotEquals(0, badBuild.exit(), badBuild.toString());
        assertTrue(badBuild.output().contains("deploy failed"), badBuild.toString());
        assertTrue(get("careful", "/").body().startsWith("good"));

        app.writeAll(AppSource.pythonApp("never"));
        app.write("Procfile", "web: python app.py\nrelease: echo migrating; exit 3\n");
        Result badRelease = app.commitAndPush("bad release");
        assertNotEquals(0, badRelease.exit(), badRelease.toString());
        assertTrue(badRelease.output().contains("migrating"), badRelease.toString());
        assertTrue(badRelease.output().contains("status 3"), badRelease.toString());
        assertTrue(get("careful", "/").body().startsWith("good"));

        String releases = platform.hop3Ok("app", "releases", "--no-format", "careful");
        assertEquals(1, releases.lines().filter(l -> l.startsWith("v")).count(), releases);
    }

    @Test
    @Order(6)
    void killedProcessIsServingAgainWithinASecond() throws Exception {
        String before = get("py", "/").body();
        long pid = Long.parseLong(before.replaceAll(".*pid (\\d+),.*", "$1"));
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        long killed = System.nanoTime();
        await("py to answer again", () -> {
            try {
                Http.Response r = get("py", "/");
                return r.status() == 200 && !r.body().contains("pid " + pid + ",");
            } catch (IOException e) {
                return false;
            }
        });
        long millis = (System.nanoTime() - killed) / 1_000_000;
        assertTrue(millis < 3000, "serving again after " + millis + " ms");
    }

    @Test
    @Order(7)
    void configChangeAndRollback() throws Exception {
        platform.hop3Ok("app", "config-set", "py", "GREETING=bonjour");
        assertTrue(get("py", "/").body().endsWith("greeting=bonjour"));
        String config = platform.hop3Ok("app", "config", "--shell", "py");
        assertTrue(config.contains("GREETING='bonjour'"), config);

        platform.hop3Ok("app", "rollback", "py");
        assertTrue(get("py", "/").body().endsWith("greeting=none"));
        String releases = platform.hop3Ok("app", "releases", "--no-format", "py");
        assertTrue(releases.contains("Rollback to v1"), releases);
    }

    @Test
    @Order(8)
    void scaledWebProcessesShareTheRequests() throws Exception {
        platform.hop3Ok("app", "scale", "py", "web=3");
        Set<String> pids = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            pids.add(get("py", "/").body().replaceAll(".*pid (\\d+),.*", "$1"));
        }
        assertEquals(3, pids.size(), "answers came from " + pids);
        String ps = platform.hop3Ok("app", "ps", "--no-format", "py");
        assertEquals(3, ps.lines().filter(l -> l.startsWith("web.")).count(), ps);
        platform.hop3Ok("app", "scale", "py", "web=1");
    }

    @Test
    @Order(9)
    void domainsAndOneOffCommands() throws Exception {
        platform.hop3Ok("app", "domains-add", "py", "www.example.org");
        assertTrue(Http.get(platform.httpPort, "www.example.org", "/").body().contains("from python"));
        Result taken = platform.hop3("app", "domains-add", "site", "www.example.org");
        assertNotEquals(0, taken.exit(), taken.toString());
        assertTrue(taken.output().contains("used by app 'py'"), taken.toString());
        platform.hop3Ok("app", "domains-remove", "py", "www.example.org");
        assertEquals(404, Http.get(platform.httpPort, "www.example.org", "/").status());

        // the domain scope does the same, and lists every host name of an app
        String added = platform.hop3Ok("domain", "add", "py", "API.Example.org.");
        assertTrue(added.contains("App py now answers to api.example.org."), added);
        assertTrue(Http.get(platform.httpPort, "api.example.org", "/").body().contains("from python"));
        String listed = platform.hop3Ok("domain", "list", "--no-format", "py");
        assertEquals(List.of("py\tpy.localhost\tdefault", "py\tapi.example.org\tadded"), listed.lines().toList(), listed);
        Result bad = platform.hop3("domain", "add", "py", "not a host");
        assertNotEquals(0, bad.exit(), bad.toString());
        Result notAdded = platform.hop3("domain", "remove", "py", "other.example.org");
        assertNotEquals(0, notAdded.exit(), notAdded.toString());
        assertTrue(notAdded.output().contains("has no domain other.example.org"), notAdded.toString());
        platform.hop3Ok("domain", "remove", "py", "api.example.org");
        assertEquals(404, Http.get(platform.httpPort, "api.example.org", "/").status());

        String run = platform.hop3Ok("app", "run", "py", "echo app=$APP; python -c \"import sys; print(sys.prefix)\"");
        assertTrue(run.contains("app=py"), run);
        assertTrue(run.contains("/apps/py/"), "the release's virtualenv: " + run);
        Result failing = platform.hop3("app", "run", "py", "exit 7");
        assertNotEquals(0, failing.exit(), failing.toString());
        assertTrue(failing.output().contains("status 7"), failing.toString());
    }

    @Test
    @Order(9)
    void buildCommandsOfHop3TomlRunInTheSlug() throws Exception {
        AppSource app = new AppSource(platform, "built");
        app.writeAll(AppSource.pythonApp("built"));
        app.write("hop3.toml", "[build]\nbefore-build = \"echo first > order.txt\"\nbuild = [\"echo second >> order.txt\"]\n");
        Result push = app.commitAndPush("with build commands");
        assertEquals(0, push.exit(), push.toString());
        assertTrue(push.output().contains("remote: -----> Running echo first > order.txt"), push.toString());
        String run = platform.hop3Ok("app", "run", "built", "cat order.txt");
        assertTrue(run.contains("first\nsecond"), run);

        app.write("hop3.toml", "[build]\nbuild = \"exit 4\"\n");
        Result failing = app.commitAndPush("failing build command");
        assertNotEquals(0, failing.exit(), failing.toString());
        assertTrue(failing.output().contains("exit status 4"), failing.toString());
        assertTrue(get("built", "/").body().startsWith("built"));
    }

    @Test
    @Order(9)
    void aBuildOverItsTimeLimitIsStoppedAndTheAppKeepsServing() throws Exception {
        AppSource app = new AppSource(platform, "slow");
        app.writeAll(AppSource.pythonApp("slow"));
        assertEquals(0, app.commitAndPush("first").exit());
        platform.hop3Ok("app", "config-set", "slow", "HOP3_BUILD_TIMEOUT=3s");
        String pidFile = platform.home.resolve("slow-build.pid").toString();

        app.write("hop3.toml", "[build]\nbuild = \"echo $$ > " + pidFile + "; sleep 120\"\n");
        long t0 = System.nanoTime();
        Result push = app.commitAndPush("a build that hangs");
        long seconds = (System.nanoTime() - t0) / 1_000_000_000;

        assertNotEquals(0, push.exit(), push.toString());
        assertTrue(push.output().contains("The build did not finish within 3 seconds and was stopped"), push.toString());
        assertTrue(seconds < 30, "the push ended after " + seconds + " s");
        long pid = Long.parseLong(java.nio.file.Files.readString(Path.of(pidFile)).trim());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the build's shell was stopped");
        assertTrue(get("slow", "/").body().startsWith("slow"), "the first release still serves");

        platform.hop3Ok("app", "config-set", "slow", "HOP3_BUILD_TIMEOUT=soon");
        app.write("hop3.toml", "[build]\nbuild = \"true\"\n");
        Result bad = app.commitAndPush("a limit that is not a duration");
        assertNotEquals(0, bad.exit(), bad.toString());
        assertTrue(bad.output().contains("HOP3_BUILD_TIMEOUT='soon' is not a build time limit"), bad.toString());
    }

    @Test
    @Order(9)
    void unknownKeysCannotPush() throws Exception {
        Path stranger = platform.work.resolve("stranger");
        Distribution.ok(Command.run(platform.work, java.util.Map.of(), Distribution.TIMEOUT,
                "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", stranger.toString()));
        AppSource app = new AppSource(platform, "intruder");
        app.writeAll(AppSource.pythonApp("x"));
        app.commitAndPush("first");
        Result push = app.pushTo("intruder-app", platform.gitSsh().replace(platform.adminKey.toString(), stranger.toString()));
        assertNotEquals(0, push.exit(), push.toString());
        assertTrue(push.output().contains("Permission denied"), push.toString());
        assertFalse(platform.hop3Ok("app", "list", "--no-format").contains("intruder-app"));
    }

    @Test
    @Order(9)
    void badInputIsRefusedAndCreatesNothing() throws Exception {
        AppSource app = new AppSource(platform, "anything");
        app.writeAll(AppSource.pythonApp("x"));
        app.commitAndPush("first").exit();
        for (String bad : List.of("Bad_Name", "-x", "a..b", "x".repeat(70))) {
            Result push = app.pushTo(bad);
            assertNotEquals(0, push.exit(), push.toString());
            assertTrue(push.output().contains("Invalid app name"), push.toString());
        }
        String apps = platform.hop3Ok("app", "list", "--no-format");
        assertFalse(apps.toLowerCase().contains("bad_name"), apps);

        AppSource procfile = new AppSource(platform, "badprocfile");
        procfile.write("Procfile", "web python app.py\n").write("app.py", "print(1)\n");
        Result bad = procfile.commitAndPush("bad procfile");
        assertNotEquals(0, bad.exit(), bad.toString());
        assertTrue(bad.output().contains("Procfile line 1"), bad.toString());

        AppSource toml = new AppSource(platform, "badtoml");
        toml.writeAll(AppSource.pythonApp("t")).write("hop3.toml", "[build]\nbulider = \"python\"\n");
        Result badToml = toml.commitAndPush("bad toml");
        assertNotEquals(0, badToml.exit(), badToml.toString());
        assertTrue(badToml.output().contains("hop3.toml line 2"), badToml.toString());
        assertEquals(404, get("badtoml", "/").status());
    }

    @Test
    @Order(10)
    void appsServeAgainAfterAPlatformRestartWithoutDuplicates() throws Exception {
        String before = get("py", "/").body();
        platform.hop3Ok("stop");
        platform.hop3Ok("start");
        await("py after the restart", () -> {
            try {
                return get("py", "/").status() == 200;
            } catch (IOException e) {
                return false;
            }
        });
        assertEquals(before, get("py", "/").body(), "the same process serves: it was adopted, not restarted");
        assertEquals("<h1>static site v1</h1>", get("site", "/").body());
        String ps = platform.hop3Ok("app", "ps", "--no-format", "py");
        assertEquals(1, ps.lines().filter(l -> l.startsWith("web.")).count(), ps);
        assertEquals(1, pythonServersOf("py"), "one python server for py, not a second one after the restart");
    }

    /** The python interpreters running in an app's releases (their working directory is the slug). */
    private static long pythonServersOf(String app) {
        String appDir = platform.home.resolve("apps").resolve(app).toString() + "/";
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.contains("python")).orElse(false))
                .filter(p -> {
                    try {
                        return java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc", String.valueOf(p.pid()), "cwd"))
                                .toString().startsWith(appDir);
                    } catch (IOException | UnsupportedOperationException e) {
                        return false;
                    }
                }).count();
    }

    @Test
    @Order(11)
    void cronEntriesRunOnScheduleWithTheirOutputInTheLogs() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(75).toNanos();
        String logs = "";
        while (System.nanoTime() < deadline && !logs.contains("tick-ticker")) {
            logs = platform.hop3Ok("app", "logs", "ticker");
            Thread.sleep(1000);
        }
        assertTrue(logs.contains("cron.1 | tick-ticker"), logs);
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
