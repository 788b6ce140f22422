package cloud.hop3.proxy.builtin;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * A Netty server channel over a listening socket that core keeps: closing the channel stops
 * accepting but leaves the socket open, so that the connections arriving meanwhile wait in its
 * accept queue for the next proxy instance (a bundle update) instead of being refused.
 */
final class KeptServerChannel extends NioServerSocketChannel {

    private static final Logger LOG = LoggerFactory.getLogger(KeptServerChannel.class);
    private static final long DEREGISTER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long DEREGISTER_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    KeptServerChannel(ServerSocketChannel socket) {
        super(socket);
    }

    private volatile boolean closed;

    @Override
    protected void doClose() {
        // the socket belongs to the keeper: only this channel closes, and Netty deregisters it
        closed = true;
    }

    @Override
    public boolean isOpen() {
        return !closed && super.isOpen();
    }

    /**
     * Closes the kept socket ({@code closeSocket}) so that another server that listens on the
     * same port with {@code SO_REUSEPORT} gets every new connection, losing none of those queued
     * on this one: closing a listening socket resets the connections waiting in its queue, so
     * they are accepted (and served like any other) right before it closes. The channel first
     * leaves its selector, since the JDK defers the close of a registered socket to the next
     * selection, leaving it listening and queueing meanwhile. What remains is the kernel's: a
     * connection whose TCP handshake is under way on this socket when it closes (usually a few
     * microseconds, longer on a loaded machine) is reset, unless Linux's
     * {@code net.ipv4.tcp_migrate_req} is 1, which hands it to the other listener.
     * <p>
     * Called on any thread but the channel's event loop; returns once the socket is closed.
     */
    void closeSocketAcceptingWhatWaits(Runnable closeSocket) {
        deregister().awaitUninterruptibly();
        ServerSocketChannel socket = javaChannel();
        long deadline = System.nanoTime() + DEREGISTER_TIMEOUT_NANOS;
        while (socket.isRegistered() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(DEREGISTER_POLL_NANOS); // the event loop's next selection
        }
        List<Object> accepted = new ArrayList<>();
        try {
            for (SocketChannel connection; (connection = socket.accept()) != null; ) {
                accepted.add(connection);
            }
        } catch (IOException e) {
            LOG.debug("Accepting the last queued connections failed: {}", e.toString());
        }
        closeSocket.run();
        if (!accepted.isEmpty()) {
            eventLoop().submit(() -> {
                ChannelPipeline pipeline = pipeline();
                for (Object connection : accepted) {
                    pipeline.fireChannelRead(new NioSocketChannel(this, (SocketChannel) connection));
                }
                pipeline.fireChannelReadComplete();
            }).awaitUninterruptibly();
        }
        close().awaitUninterruptibly();
    }
}
