package cloud.hop3.plugin.support.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.build.BuildException;

class LocalBuildCommandsTest {

    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin");
    private static final Duration SHORT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private final LocalBuildCommands commands = new LocalBuildCommands(Duration.ofMillis(500));
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final RecordingBuildLog log = new RecordingBuildLog(lines::add);
    private final List<Long> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    private void sh(String script, Duration timeout) throws BuildException, InterruptedException {
        commands.run(log, dir, ENV, timeout, List.of("sh", "-c", script));
    }

    @Test
    void streamsStdoutAndStderrMergedInOrder() throws Exception {
        sh("echo one; echo two >&2; echo three; echo four >&2", SHORT);

        assertEquals(List.of("one", "two", "three", "four"), log.infos());
        assertEquals(List.of(), log.warnings());
    }

    @Test
    void linesArriveWhileTheCommandStillRuns() throws Exception {
        Background run = runInBackground("echo first; sleep 30; echo never");

        assertEquals("first", lines.poll(10, TimeUnit.SECONDS));
        assertFalse(run.outcome.isDone());
        run.thread.interrupt();
        run.outcome.get(10, TimeUnit.SECONDS);
    }

    @Test
    void environmentIsExactlyTheGivenOne() throws Exception {
        commands.run(log, dir, Map.of("PATH", "/usr/bin:/bin", "HOP3_ONLY", "yes"), SHORT, List.of("env"));

        assertEquals(Set.of("PATH=/usr/bin:/bin", "HOP3_ONLY=yes"), Set.copyOf(log.infos()));
    }

    @Test
    void workingDirectoryIsTheGivenOne() throws Exception {
        commands.run(log, dir, ENV, SHORT, List.of("pwd"));

        assertEquals(List.of(dir.toString()), log.infos());
    }

    @Test
    void programIsLookedUpInTheGivenPathNotThePlatforms() throws Exception {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        executable(bin.resolve("hop3-tool"), "#!/bin/sh\necho tool ran\n");

        commands.run(log, dir, Map.of("PATH", bin + ":/usr/bin:/bin"), SHORT, List.of("hop3-tool"));
        assertEquals(List.of("tool ran"), log.infos());

        BuildException e = assertThrows(BuildException.class,
                () -> commands.run(log, dir, ENV, SHORT, List.of("hop3-tool", "--version")));
        assertEquals("Could not start `hop3-tool --version`: hop3-tool is not on the PATH (/usr/bin:/bin).",
                e.getMessage());
    }

    @Test
    void relativeProgramWithASlashIsTakenFromTheWorkingDirectory() throws Exception {
        executable(Files.createDirectories(dir.resolve(".venv/bin")).resolve("pip"), "#!/bin/sh\necho pip $1\n");

        commands.run(log, dir, ENV, SHORT, List.of(".venv/bin/pip", "install"));

        assertEquals(List.of("pip install"), log.infos());
    }

    @Test
    void missingProgramOrDirectoryIsNamed() {
        BuildException noProgram = assertThrows(BuildException.class,
                () -> commands.run(log, dir, ENV, SHORT, List.of("./missing")));
        assertEquals("Could not start `./missing`: " + dir.resolve("./missing") + " does not exist.",
                noProgram.getMessage());

        Path nowhere = dir.resolve("nowhere");
        BuildException noDirectory = assertThrows(BuildException.class,
                () -> commands.run(log, nowhere, ENV, SHORT, List.of("true")));
        assertEquals("Could not start `true`: its working directory " + nowhere + " does not exist.",
                noDirectory.getMessage());

        BuildException noPath = assertThrows(BuildException.class,
                () -> commands.run(log, dir, Map.of(), SHORT, List.of("true")));
        assertEquals("Could not start `true`: its environment has no PATH to find true in.", noPath.getMessage());
    }

    @Test
    void standardInputIsEmptySoQuestionsGetNoAnswer() throws Exception {
        sh("read answer || echo no answer", SHORT);

        assertEquals(List.of("no answer"), log.infos());
    }

    @Test
    void failureNamesTheCommandTheStatusAndTheLastLines() {
        BuildException e = assertThrows(BuildException.class,
                () -> sh("for i in $(seq 1 15); do echo line $i; done; exit 3", SHORT));

        String last = IntStream.rangeClosed(6, 15).mapToObj(i -> "\n    line " + i).collect(Collectors.joining());
        assertEquals("`sh -c 'for i in $(seq 1 15); do echo line $i; done; exit 3'` failed with exit status 3;"
                + " its last output was:" + last, e.getMessage());
        assertEquals(IntStream.rangeClosed(1, 15).mapToObj(i -> "line " + i).collect(Collectors.toList()), e.output());
        assertEquals(15, log.infos().size());
    }

