package cloud.hop3.plugin.support.server;

import java.time.Duration;
import java.util.Collection;

import cloud.hop3.api.proxy.ProxyException;
import cloud.hop3.api.proxy.Upstream;

/**
 * An external server program that a proxy plugin supervises and hands whole configurations to
 * (nginx, Caddy): what {@link ConfiguredServerProxy} needs of it. How the server checks, loads,
 * reloads and stops is its own protocol (signals, an admin socket) and stays in its plugin.
 */
public interface ExternalServer {

    /**
     * Has the server serve {@code configuration}, starting it when it does not run; when this
     * throws, the configuration it served before keeps serving.
     */
    void load(String configuration) throws ProxyException;

    /** Whether the server process runs now. */
    boolean alive();

    /**
     * Waits, at most {@code timeout}, until the requests in flight to {@code upstreams} under an
     * earlier configuration have finished; whether they did.
     */
    boolean drain(Collection<Upstream> upstreams, Duration timeout) throws InterruptedException;

    /**
     * Stops the server gracefully (it closes its listeners and finishes the requests in flight)
     * and returns once it exited; the next {@link #load} starts it again.
     */
    void retire();

    /** Stops the server for good, when the plugin goes away. */
    void stop();

    /**
     * The plugin's component is being replaced by one with a new configuration: leaves the server
     * running for the new instance to take over (see {@link Handovers}), stopping it when none
     * does within {@code wait}. By default the server stops at once.
     */
    default void handOver(Duration wait) {
        stop();
    }
}
