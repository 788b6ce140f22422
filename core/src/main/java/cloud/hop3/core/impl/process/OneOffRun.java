package cloud.hop3.core.impl.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import cloud.hop3.api.process.ProcessException;
import cloud.hop3.api.process.ProcessLaunch;
import cloud.hop3.core.impl.isolation.AppUser;
import cloud.hop3.core.impl.limits.Confinement;
import cloud.hop3.core.impl.limits.ResourceEnforcer;

/**
 * Runs one one-off process to its end on the caller's thread (a {@code release:} command, a cron
 * entry, {@code app:run}), copying its merged stdout and stderr to the caller's stream as it
 * comes.
 * <p>
 * The caller's thread never blocks in a read while the process runs: it copies what is
 * available and otherwise waits for the process to exit, up to {@value #POLL_MILLIS} ms at a
 * time, so it notices the deadline and an interrupt. On either, the whole tree is killed. When
 * the process ends, what it left behind in its session is killed too: a one-off leaves no orphan.
 */
final class OneOffRun {

    static final long POLL_MILLIS = 50;
    private static final Duration LEFTOVER_GRACE = Duration.ofSeconds(1);

    private OneOffRun() {
    }

    static int run(ProcessLauncher launcher, ResourceEnforcer limits, AppUser user, ProcessLaunch launch, OutputStream output,
                   Duration timeout) throws ProcessException, InterruptedException {
        LaunchValidator.check(launch);
        String what = "'" + launch.command() + "' of app '" + launch.app() + "'";
        Confinement confinement = Confinement.NONE;
        try {
            confinement = limits.prepare(launch.app().value(), "one-off-" + launch.type() + "-" + System.nanoTime(), launch.limits());
            return run(launcher, confinement, user, launch, what, output, timeout);
        } catch (IOException e) {
            throw new ProcessException("Cannot run " + what + ": " + e.getMessage(), e);
        } finally {
            confinement.release();
        }
    }

    private static int run(ProcessLauncher launcher, Confinement confinement, AppUser user, ProcessLaunch launch, String what,
                           OutputStream output, Duration timeout) throws IOException, ProcessException, InterruptedException {
        Process process = launcher.startPiped(confinement.prefix(), user, launch.command(), launch.workingDirectory(), launch.env());
        Optional<ProcessIdentity> identity = ProcessIdentity.of(process.toHandle());
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buffer = new byte[8192];
        try (InputStream in = process.getInputStream()) {
            while (true) {
                copyAvailable(in, output, buffer);
                if (!process.isAlive()) {
                    break;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    kill(process, identity);
                    copyRest(in, output);
                    throw new ProcessException("Command " + what + " did not finish within " + timeout.toSeconds()
                            + " s and was stopped.");
                }
                awaitExit(process, Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)));
            }
            identity.ifPresent(id -> ProcessTree.terminate(List.of(id), LEFTOVER_GRACE));
            copyRest(in, output);
            return process.waitFor();
        } catch (InterruptedException e) {
            kill(process, identity);
            throw e;
        } catch (IOException e) {
            kill(process, identity);
            throw new ProcessException("Cannot copy the output of " + what + ": " + e.getMessage(), e);
        }
    }

    private static void copyAvailable(InputStream in, OutputStream out, byte[] buffer) throws IOException {
        boolean copied = false;
        int available;
        while ((available = in.available()) > 0) {
            int n = in.read(buffer, 0, Math.min(available, buffer.length));
            if (n < 0) {
                break;
            }
            out.write(buffer, 0, n);
            copied = true;
        }
        if (copied) {
            out.flush();
        }
    }

    /** After the process and its session are gone, nothing holds the pipe open: read it to its end. */
    private static void copyRest(InputStream in, OutputStream out) throws IOException {
        in.transferTo(out);
        out.flush();
    }

    private static void awaitExit(Process process, long nanos) throws InterruptedException {
        try {
            process.onExit().get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // poll again
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** SIGKILL to the tree, through process handles: {@link Process#destroyForcibly()} would close the pipe before it is drained. */
    private static void kill(Process process, Optional<ProcessIdentity> identity) {
        List<ProcessHandle> tree = new ArrayList<>();
        identity.ifPresent(id -> tree.addAll(ProcessTree.members(id)));
        tree.add(process.toHandle());
        process.descendants().forEach(tree::add);
        ProcessTree.kill(tree);
    }
}
