package cloud.hop3.plugin.testkit;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a test undoes when it ends, pass or fail: servers to stop, clients to close, accounts to
 * remove. Closing runs them last added first, every one also when an earlier one failed, and
 * throws the first failure with the others added to it.
 */
public final class CleanUps implements AutoCloseable {

    private final Deque<AutoCloseable> pending = new ArrayDeque<>();

    /** Has {@code cleanUp} run at {@link #close()}, before those added earlier; returns it. */
    public <T extends AutoCloseable> T add(T cleanUp) {
        pending.push(cleanUp);
        return cleanUp;
    }

    @Override
    public void close() throws Exception {
        Exception failure = null;
        while (!pending.isEmpty()) {
            try {
                pending.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
