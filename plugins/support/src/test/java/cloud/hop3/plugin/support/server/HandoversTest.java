package cloud.hop3.plugin.support.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real processes (sleep) left running for a next instance, taken over or not. */
class HandoversTest {

    private final List<Process> started = new CopyOnWriteArrayList<>();

    private ProcessHandle sleep() throws IOException {
        Process process = new ProcessBuilder("sleep", "60").start();
        started.add(process);
        return process.toHandle();
    }

    @AfterEach
    void stop() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void aProcessNobodyTakesOverIsStoppedOnceTheWaitIsOver() throws Exception {
        ProcessHandle process = sleep();

        Handovers.offer("sleep", "/run/a.pid", process, Duration.ofMillis(300), ProcessHandle::destroy);

        assertTrue(process.isAlive(), "it keeps running meanwhile");
        process.onExit().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aProcessTakenOverKeepsRunning() throws Exception {
        ProcessHandle process = sleep();
        List<Long> stopped = new CopyOnWriteArrayList<>();

        Handovers.offer("sleep", "/run/b.pid", process, Duration.ofMillis(300), p -> stopped.add(p.pid()));
        Handovers.claim("/run/b.pid", process);
        Thread.sleep(1000);

        assertTrue(process.isAlive());
        assertTrue(stopped.isEmpty(), stopped::toString);
    }

    @Test
    void claimingAnotherProcessUnderTheSamePidFileTakesNothingOver() throws Exception {
        ProcessHandle offered = sleep();
        ProcessHandle other = sleep();

        Handovers.offer("sleep", "/run/c.pid", offered, Duration.ofMillis(300), ProcessHandle::destroy);
        Handovers.claim("/run/c.pid", other);

        offered.onExit().get(10, TimeUnit.SECONDS);
        assertTrue(other.isAlive());
    }
}
