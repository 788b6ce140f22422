package cloud.hop3.api.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Listening sockets that outlive the proxy bundle serving them, so that a proxy updated or
 * restarted in place refuses no connection: while no instance accepts, the kernel queues the
 * connections on the kept socket, and the next instance accepts them. Implemented by core.
 * <p>
 * <b>Callers.</b> Proxy plugins that listen in the platform's own process (the built-in proxy):
 * {@link #claim} when they start, {@link #release} when they stop. Thread-safe.
 * <p>
 * <b>Lifetime.</b> A released socket stays open for a linger period for the next instance to
 * claim; after it, or when the keeper itself stops, it is closed. A socket is claimed by one
 * holder at a time.
 */
@ProviderType
public interface SocketKeeper {

    /** How long a released socket waits for its next holder unless configured otherwise. */
    Duration DEFAULT_LINGER = Duration.ofSeconds(30);

    /**
     * The listening socket bound to {@code address}: the kept one when it exists, else a new one
     * bound with {@code backlog}. The socket is in blocking mode as created by the JDK; the caller
     * may switch it to non-blocking. The caller must not close it: it gives it back with
     * {@link #release} or {@link #close}.
     *
     * @param address the address and port to listen on; port 0 binds a new socket on a free port
     * @throws IOException           when the address cannot be bound (for example the port is taken)
     * @throws IllegalStateException when another holder has claimed that address and not released it
     */
    ServerSocketChannel claim(InetSocketAddress address, int backlog) throws IOException;

    /**
     * Gives a claimed socket back without closing it, for the next instance to claim. Sockets not
     * obtained from {@link #claim} are ignored.
     */
    void release(ServerSocketChannel socket);

    /**
     * Closes a claimed socket now (the proxy is switched off and its port must be free). Sockets
     * not obtained from {@link #claim} are ignored.
     */
    void close(ServerSocketChannel socket);
}
