package cloud.hop3.plugin.support.server;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * What the proxy plugins that drive an external server (nginx, Caddy, HAProxy) do with its
 * processes, written once: run a short command of it (a configuration check, a signal) and
 * collect its output; start the server in the background with its output appended to a log
 * file; find a server left running by an earlier instance of the plugin through its pid file;
 * stop one gracefully and then for good; read what a log file gained since a mark. Each server's
 * own protocol (signals, admin socket, master CLI) stays in its plugin. Stateless; any thread.
 */
public final class ServerProcesses {

    /** How often a wait looks again. */
    public static final Duration POLL = Duration.ofMillis(20);
    private static final File NO_INPUT = new File("/dev/null");
    private static final int MAX_LOG = 64 * 1024;

    private ServerProcesses() {
    }

    /** The exit code and the output (standard output and error together) of a command. */
    public record Result(int exit, String output) {
    }

    /**
     * Runs {@code command} to its end, with no input.
     *
     * @throws IOException      when it cannot be started (the program is missing)
     * @throws TimeoutException when it runs longer than {@code timeout}; it is killed then
     */
    public static Result run(List<String> command, Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        return run(new ProcessBuilder(command), timeout);
    }

    /** Runs the command of {@code builder} (its directory and environment) as {@link #run(List, Duration)} does. */
    public static Result run(ProcessBuilder builder, Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        Process process = builder.redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(NO_INPUT)).start();
        byte[] output;
        try (InputStream in = process.getInputStream()) {
            output = in.readAllBytes();
        }
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new TimeoutException(String.join(" ", builder.command()) + " took longer than " + timeout.toSeconds() + " s");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    /**
     * Starts a server in the background: no input, its standard output and error appended to
     * {@code log} (whose directory is created when missing).
     */
    public static Process start(ProcessBuilder builder, Path log) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        return builder.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(NO_INPUT))
                .start();
    }

    /**
     * The live process whose pid is the first line of {@code pidFile}, when {@code isOurs} accepts
     * it (a pid file outlives its process, and the pid may have been reused since).
     */
    public static Optional<ProcessHandle> fromPidFile(Path pidFile, Predicate<ProcessHandle> isOurs) {
        try {
            String first = Files.readString(pidFile).lines().findFirst().orElse("").strip();
            return ProcessHandle.of(Long.parseLong(first)).filter(ProcessHandle::isAlive).filter(isOurs);
        } catch (IOException | NumberFormatException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** The command line of a process, arguments separated by spaces; empty where /proc cannot tell. */
    public static String commandLine(ProcessHandle process) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).replace('\0', ' ');
        } catch (IOException | SecurityException e) {
            return process.info().commandLine().orElse("");
        }
    }

    /**
     * Waits up to {@code timeout} for a process that was asked to stop (a signal, an admin
     * request) to exit, then kills it.
     *
     * @return whether it exited by itself
     */
    public static boolean awaitExitOrKill(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            process.destroyForcibly();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return false;
        }
    }

    /** Stops a process with SIGTERM, then, after {@code timeout}, for good. */
    public static boolean terminate(ProcessHandle process, Duration timeout) {
        if (!process.isAlive()) {
            return true;
        }
        process.destroy();
        return awaitExitOrKill(process, timeout);
    }

    /** The size of a log file, as a mark for {@link #logSince}; 0 when it does not exist. */
    public static long logSize(Path log) {
        try {
            return Files.size(log);
        } catch (IOException e) {
            return 0;
        }
    }

    /** What {@code log} gained after {@code mark} (its last 64 KiB at most); empty when nothing. */
    public static String logSince(Path log, long mark) {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            if (length <= mark) {
                return "";
            }
            byte[] bytes = new byte[(int) Math.min(MAX_LOG, length - mark)];
            file.seek(length - bytes.length);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
