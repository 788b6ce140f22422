package cloud.hop3.proxy.builtin;

import java.nio.channels.ServerSocketChannel;

import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * A Netty server channel over a listening socket that core keeps: closing the channel stops
 * accepting but leaves the socket open, so that the connections arriving meanwhile wait in its
 * accept queue for the next proxy instance (a bundle update) instead of being refused.
 */
final class KeptServerChannel extends NioServerSocketChannel {

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
}
