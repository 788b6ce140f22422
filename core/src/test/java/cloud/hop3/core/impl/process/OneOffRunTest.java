package cloud.hop3.core.impl.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.process.ProcessException;
import cloud.hop3.api.process.ProcessLaunch;

class OneOffRunTest extends DriverTestSupport {

    @Test
    void returnsTheExitStatusWithStdoutAndStderrInTheOutput() throws Exception {
        LocalProcessDriver driver = driver();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = driver.run(launch("shop", "release", 1, "echo migrated; echo warning >&2; echo \"port=$PORT home=$HOME\"; exit 7"),
                out, Duration.ofSeconds(10));

        assertEquals(7, status);
        assertEquals("migrated\nwarning\nport= home=\n", out.toString(StandardCharsets.UTF_8));
        assertEquals(List.of(), driver.status(AppName.of("shop")), "a one-off is not supervised");
    }

    @Test
    void outputArrivesAsItComes() throws Exception {
        LocalProcessDriver driver = driver();
        long t0 = System.nanoTime();
        long[] firstWrite = {0};
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                if (firstWrite[0] == 0) {
                    firstWrite[0] = System.nanoTime();
                }
            }
        };

        assertEquals(0, driver.run(launch("shop", "release", 1, "echo first; sleep 1; echo second"), out, Duration.ofSeconds(10)));

        long millis = (firstWrite[0] - t0) / 1_000_000;
        assertTrue(millis < 800, "first output after " + millis + " ms");
    }

    @Test
    void aTimeoutKillsTheWholeTreeAndFails() throws Exception {
        LocalProcessDriver driver = driver();
        String arg = "3001." + ProcessHandle.current().pid();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        long t0 = System.nanoTime();
        ProcessException e = assertThrows(ProcessException.class, () -> driver.run(
                launch("shop", "cron", 1, "echo begun; sleep " + arg + " & sleep " + arg), out, Duration.ofSeconds(1)));
        long millis = (System.nanoTime() - t0) / 1_000_000;

        assertTrue(millis >= 950 && millis < 3000, millis + " ms");
        assertTrue(e.getMessage().contains("did not finish within 1 s"), e.getMessage());
        assertEquals("begun\n", out.toString(StandardCharsets.UTF_8));
        assertEquals(0, sleeps(arg));
        assertEquals(List.of(), markedProcesses());
    }

    @Test
    void whatTheCommandLeftRunningIsStoppedWhenItEnds() throws Exception {
        LocalProcessDriver driver = driver();
        String arg = "3002." + ProcessHandle.current().pid();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        long t0 = System.nanoTime();
        int status = driver.run(launch("shop", "release", 1, "sleep " + arg + " & echo done"), out, Duration.ofSeconds(30));
        long millis = (System.nanoTime() - t0) / 1_000_000;

        assertEquals(0, status);
        assertEquals("done\n", out.toString(StandardCharsets.UTF_8));
        assertTrue(millis < 3000, millis + " ms");
        assertEquals(0, sleeps(arg));
    }

    @Test
    void anInterruptKillsTheProcess() throws Exception {
        LocalProcessDriver driver = driver();
        String arg = "3003." + ProcessHandle.current().pid();
        CompletableFuture<Thread> runner = new CompletableFuture<>();
        CompletableFuture<Integer> result = CompletableFuture.supplyAsync(() -> {
            runner.complete(Thread.currentThread());
            try {
                return driver.run(launch("shop", "run", 1, "exec sleep " + arg), OutputStream.nullOutputStream(), Duration.ofSeconds(60));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await("running", Duration.ofSeconds(5), () -> sleeps(arg) == 1);

        runner.get().interrupt();

        ExecutionException e = assertThrows(ExecutionException.class, () -> result.get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause().getCause() instanceof InterruptedException, e.toString());
        assertEquals(0, sleeps(arg));
    }

    @Test
    void aCommandThatCannotStartFailsWithAReason() throws Exception {
        LocalProcessDriver driver = driver();
        ProcessLaunch l = launch("shop", "release", 1, "true");

        ProcessException e = assertThrows(ProcessException.class, () -> driver.run(
                new ProcessLaunch(l.app(), 1, "release", 1, "true", slug.resolve("gone"), l.env(), 0),
                OutputStream.nullOutputStream(), Duration.ofSeconds(5)));

        assertTrue(e.getMessage().startsWith("Cannot run 'true' of app 'shop': working directory"), e.getMessage());
    }
}
