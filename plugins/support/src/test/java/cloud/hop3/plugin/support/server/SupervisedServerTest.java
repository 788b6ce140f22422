package cloud.hop3.plugin.support.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real processes (sleep) that die, are let go, or are stopped on purpose. */
class SupervisedServerTest {

    private final List<Long> deaths = new CopyOnWriteArrayList<>();
    private final List<Process> started = new CopyOnWriteArrayList<>();
    private final SupervisedServer supervised = new SupervisedServer("sleep", this::start,
            died -> deaths.add(died.pid()));

    private void start() throws IOException {
        if (supervised.current().isEmpty()) {
            supervised.watch(sleep());
        }
    }

    private ProcessHandle sleep() throws IOException {
        Process process = new ProcessBuilder("sleep", "60").start();
        started.add(process);
        return process.toHandle();
    }

    @AfterEach
    void stop() {
        supervised.close();
        started.forEach(Process::destroyForcibly);
    }

    /** A new process, supervised. */
    private ProcessHandle watched() throws IOException {
        ProcessHandle process = sleep();
        supervised.watch(process);
        return process;
    }

    private static void kill(ProcessHandle process) throws Exception {
        process.destroyForcibly();
        process.onExit().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aProcessThatDiesIsReportedAndStartedAgain() throws Exception {
        ProcessHandle first = watched();
        assertEquals(Optional.of(first), supervised.current());

        kill(first);
        assertTrue(eventually(() -> supervised.current().isPresent()), "started again after the first pause (1 s)");
        assertEquals(List.of(first.pid()), deaths);
        assertFalse(supervised.current().orElseThrow().pid() == first.pid());
    }

    @Test
    void aForgottenOrPausedProcessEndsWithoutARestart() throws Exception {
        ProcessHandle forgotten = watched();
        assertEquals(Optional.of(forgotten), supervised.forget());
        kill(forgotten);
        ProcessHandle paused = watched();
        assertEquals(Optional.of(paused), supervised.pause());
        assertTrue(supervised.stopping());
        kill(paused);
        kill(watched()); // adopted while paused: a bundle update's release, say

        Thread.sleep(1500);
        assertEquals(List.of(), deaths);
        assertEquals(3, started.size(), "nothing was started again");
        supervised.resume();
        assertFalse(supervised.stopping());
    }

    private static boolean eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
