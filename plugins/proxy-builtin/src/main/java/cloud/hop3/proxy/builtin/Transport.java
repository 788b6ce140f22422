package cloud.hop3.proxy.builtin;

import java.nio.channels.spi.SelectorProvider;
import java.util.function.Function;
import java.util.function.IntFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The socket implementation: Linux epoll through Netty's native library when it loads (fewer
 * system calls and copies), else the JDK's NIO, which works everywhere.
 *
 * @param name          "epoll" or "nio", for the log
 * @param ioHandlers    the event loops' I/O handler
 * @param serverChannel a new listening socket of the given family: an IPv4 one listens on IPv4
 *                      only, where a socket of the JDK's default family would take
 *                      {@code 0.0.0.0} for {@code ::} and listen on IPv6 too
 * @param channel       the connected socket class
 * @param adopt         a server channel over a listening socket's descriptor (one that a socket
 *                      holder handed over); null when the transport cannot (NIO)
 */
record Transport(String name, IoHandlerFactory ioHandlers, Function<SocketProtocolFamily, ServerChannel> serverChannel,
                 Class<? extends SocketChannel> channel, IntFunction<ServerChannel> adopt) {

    private static final Logger LOG = LoggerFactory.getLogger(Transport.class);

    /** Epoll when it is available, else NIO. */
    static Transport best() {
        try {
            if (Epoll.isAvailable()) {
                return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel::new,
                        EpollSocketChannel.class, EpollServerSocketChannel::new);
            }
            LOG.info("Netty's epoll transport is unavailable ({}); using NIO", String.valueOf(Epoll.unavailabilityCause()));
        } catch (LinkageError e) {
            // the epoll bundle is not installed (its import is optional)
            LOG.info("Netty's epoll transport is not installed; using NIO");
        }
        return nio();
    }

    static Transport nio() {
        return new Transport("nio", NioIoHandler.newFactory(),
                family -> new NioServerSocketChannel(SelectorProvider.provider(), family), NioSocketChannel.class, null);
    }
}
