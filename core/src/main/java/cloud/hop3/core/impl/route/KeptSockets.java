package cloud.hop3.core.impl.route;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.proxy.SocketKeeper;

/**
 * Keeps the listening sockets of in-process proxies open across their restarts and updates.
 * Lives in core, which is not updated with the proxy, so a socket's accept queue holds the
 * connections that arrive while no proxy instance accepts. Immediate: a delayed component would be
 * disposed, closing its sockets, as soon as the last proxy instance let go of it.
 * <p>
 * Sockets are bound with {@code SO_REUSEPORT} where the system has it, so that another proxy
 * (core switching to nginx or haproxy) can listen on the same port before this one is closed.
 */
@Component(service = SocketKeeper.class, immediate = true)
public class KeptSockets implements SocketKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(KeptSockets.class);

    /** One kept socket: claimed by a holder, or waiting for the next one until it is closed. */
    private static final class Kept {
        final InetSocketAddress address;
        final ServerSocketChannel socket;
        boolean claimed = true;
        ScheduledFuture<?> closing;

        Kept(InetSocketAddress address, ServerSocketChannel socket) {
            this.address = address;
            this.socket = socket;
        }
    }

    private final Duration linger;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hop3-kept-sockets");
        t.setDaemon(true);
        return t;
    });
    private final Map<InetSocketAddress, Kept> byAddress = new HashMap<>();

    public KeptSockets() {
        this(DEFAULT_LINGER);
    }

    KeptSockets(Duration linger) {
        this.linger = linger;
    }

    @Override
    public synchronized ServerSocketChannel claim(InetSocketAddress address, int backlog) throws IOException {
        Kept kept = address.getPort() == 0 ? null : byAddress.get(address);
        if (kept != null && !kept.socket.isOpen()) {
            // its holder closed it after all: bind afresh
            forget(kept);
            kept = null;
        }
        if (kept != null) {
            if (kept.claimed) {
                throw new IllegalStateException("The socket on " + text(address) + " is already in use by another proxy instance");
            }
            if (kept.closing != null) {
                kept.closing.cancel(false);
                kept.closing = null;
            }
            kept.claimed = true;
            LOG.info("Listening socket on {} handed to a new holder", text(address));
            return kept.socket;
        }
        // a socket of the address's family: one of the JDK's default family (IPv6 where the system
        // has it) would take 0.0.0.0 for :: and listen on IPv6 too
        ServerSocketChannel socket = ServerSocketChannel.open(address.getAddress() instanceof Inet4Address
                ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
        try {
            socket.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            // so that an external proxy taking over (nginx with reuseport, haproxy) can bind the
            // same port while this one still listens: no connection is refused in between
            if (socket.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                socket.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            socket.bind(address, backlog);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        InetSocketAddress bound = (InetSocketAddress) socket.getLocalAddress();
        InetSocketAddress key = address.getPort() == 0 ? new InetSocketAddress(address.getAddress(), bound.getPort()) : address;
        byAddress.put(key, new Kept(key, socket));
        return socket;
    }

    @Override
    public synchronized void release(ServerSocketChannel socket) {
        Kept kept = find(socket);
        if (kept == null || !kept.claimed) {
            return;
        }
        kept.claimed = false;
        kept.closing = timer.schedule(() -> closeUnclaimed(kept), linger.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close(ServerSocketChannel socket) {
        Kept kept = find(socket);
        if (kept != null) {
            forget(kept);
        }
    }

    /** The addresses of the sockets kept now, claimed or not. */
    synchronized List<InetSocketAddress> kept() {
        return new ArrayList<>(byAddress.keySet());
    }

    @Deactivate
    synchronized void deactivate() {
        timer.shutdownNow();
        for (Kept kept : new ArrayList<>(byAddress.values())) {
            forget(kept);
        }
    }

    private synchronized void closeUnclaimed(Kept kept) {
        if (!kept.claimed && byAddress.get(kept.address) == kept) {
            LOG.info("Nobody took over the listening socket on {} within {} s; closing it", text(kept.address),
                    linger.toSeconds());
            forget(kept);
        }
    }

    private Kept find(ServerSocketChannel socket) {
        for (Kept kept : byAddress.values()) {
            if (kept.socket == socket) {
                return kept;
            }
        }
        return null;
    }

    private void forget(Kept kept) {
        byAddress.remove(kept.address, kept);
        if (kept.closing != null) {
            kept.closing.cancel(false);
        }
        try {
            kept.socket.close();
        } catch (IOException e) {
            LOG.warn("Closing the listening socket on {} failed: {}", text(kept.address), e.getMessage());
        }
    }

    private static String text(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }
}
