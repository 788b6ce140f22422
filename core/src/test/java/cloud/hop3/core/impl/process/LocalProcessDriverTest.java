package cloud.hop3.core.impl.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.process.ProcessException;
import cloud.hop3.api.process.ProcessLaunch;
import cloud.hop3.api.process.ProcessState;
import cloud.hop3.api.process.ProcessStatus;

class LocalProcessDriverTest extends DriverTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aProcessGetsExactlyTheGivenEnvironmentAndRunsInItsDirectory() throws Exception {
        LocalProcessDriver driver = driver();
        int port = freePort();

        ProcessStatus started = driver.start(launch("shop", "web", 1, "env; echo \"cwd=$(pwd)\"; exec sleep 1000", port));

        assertEquals(new ProcessStatus("shop.r1.web.1", AppName.of("shop"), 1, "web", 1, port, ProcessState.STARTING, 0,
                started.since()), started);
        await("the environment in the log", WAIT, () -> logText("shop", "web.1").contains("cwd="));
        Map<String, String> seen = new TreeMap<>();
        for (String line : Files.readAllLines(log("shop", "web.1"))) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("[hop3]") && !line.startsWith("cwd=")) {
                seen.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        assertEquals(Map.of("PATH", "/usr/bin:/bin", MARK, marker, "PORT", Integer.toString(port), "PWD", slug.toString()), seen,
                "the given variables, plus PWD that sh sets");
        Set<String> leaked = new HashSet<>(System.getenv().keySet());
        leaked.retainAll(seen.keySet());
        leaked.removeAll(List.of("PATH", "PWD"));
        assertEquals(Set.of(), leaked, "nothing of the JVM's environment");
        assertTrue(logText("shop", "web.1").contains("cwd=" + slug));
    }

    @Test
    void aProcessIsStartingThenRunningAfterASecond() throws Exception {
        LocalProcessDriver driver = driver();

        driver.start(launch("shop", "worker", 1, "exec sleep 1000"));

        assertEquals(ProcessState.STARTING, only(driver, "shop").state());
        await("running", Duration.ofSeconds(3), () -> inState(driver, "shop", ProcessState.RUNNING));
        ProcessStatus running = only(driver, "shop");
        assertEquals(0, running.restarts());
        assertTrue(running.since().isBefore(Instant.now()));
        assertEquals(List.of(), driver.status(AppName.of("blog")));
    }

    @Test
    void outputGoesToTheLogFileAndKeepsGoingThereWithoutTheDriver() throws Exception {
        LocalProcessDriver driver = driver();
        driver.start(launch("shop", "web", 1, "echo to-stdout; echo to-stderr >&2; i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.05; done"));
        await("output", WAIT, () -> logText("shop", "web.1").contains("tick 3"));
        assertTrue(logText("shop", "web.1").contains("to-stdout\n"));
        assertTrue(logText("shop", "web.1").contains("to-stderr\n"));

        driver.close();
        long size = Files.size(log("shop", "web.1"));

        await("more output after the driver closed", WAIT, () -> logText("shop", "web.1").length() > size + 100);
    }

    @Test
    void logsAreTheLastLinesAcrossProcessesWithTheirNames() throws Exception {
        LocalProcessDriver driver = driver();
        driver.start(launch("shop", "web", 1, "sleep 0.2; echo w1; echo w2; exec sleep 1000"));
        await("web output", WAIT, () -> logText("shop", "web.1").contains("w2"));
        pause(20);
        driver.start(launch("shop", "worker", 1, "sleep 0.2; echo k1; echo k2; exec sleep 1000"));
        await("worker output", WAIT, () -> logText("shop", "worker.1").contains("k2"));

        assertEquals(List.of("worker.1 | k1", "worker.1 | k2"), driver.tail(AppName.of("shop"), 2).lines());
        List<String> all = driver.tail(AppName.of("shop"), 100).lines();
        assertEquals(6, all.size(), all.toString());
        assertTrue(all.get(0).startsWith("web.1 | [hop3] ") && all.get(0).contains("web.1 started (pid "), all.get(0));
        assertEquals(List.of("web.1 | w1", "web.1 | w2"), all.subList(1, 3));
        assertTrue(all.get(3).startsWith("worker.1 | [hop3] "), all.get(3));
        assertEquals(List.of(), driver.tail(AppName.of("blog"), 10).lines());
    }

    @Test
    void stopGivesAProcessThatHandlesTermItsTime() throws Exception {
        LocalProcessDriver driver = driver();
        ProcessStatus s = driver.start(launch("shop", "web", 1,
                "trap 'echo got-term; sleep 0.5; echo bye; exit 0' TERM; echo ready; while true; do sleep 0.1; done"));
        await("ready", WAIT, () -> logText("shop", "web.1").contains("ready"));
        ProcessHandle leader = leader("shop", s.id());

        long t0 = System.nanoTime();
        driver.stop(s.id(), Duration.ofSeconds(5));
        long millis = (System.nanoTime() - t0) / 1_000_000;

        assertTrue(millis >= 400 && millis < 4000, "stopped after " + millis + " ms");
        assertTrue(logText("shop", "web.1").contains("got-term\nbye\n"), logText("shop", "web.1"));
        assertFalse(ProcStat.running(leader));
        assertEquals(List.of(), driver.status(AppName.of("shop")));
    }

    @Test
    void stopKillsAProcessThatIgnoresTermAfterTheGrace() throws Exception {
        LocalProcessDriver driver = driver();
        ProcessStatus s = driver.start(launch("shop", "web", 1, "trap '' TERM; echo ready; while true; do sleep 0.1; done"));
        await("ready", WAIT, () -> logText("shop", "web.1").contains("ready"));
        ProcessHandle leader = leader("shop", s.id());

        long t0 = System.nanoTime();
        driver.stop(s.id(), Duration.ofSeconds(1));
        long millis = (System.nanoTime() - t0) / 1_000_000;

        assertTrue(millis >= 950 && millis < 3000, "stopped after " + millis + " ms");
        assertFalse(ProcStat.running(leader));
        assertEquals(List.of(), markedProcesses());
    }

    @Test
    void stopKillsDescendantsAndWhatEscapedTheTree() throws Exception {
        LocalProcessDriver driver = driver();
        String arg = "1000." + ProcessHandle.current().pid();
        // the first sleep is orphaned at once (its subshell exits), so only the session still finds it
        ProcessStatus s = driver.start(launch("shop", "worker", 1, "(sleep " + arg + " &); sleep " + arg + " & sleep " + arg));
        await("three sleeps", WAIT, () -> sleeps(arg) == 3);
        ProcessHandle leader = leader("shop", s.id());
        assertEquals(2, leader.descendants().filter(h -> h.info().command().orElse("").endsWith("sleep")).count());

        driver.stop(s.id(), Duration.ofSeconds(5));

        assertEquals(0, sleeps(arg));
        assertEquals(List.of(), markedProcesses());
    }

    @Test
    void stopIsIdempotentAndForgetsTheProcess() throws Exception {
        LocalProcessDriver driver = driver();
        ProcessStatus s = driver.start(launch("shop", "web", 1, "exec sleep 1000"));
        assertEquals(1, ledger("shop").size());

        driver.stop(s.id(), Duration.ofSeconds(2));
        driver.stop(s.id(), Duration.ofSeconds(2));
        driver.stop("nothing.r1.web.1", Duration.ofSeconds(2));

        assertEquals(List.of(), driver.status(AppName.of("shop")));
        assertEquals(List.of(), ledger("shop"));
        assertFalse(Files.exists(home.resolve("apps/shop/processes.json")));
        assertTrue(logText("shop", "web.1").contains("web.1 stopped"));
    }

    @Test
    void startingAProcessThatRunsGivesTheNewOneAnIdOfItsOwn() throws Exception {
        // a restart starts the fresh processes of a release before it stops the old ones
        LocalProcessDriver driver = driver();
        String arg = "1001." + ProcessHandle.current().pid();
        ProcessLaunch launch = launch("shop", "web", 1, "exec sleep " + arg);

        ProcessStatus first = driver.start(launch);
        ProcessStatus again = driver.start(launch);

        assertNotEquals(first.id(), again.id());
        await("two sleeps", WAIT, () -> sleeps(arg) == 2);
        driver.stop(first.id(), Duration.ofSeconds(2));
        await("the new one alone", WAIT, () -> sleeps(arg) == 1);
        assertEquals(List.of(again.id()), driver.status(AppName.of("shop")).stream().map(ProcessStatus::id).toList());
    }

    @Test
    void stopAllStopsEveryProcessOfOneApp() throws Exception {
        LocalProcessDriver driver = driver();
        driver.start(launch("shop", "web", 1, "exec sleep 1000"));
        driver.start(launch("shop", "web", 2, "exec sleep 1000"));
        driver.start(launch("shop", "worker", 1, "trap '' TERM; while true; do sleep 0.1; done"));
        driver.start(launch("blog", "web", 1, "exec sleep 1000"));

        long t0 = System.nanoTime();
        assertEquals(3, driver.stopAll(AppName.of("shop"), Duration.ofSeconds(1)));
        long millis = (System.nanoTime() - t0) / 1_000_000;

        assertTrue(millis < 3000, "one grace period for all, took " + millis + " ms");
        assertEquals(List.of(), driver.status(AppName.of("shop")));
        assertEquals(1, driver.status(AppName.of("blog")).size());
        assertEquals(1, markedProcesses().size(), "only blog's process is left");
    }

    @Test
    void invalidLaunchesAreRefusedWithAReasonAndStartNothing() throws IOException {
        LocalProcessDriver driver = driver();
        ProcessLaunch good = launch("shop", "web", 1, "exec sleep 1000");

        ProcessException badType = assertThrows(ProcessException.class, () -> driver.start(
                new ProcessLaunch(good.app(), 1, "../../evil", 1, "true", slug, good.env(), 0)));
        ProcessException relative = assertThrows(ProcessException.class, () -> driver.start(
                new ProcessLaunch(good.app(), 1, "web", 1, "true", slug.getFileName(), good.env(), 0)));
        ProcessException missing = assertThrows(ProcessException.class, () -> driver.start(
                new ProcessLaunch(good.app(), 1, "web", 1, "true", slug.resolve("gone"), good.env(), 0)));
        ProcessException noCommand = assertThrows(ProcessException.class, () -> driver.start(
                new ProcessLaunch(good.app(), 1, "web", 1, " ", slug, good.env(), 0)));
        ProcessException badEnv = assertThrows(ProcessException.class, () -> driver.start(
                new ProcessLaunch(good.app(), 1, "web", 1, "true", slug, Map.of("A=B", "x"), 0)));

        assertTrue(badType.getMessage().contains("process type '../../evil' is not valid"), badType.getMessage());
        assertTrue(relative.getMessage().contains("absolute"), relative.getMessage());
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        assertTrue(noCommand.getMessage().contains("no command"), noCommand.getMessage());
        assertTrue(badEnv.getMessage().contains("'A=B'"), badEnv.getMessage());
        assertEquals(List.of(), driver.status(AppName.of("shop")));
        assertEquals(List.of(), ledger("shop"));
        assertFalse(Files.exists(tmp.resolve("evil.1.log")));
    }

    @Test
    void aLogThatIsASymbolicLinkIsReplacedNotWrittenThrough() throws Exception {
        Path target = Files.writeString(tmp.resolve("precious"), "keep me\n");
        Files.createDirectories(log("shop", "web.1").getParent());
        Files.createSymbolicLink(log("shop", "web.1"), target);
        LocalProcessDriver driver = driver();

        driver.start(launch("shop", "web", 1, "echo hello; exec sleep 1000"));

        await("output", WAIT, () -> logText("shop", "web.1").contains("hello"));
        assertFalse(Files.isSymbolicLink(log("shop", "web.1")));
        assertEquals("keep me\n", Files.readString(target));
    }

    @Test
    void theLedgerRecordsWhatRunsReadableByTheOwnerOnly() throws Exception {
        LocalProcessDriver driver = driver();
        int port = freePort();
        ProcessStatus s = driver.start(launch("shop", "web", 1, "exec sleep 1000", port));

        ProcessRecord r = recorded("shop", s.id());

        ProcessHandle h = r.identity().find().orElseThrow();
        assertEquals(h.info().startInstant().orElseThrow(), r.started());
        assertEquals(port, r.port());
        assertEquals("exec sleep 1000", r.command());
        assertEquals(Integer.toString(port), r.env().get("PORT"));
        assertEquals(slug.toString(), r.workingDirectory());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(home.resolve("apps/shop/processes.json"))));
    }
}
