package cloud.hop3.core.impl.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.process.ProcessState;
import cloud.hop3.api.process.ProcessStatus;

/**
 * The platform JVM is killed with SIGKILL while an app serves; the app keeps serving, and the
 * driver of the next JVM (this one) adopts it although it is no child of it, and supervises it.
 */
class PlatformRestartTest extends DriverTestSupport {

    @Test
    void anAppOutlivesAKilledPlatformAndIsAdoptedAndSupervisedByTheNextOne() throws Exception {
        int port = freePort();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process platform = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                OtherPlatformMain.class.getName(), home.toString(), slug.toString(), Integer.toString(port), marker, httpServer())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        foreign.add(platform);
        BufferedReader out = new BufferedReader(new InputStreamReader(platform.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertTrue(line != null && line.startsWith("started "), "the other platform said: " + line);
        String id = line.substring("started ".length());
        await("serving", Duration.ofSeconds(10), () -> serves(port));
        ProcessHandle shell = leader("shop", id);

        platform.destroyForcibly().waitFor();

        assertTrue(serves(port), "still serving without its platform");
        assertNotEquals(ProcessHandle.current().pid(), shell.parent().map(ProcessHandle::pid).orElse(-1L));
        LocalProcessDriver driver = driver();
        ProcessStatus adopted = only(driver, "shop");
        assertEquals(id, adopted.id());
        // a process counts as running once it has lived a second; the platform may have died sooner
        await("adopted and running", Duration.ofSeconds(5), () -> only(driver, "shop").state() == ProcessState.RUNNING);
        assertEquals(2, markedProcesses().size(), "the shell and its server, nothing more: " + markedProcesses());

        long t0 = System.nanoTime();
        ProcessHandle server = shell.children().findFirst().orElseThrow();
        server.destroyForcibly();
        await("not serving", Duration.ofSeconds(2), () -> !serves(port));
        await("serving again", Duration.ofSeconds(5), () -> serves(port));
        long millis = (System.nanoTime() - t0) / 1_000_000;

        System.out.println("Restart latency after kill -9 of an adopted server (no child of this JVM): " + millis + " ms");
        assertTrue(millis < 2000, millis + " ms");
        assertEquals(1, only(driver, "shop").restarts());
        driver.stopAll(AppName.of("shop"), Duration.ofSeconds(2));
        assertEquals(List.of(), markedProcesses());
    }
}
