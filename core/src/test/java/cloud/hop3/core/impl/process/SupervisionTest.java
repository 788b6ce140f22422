package cloud.hop3.core.impl.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.process.ProcessState;
import cloud.hop3.api.process.ProcessStatus;

class SupervisionTest extends DriverTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final RestartPolicy QUICK = new RestartPolicy(Duration.ofMillis(50), Duration.ofSeconds(30),
            Duration.ofSeconds(60), 5, Duration.ofSeconds(60));

    @Test
    void aWebServerKilledWithSigkillServesAgainOnItsPortWithinASecond() throws Exception {
        LocalProcessDriver driver = driver();
        int port = freePort();
        ProcessStatus s = driver.start(launch("shop", "web", 1, httpServer(), port));
        await("serving", WAIT, () -> serves(port));
        ProcessHandle server = leader("shop", s.id()).children().findFirst().orElseThrow();
        assertTrue(server.info().command().orElse("").contains("python3"), server.info().toString());

        long t0 = System.nanoTime();
        server.destroyForcibly();
        await("not serving", Duration.ofSeconds(2), () -> !serves(port));
        await("serving again", Duration.ofSeconds(3), () -> serves(port));
        long millis = (System.nanoTime() - t0) / 1_000_000;

        System.out.println("Restart latency after kill -9 of the server: " + millis + " ms");
        assertTrue(millis < 1500, "served again after " + millis + " ms");
        ProcessStatus after = only(driver, "shop");
        assertEquals(s.id(), after.id());
        assertEquals(port, after.port());
        assertEquals(1, after.restarts());
        await("the restart recorded", WAIT, () -> restartsInLedger(s.id()) == 1);
        assertTrue(logText("shop", "web.1").contains("web.1 exited with status 137; restarting in 0.5 s"), logText("shop", "web.1"));
    }

    @Test
    void aKilledShellIsRestartedAndTheServerItLeftBehindIsStopped() throws Exception {
        LocalProcessDriver driver = driver();
        int port = freePort();
        ProcessStatus s = driver.start(launch("shop", "web", 1, httpServer(), port));
        await("serving", WAIT, () -> serves(port));
        ProcessHandle shell = leader("shop", s.id());
        ProcessHandle orphan = shell.children().findFirst().orElseThrow();

        long t0 = System.nanoTime();
        shell.destroyForcibly();
        await("the orphaned server gone", Duration.ofSeconds(3), () -> !ProcStat.running(orphan));
        await("serving again", Duration.ofSeconds(3), () -> serves(port) && leaderChanged(s.id(), shell));
        long millis = (System.nanoTime() - t0) / 1_000_000;

        System.out.println("Restart latency after kill -9 of the shell: " + millis + " ms");
        assertEquals(2, markedProcesses().size(), "one new shell and its server: " + markedProcesses());
        assertEquals(1, only(driver, "shop").restarts());
    }

    private int restartsInLedger(String id) {
        try {
            return recorded("shop", id).restarts();
        } catch (Exception e) {
            return -1;
        }
    }

    private boolean crashedInLedger(String id) {
        try {
            return recorded("shop", id).crashed();
        } catch (Exception e) {
            return false;
        }
    }

    private boolean leaderChanged(String id, ProcessHandle old) {
        try {
            return recorded("shop", id).pid() != old.pid();
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void aCrashLoopEndsInCrashedWithoutFurtherRestartsUntilStartedAgain() throws Exception {
        LocalProcessDriver driver = driver(DriverOptions.DEFAULT.withRestartPolicy(QUICK));

        ProcessStatus s = driver.start(launch("shop", "worker", 1, "echo crash; exit 3"));

        await("crashed", WAIT, () -> inState(driver, "shop", ProcessState.CRASHED));
        ProcessStatus crashed = only(driver, "shop");
        assertEquals(4, crashed.restarts());
        assertEquals(5, count(logText("shop", "worker.1"), "crash\n"));
        assertTrue(logText("shop", "worker.1").contains("worker.1 exited with status 3, 5 crashes within 60 s; not restarting it"),
                logText("shop", "worker.1"));
        await("recorded as crashed", WAIT, () -> crashedInLedger(s.id()));
        pause(500);
        assertEquals(5, count(logText("shop", "worker.1"), "crash\n"), "no restart after the loop");
        assertEquals(crashed, only(driver, "shop"));

        ProcessStatus again = driver.start(launch("shop", "worker", 1, "echo crash; exit 3"));

        assertNotEquals(ProcessState.CRASHED, again.state());
        await("crashed again", WAIT, () -> inState(driver, "shop", ProcessState.CRASHED));
        assertEquals(10, count(logText("shop", "worker.1"), "crash\n"));
    }

    @Test
    void aRestartingProcessThatIsStoppedIsNotRestarted() throws Exception {
        LocalProcessDriver driver = driver(DriverOptions.DEFAULT.withRestartPolicy(new RestartPolicy(Duration.ofMillis(500),
                Duration.ofSeconds(30), Duration.ofSeconds(60), 5, Duration.ofSeconds(60))));
        ProcessStatus s = driver.start(launch("shop", "worker", 1, "echo once; exit 1"));
        await("restarting", WAIT, () -> inState(driver, "shop", ProcessState.RESTARTING));

        driver.stop(s.id(), Duration.ofSeconds(1));
        pause(800);

        assertEquals(1, count(logText("shop", "worker.1"), "once\n"));
        assertEquals(0, driver.status(AppName.of("shop")).size());
        assertEquals(1, count(logText("shop", "worker.1"), "started (pid"));
    }

    @Test
    void eachRestartGetsTheSameEnvironmentAndPort() throws Exception {
        LocalProcessDriver driver = driver(DriverOptions.DEFAULT.withRestartPolicy(QUICK));
        int port = freePort();
        driver.start(launch("shop", "web", 1, "echo \"port=$PORT mark=$" + MARK + "\"; sleep 0.2; exit 1", port));

        await("three runs", WAIT, () -> count(logText("shop", "web.1"), "port=" + port + " mark=" + marker + "\n") >= 3);

        assertEquals(count(logText("shop", "web.1"), "port="), count(logText("shop", "web.1"), "port=" + port + " mark=" + marker + "\n"));
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }
}
