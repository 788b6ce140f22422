package cloud.hop3.core.impl.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExitWatcherTest {

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        scheduler.shutdownNow();
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Test
    void aChildIsNoticedAtOnce() throws Exception {
        ExitWatcher watcher = new ExitWatcher(scheduler, Duration.ofSeconds(60));
        Process child = start("exec sleep 1000");
        CountDownLatch exited = new CountDownLatch(1);
        watcher.watch("a", child.toHandle(), exited::countDown);

        long t0 = System.nanoTime();
        child.destroyForcibly();

        assertTrue(exited.await(2, TimeUnit.SECONDS), "noticed without polling");
        System.out.println("Child exit noticed after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    @Test
    void aProcessThatIsNoChildIsNoticedByPolling() throws Exception {
        ExitWatcher watcher = new ExitWatcher(scheduler, Duration.ofMillis(200));
        ProcessHandle grandchild = grandchild("sleep 1000 & echo $!; wait");
        CountDownLatch exited = new CountDownLatch(1);
        watcher.watch("a", grandchild, exited::countDown);

        long t0 = System.nanoTime();
        grandchild.destroyForcibly();

        assertTrue(exited.await(1, TimeUnit.SECONDS));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("Exit of a process that is no child noticed after " + millis + " ms");
        assertTrue(millis < 500, millis + " ms");
    }

    @Test
    void aZombieCountsAsExited() throws Exception {
        ExitWatcher watcher = new ExitWatcher(scheduler, Duration.ofMillis(50));
        // the child of sleep 1000 is never reaped: sleep does not wait for children
        ProcessHandle zombieToBe = grandchild("sleep 0.3 & echo $!; exec sleep 1000");
        CountDownLatch exited = new CountDownLatch(1);
        watcher.watch("a", zombieToBe, exited::countDown);

        assertTrue(exited.await(3, TimeUnit.SECONDS));
        assertTrue(zombieToBe.isAlive(), "the JDK still calls it alive");
        assertEquals('Z', ProcStat.read(zombieToBe.pid()).orElseThrow().state());
    }

    @Test
    void anUnwatchedOrClosedWatchDoesNotFire() throws Exception {
        ExitWatcher watcher = new ExitWatcher(scheduler, Duration.ofMillis(20));
        Process a = start("exec sleep 1000");
        Process b = start("exec sleep 1000");
        AtomicInteger fired = new AtomicInteger();
        watcher.watch("a", a.toHandle(), fired::incrementAndGet);
        watcher.watch("b", b.toHandle(), fired::incrementAndGet);

        watcher.unwatch("a");
        a.destroyForcibly().waitFor();
        watcher.close();
        b.destroyForcibly().waitFor();
        Thread.sleep(200);

        assertEquals(0, fired.get());
    }

    @Test
    void aWatchFiresOnceEvenWhenBothPathsNoticeTheExit() throws Exception {
        ExitWatcher watcher = new ExitWatcher(scheduler, Duration.ofMillis(5));
        AtomicInteger fired = new AtomicInteger();
        Process p = start("exit 0");
        p.waitFor();

        watcher.watch("a", p.toHandle(), fired::incrementAndGet);
        Thread.sleep(200);

        assertEquals(1, fired.get());
    }

    private Process start(String command) throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", command).start();
        started.add(p);
        return p;
    }

    private ProcessHandle grandchild(String command) throws Exception {
        Process p = start(command);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long pid = Long.parseLong(out.readLine().trim());
        ProcessHandle h = ProcessHandle.of(pid).orElseThrow();
        assertTrue(h.parent().map(ProcessHandle::pid).orElse(-1L) != ProcessHandle.current().pid());
        return h;
    }
}
