package cloud.hop3.core.impl.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.process.ProcessState;
import cloud.hop3.api.process.ProcessStatus;
import cloud.hop3.core.impl.state.DocumentStore;

/** A second driver on the same state directory, as after a bundle update or a platform restart. */
class AdoptionTest extends DriverTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aRunningProcessIsAdoptedWithoutASecondCopyAndStillSupervised() throws Exception {
        String arg = "2001." + ProcessHandle.current().pid();
        int port = freePort();
        LocalProcessDriver first = driver();
        ProcessStatus started = first.start(launch("shop", "web", 1, "echo up; exec sleep " + arg, port));
        await("running", WAIT, () -> inState(first, "shop", ProcessState.RUNNING));
        long pid = recorded("shop", started.id()).pid();

        first.close();
        LocalProcessDriver second = driver();

        ProcessStatus adopted = only(second, "shop");
        assertEquals(new ProcessStatus(started.id(), AppName.of("shop"), 1, "web", 1, port, ProcessState.RUNNING, 0, adopted.since()), adopted);
        pause(300);
        assertEquals(1, sleeps(arg), "no duplicate");
        assertEquals(pid, recorded("shop", started.id()).pid());

        ProcessHandle.of(pid).orElseThrow().destroyForcibly();

        await("restarted by the second driver", WAIT, () -> only(second, "shop").restarts() == 1 && sleeps(arg) == 1
                && ProcessState.RESTARTING != only(second, "shop").state());
        second.stop(started.id(), Duration.ofSeconds(2));
        assertEquals(0, sleeps(arg));
        assertEquals(List.of(), markedProcesses());
    }

    @Test
    void aProcessThatDiedWhileNoDriverRanIsStartedAgain() throws Exception {
        String arg = "2002." + ProcessHandle.current().pid();
        LocalProcessDriver first = driver();
        ProcessStatus started = first.start(launch("shop", "worker", 1, "exec sleep " + arg));
        ProcessRecord before = recorded("shop", started.id());
        first.close();
        ProcessHandle.of(before.pid()).orElseThrow().destroyForcibly();
        await("dead", WAIT, () -> sleeps(arg) == 0);

        LocalProcessDriver second = driver();

        await("started again", WAIT, () -> sleeps(arg) == 1);
        await("recorded", WAIT, () -> pidOf(started.id()) != before.pid() && pidOf(started.id()) > 0);
        ProcessStatus s = only(second, "shop");
        assertEquals(started.id(), s.id());
        assertEquals(1, s.restarts());
        pause(300);
        assertEquals(1, sleeps(arg));
    }

    @Test
    void aForeignProcessThatTookARecordedPidIsNeitherAdoptedNorKilled() throws Exception {
        String arg = "2003." + ProcessHandle.current().pid();
        LocalProcessDriver first = driver();
        ProcessStatus started = first.start(launch("shop", "web", 1, "exec sleep " + arg));
        ProcessRecord ours = recorded("shop", started.id());
        first.close();
        ProcessHandle.of(ours.pid()).orElseThrow().destroyForcibly();
        await("ours dead", WAIT, () -> sleeps(arg) == 0);
        Process stranger = new ProcessBuilder("sleep", "2004").start();
        foreign.add(stranger);
        // as if the system had given our pid to the stranger: its pid, our start instant
        ProcessRecord faked = new ProcessRecord(ours.id(), ours.app(), ours.release(), ours.type(), ours.index(), ours.port(),
                stranger.pid(), ours.started(), ours.command(), ours.env(), ours.workingDirectory(), 0, false);
        new DocumentStore(home).write(home.relativize(home.resolve("apps/shop/processes.json")),
                new ProcessLedger.Document(ProcessLedger.Document.PLAIN, List.of(faked)));

        LocalProcessDriver second = driver();

        await("ours started again", WAIT, () -> sleeps(arg) == 1);
        await("recorded with its own pid", WAIT, () -> pidOf(started.id()) != stranger.pid() && pidOf(started.id()) > 0);
        assertTrue(stranger.isAlive(), "the stranger is left alone");
        assertNotEquals(ProcessState.CRASHED, only(second, "shop").state());

        second.stopAll(AppName.of("shop"), Duration.ofSeconds(2));

        assertTrue(stranger.isAlive(), "stopping the app does not touch the stranger either");
        assertEquals(0, sleeps(arg));
    }

    @Test
    void aCrashedProcessStaysCrashedAcrossARestartOfThePlatform() throws Exception {
        LocalProcessDriver first = driver(DriverOptions.DEFAULT.withRestartPolicy(new RestartPolicy(Duration.ofMillis(20),
                Duration.ofSeconds(1), Duration.ofSeconds(60), 2, Duration.ofSeconds(60))));
        ProcessStatus s = first.start(launch("shop", "worker", 1, "echo crash; exit 1"));
        await("crashed", WAIT, () -> inState(first, "shop", ProcessState.CRASHED));
        await("recorded", WAIT, () -> {
            try {
                return recorded("shop", s.id()).crashed();
            } catch (Exception e) {
                return false;
            }
        });
        first.close();

        LocalProcessDriver second = driver();

        assertEquals(ProcessState.CRASHED, only(second, "shop").state());
        pause(300);
        assertEquals(2, SupervisionTest.count(logText("shop", "worker.1"), "crash\n"), "not started again");
    }

    @Test
    void aSecondDriverThatAdoptedEverythingLeavesNoOrphanWhenItStopsAnApp() throws Exception {
        int port = freePort();
        LocalProcessDriver first = driver();
        first.start(launch("shop", "web", 1, httpServer(), port));
        first.start(launch("shop", "worker", 1, "sleep 1000 & sleep 1000"));
        await("serving", WAIT, () -> serves(port));
        first.close();

        LocalProcessDriver second = driver();
        assertEquals(2, second.status(AppName.of("shop")).size());
        assertTrue(serves(port), "serving all along");

        second.stopAll(AppName.of("shop"), Duration.ofSeconds(2));

        assertEquals(List.of(), markedProcesses());
        assertEquals(List.of(), ledger("shop"));
    }

    private long pidOf(String id) {
        try {
            return recorded("shop", id).pid();
        } catch (Exception e) {
            return -1;
        }
    }
}
