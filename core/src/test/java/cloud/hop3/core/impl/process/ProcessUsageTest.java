package cloud.hop3.core.impl.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.metrics.ProcessUsage;
import cloud.hop3.api.process.ProcessState;

class ProcessUsageTest extends DriverTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final RestartPolicy QUICK = new RestartPolicy(Duration.ofMillis(50), Duration.ofSeconds(30),
            Duration.ofSeconds(60), 3, Duration.ofSeconds(60));

    @Test
    void aBusyTreeShowsItsCpuAndMemoryIncludingWhatItStarted() throws Exception {
        LocalProcessDriver driver = driver();
        // the shell starts a python that holds 40 MB and spins: its CPU and memory are the shell's process's
        driver.start(launch("shop", "worker", 1, PYTHON + " -c 'b = bytearray(40 << 20)\nwhile True: b[0] = 1' & wait"));

        await("CPU used", WAIT, () -> usage(driver).get(0).cpuNanos() >= 300_000_000L);
        ProcessUsage u = usage(driver).get(0);
        assertEquals("worker", u.type());
        assertEquals("shop", u.app().value());
        assertTrue(u.rssBytes() >= 40L << 20, "resident memory " + u.rssBytes());
        assertEquals(0, u.crashes());
    }

    @Test
    void crashesAndRestartsAreCounted() throws Exception {
        LocalProcessDriver driver = driver(DriverOptions.DEFAULT.withRestartPolicy(QUICK));
        driver.start(launch("shop", "worker", 1, "exit 3"));

        await("crashed", WAIT, () -> inState(driver, "shop", ProcessState.CRASHED));
        ProcessUsage u = usage(driver).get(0);
        assertEquals(3, u.crashes());
        assertEquals(2, u.restarts());
        assertEquals(0, u.rssBytes(), "nothing runs");
    }

    private static List<ProcessUsage> usage(LocalProcessDriver driver) {
        return driver.usage();
    }
}