    @Test
    void failureWithoutOutputIsOneLine() {
        BuildException e = assertThrows(BuildException.class,
                () -> commands.run(log, dir, ENV, SHORT, List.of("false")));

        assertEquals("`false` failed with exit status 1", e.getMessage());
        assertEquals(List.of(), e.output());
    }

    @Test
    void timeoutStopsTheWholeProcessTree() throws Exception {
        BuildException e = stoppedWithItsGrandchild("sleep 300 & echo $!; wait");

        assertEquals("`sh -c 'sleep 300 & echo $!; wait'` did not finish within 1 second and was stopped;"
                + " its last output was:\n    " + log.infos().get(0), e.getMessage());
    }

    @Test
    void processesThatIgnoreSigtermAreKilled() throws Exception {
        BuildException e = stoppedWithItsGrandchild("trap '' TERM; sleep 300 & echo $!; wait; wait");

        assertTrue(e.getMessage().contains("did not finish within 1 second and was stopped"), e.getMessage());
    }

    /**
     * Runs {@code script}, which prints the process id of a grandchild first, with a timeout of one
     * second, and asserts that the grandchild was stopped within ten; returns the run's failure.
     */
    private BuildException stoppedWithItsGrandchild(String script) throws Exception {
        long start = System.nanoTime();
        BuildException e = assertThrows(BuildException.class, () -> sh(script, Duration.ofSeconds(1)));
        long grandchild = Long.parseLong(log.infos().get(0));
        started.add(grandchild);
        assertGone(grandchild);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "stopped promptly");
        return e;
    }

    @Test
    void interruptStopsTheWholeProcessTreeAndIsRethrown() throws Exception {
        Background run = runInBackground("sleep 300 & echo $!; wait");
        long grandchild = Long.parseLong(lines.poll(10, TimeUnit.SECONDS));
        started.add(grandchild);

        run.thread.interrupt();

        assertTrue(run.outcome.get(10, TimeUnit.SECONDS) instanceof InterruptedException, "run threw InterruptedException");
        assertGone(grandchild);
    }

    @Test
    void anInterruptedThreadStartsNothing() throws Exception {
        Thread.currentThread().interrupt();

        assertThrows(InterruptedException.class, () -> sh("touch started", SHORT));

        assertFalse(Thread.currentThread().isInterrupted());
        assertFalse(Files.exists(dir.resolve("started")));
    }

    @Test
    void backgroundProcessHoldingTheOutputDoesNotHoldTheBuild() throws Exception {
        long start = System.nanoTime();

        sh("sleep 30 & echo $!", SHORT);

        started.add(Long.parseLong(log.infos().get(0)));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "returned without waiting for sleep 30");
        // Whether the JVM closed the pipe at exit or the linger time ran out depends on timing.
        List<String> warning = List.of("`sh -c 'sleep 30 & echo $!'` left a process running in the background"
                + " that still holds its output; that output is not shown.");
        assertTrue(log.warnings().isEmpty() || log.warnings().equals(warning), log.warnings().toString());
    }

    @Test
    void refusesMeaninglessArguments() {
        assertThrows(IllegalArgumentException.class, () -> commands.run(log, dir, ENV, SHORT, List.of()));
        assertThrows(IllegalArgumentException.class, () -> commands.run(log, dir, ENV, Duration.ZERO, List.of("true")));
        assertThrows(IllegalArgumentException.class,
                () -> commands.run(log, dir, Map.of("A=B", "c", "PATH", "/bin"), SHORT, List.of("true")));
    }

    /** A run on a thread of its own; its outcome is what it threw, or null. */
    private record Background(Thread thread, CompletableFuture<Exception> outcome) {
    }

    private Background runInBackground(String script) {
        CompletableFuture<Exception> outcome = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                sh(script, SHORT);
                outcome.complete(null);
            } catch (InterruptedException | BuildException | RuntimeException e) {
                outcome.complete(e);
            }
        }, "test-build");
        thread.start();
        return new Background(thread, outcome);
    }

    /** Waits until the process has exited (a zombie waiting for its reaper counts as gone). */
    private static void assertGone(long pid) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (running(pid)) {
            assertTrue(System.nanoTime() < deadline, "process " + pid + " is still running");
            ProcessHandle.of(pid).ifPresent(h -> {
                try {
                    h.onExit().get(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException | ExecutionException | TimeoutException e) {
                    // look again until the deadline
                }
            });
        }
    }

    private static boolean running(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) || !Files.exists(stat)) {
            return false;
        }
        try {
            String text = Files.readString(stat);
            return text.charAt(text.lastIndexOf(')') + 2) != 'Z';
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
    }

    private static void executable(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
