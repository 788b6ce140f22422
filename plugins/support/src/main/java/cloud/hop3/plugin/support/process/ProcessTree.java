package cloud.hop3.plugin.support.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops a process and every process it started. The tree is listed before any signal is sent,
 * since a child whose parent died is re-parented and can no longer be found from the root.
 */
final class ProcessTree {

    private ProcessTree() {
    }

    /**
     * Sends SIGTERM to the whole tree, waits up to {@code grace} for it to exit, then sends SIGKILL
     * to what is left (including children started meanwhile), and waits for that briefly. Not
     * interruptible: a stop that was asked for is carried out.
     */
    static void stop(ProcessHandle root, Duration grace) {
        Set<ProcessHandle> tree = snapshot(root);
        tree.forEach(ProcessHandle::destroy);
        awaitExit(tree, grace);
        Set<ProcessHandle> left = new LinkedHashSet<>();
        for (ProcessHandle handle : tree) {
            if (handle.isAlive()) {
                left.addAll(snapshot(handle));
            }
        }
        left.forEach(ProcessHandle::destroyForcibly);
        awaitExit(left, grace);
    }

    private static Set<ProcessHandle> snapshot(ProcessHandle root) {
        Set<ProcessHandle> tree = new LinkedHashSet<>();
        tree.add(root);
        root.descendants().forEach(tree::add);
        return tree;
    }

    private static void awaitExit(Set<ProcessHandle> handles, Duration timeout) {
        List<CompletableFuture<ProcessHandle>> exits = new ArrayList<>();
        handles.forEach(h -> exits.add(h.onExit()));
        boolean interrupted = false;
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                try {
                    CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new))
                            .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (TimeoutException | ExecutionException e) {
                    return;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
