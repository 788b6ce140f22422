package cloud.hop3.core.impl.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.process.ProcessLaunch;
import cloud.hop3.api.process.ProcessStatus;
import cloud.hop3.api.process.ResourceLimits;

/**
 * App processes run under their limits on this machine: the memory limit kills a process that
 * goes over it and the driver says so, the open files and process count limits bind.
 */
class ResourceLimitsDriverTest extends DriverTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private ProcessLaunch limited(String app, String command, Map<String, String> limits) {
        ProcessLaunch plain = launch(app, "worker", 1, command);
        return new ProcessLaunch(plain.app(), plain.release(), plain.type(), plain.index(), plain.command(),
                plain.workingDirectory(), plain.env(), plain.port(), ResourceLimits.of(limits));
    }

    @Test
    void aProcessOverItsMemoryLimitIsKilledRestartedAndTheReasonShown() throws Exception {
        LocalProcessDriver driver = driver();
        assumeTrue(driver.limits().cgroups().has("memory"), "needs a writable memory control group");
        String grow = PYTHON + " -c 'import time; time.sleep(1.2); b = bytearray(200 * 1024 * 1024); time.sleep(1000)'";

        driver.start(limited("hog", grow, Map.of("memory", "48M")));

        ProcessStatus restarted = awaitValue("a restart after the kill", WAIT, () -> {
            ProcessStatus s = only(driver, "hog");
            return s != null && s.restarts() >= 1 ? s : null;
        });
        assertTrue(restarted.lastExit().contains("over its memory limit of 48M"), restarted.lastExit());
        assertTrue(logText("hog", "worker.1").contains("over its memory limit of 48M"), logText("hog", "worker.1"));
    }

    @Test
    void aProcessThatEndsOnItsOwnIsNotCalledOutOfMemory() throws Exception {
        LocalProcessDriver driver = driver();
        driver.start(limited("plain", "sleep 1.2; exit 3", Map.of("memory", "48M")));

        ProcessStatus restarted = awaitValue("a restart", WAIT, () -> {
            ProcessStatus s = only(driver, "plain");
            return s != null && s.restarts() >= 1 ? s : null;
        });
        assertEquals("exited with status 3", restarted.lastExit());
    }

    @Test
    void theOpenFilesLimitIsTheProcesssRlimit() throws Exception {
        LocalProcessDriver driver = driver();
        driver.start(limited("files", "exec sleep 1000", Map.of("files", "123")));

        // the shell applies the limit and then becomes sleep: read the limits once it has
        long pid = awaitValue("the process, after its shell became sleep", WAIT, () -> {
            List<ProcessHandle> marked = markedProcesses();
            return marked.size() == 1 && marked.get(0).info().command().orElse("").endsWith("/sleep")
                    ? marked.get(0).pid() : null;
        });
        String limits = Files.readString(Path.of("/proc", String.valueOf(pid), "limits"));
        assertTrue(limits.lines().anyMatch(l -> l.startsWith("Max open files") && l.matches(".*\\s123\\s+123\\s.*")), limits);
    }

    @Test
    void theProcessCountLimitStopsForks() throws Exception {
        LocalProcessDriver driver = driver();
        assumeTrue(driver.limits().cgroups().has("pids"), "needs a writable pids control group");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // 20 children that wait a while, under a limit of 8: the forks beyond it fail
        Files.writeString(slug.resolve("forks.py"), String.join("\n",
                "import os, time",
                "n = 0",
                "for i in range(20):",
                "    try:",
                "        pid = os.fork()",
                "    except OSError:",
                "        break",
                "    if pid == 0:",
                "        time.sleep(3)",
                "        os._exit(0)",
                "    n += 1",
                "print('started=%d' % n, flush=True)",
                "os._exit(0)", ""));

        int status = driver.run(limited("forks", PYTHON + " forks.py", Map.of("processes", "8")), out, WAIT);

        String output = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, output);
        int started = Integer.parseInt(output.replaceAll("(?s).*started=([0-9]+).*", "$1"));
        assertTrue(started < 8, "at most 7 sleeps next to the shell, got " + output);
    }

    @Test
    void withoutLimitsNothingChanges() throws Exception {
        LocalProcessDriver driver = driver();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = driver.run(launch("free", "run", 1, "echo $$ ok"), out, WAIT);
        assertEquals(0, status);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("ok"));
        assertEquals(List.of(), driver.status(AppName.of("free")));
    }
}
