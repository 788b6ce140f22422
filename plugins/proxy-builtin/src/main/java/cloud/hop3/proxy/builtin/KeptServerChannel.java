package cloud.hop3.proxy.builtin;

import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.Future;

/**
 * A Netty server channel over a listening socket that core keeps: closing the channel stops
 * accepting but leaves the socket open, so that the connections arriving meanwhile wait in its
 * accept queue for the next proxy instance (a bundle update) instead of being refused.
 */
final class KeptServerChannel extends NioServerSocketChannel {

    private static final Logger LOG = LoggerFactory.getLogger(KeptServerChannel.class);

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
     * On the channel's event loop: accepts every connection waiting in the socket's queue (they
     * are served like any other), then runs {@code closeSocket} at once and closes the channel.
     * Closing a listening socket resets the connections still queued on it, so the queue is
     * emptied right before, in the same task: only a connection completed in between (a few
     * microseconds) could still be lost.
     */
    Future<?> acceptPendingThenClose(Runnable closeSocket) {
        return eventLoop().submit(() -> {
            List<Object> accepted = new ArrayList<>();
            try {
                while (doReadMessages(accepted) > 0) {
                    // one connection per call, until the queue is empty
                }
            } catch (Exception e) {
                LOG.debug("Accepting the last queued connections failed: {}", e.toString());
            }
            ChannelPipeline pipeline = pipeline();
            for (Object connection : accepted) {
                pipeline.fireChannelRead(connection);
            }
            if (!accepted.isEmpty()) {
                pipeline.fireChannelReadComplete();
            }
            closeSocket.run();
            close();
        });
    }
}
