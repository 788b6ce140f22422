package cloud.hop3.proxy.builtin;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;

import cloud.hop3.api.proxy.ProxyException;
import cloud.hop3.api.proxy.SocketKeeper;
import cloud.hop3.api.proxy.RouteTable;
import cloud.hop3.api.proxy.Upstream;

/**
 * The proxy's Netty server: one acceptor thread, one event loop per core, each with its own
 * upstream connections; the routing that serves, swapped whole on apply; and the start and stop
 * of it all.
 */
final class ProxyServer {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyServer.class);
    private static final int MAX_CHUNK_BYTES = 64 * 1024;
    private static final int BACKLOG = 1024;
    private static final int MAX_RESPONSE_HEADER_BYTES = 64 * 1024;

    /** How long a new instance waits for its first route table before it accepts anyway. */
    static final Duration FIRST_APPLY_WAIT = Duration.ofSeconds(5);
    /** How long a connection accepted just before a stop has to send its first request. */
    static final Duration FRESH_CONNECTION_GRACE = Duration.ofSeconds(1);
    private static final long STOP_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final ProxySettings settings;
    private final Transport transport;
    private final SocketKeeper keeper;
    private ServerSocketChannel keptSocket;
    private volatile boolean accepting;
    private final UpstreamRegistry registry = new UpstreamRegistry();
    private final Map<EventLoop, UpstreamConnections> connections = new IdentityHashMap<>();
    private final Object applyLock = new Object();
    private volatile Routing routing = Routing.EMPTY;
    private volatile boolean stopping;

    private EventLoopGroup acceptor;
    private EventLoopGroup workers;
    private ChannelGroup clients;
    private Channel listener;
    private int port;
    private String portText;

    /**
     * @param keeper where the listening socket is kept across instances; null to bind it here
     *               (then it closes with the instance). A kept socket is served with NIO.
     */
    ProxyServer(ProxySettings settings, Transport transport, SocketKeeper keeper) {
        this.settings = settings;
        this.transport = keeper == null ? transport : Transport.nio();
        this.keeper = keeper;
    }

    ProxySettings settings() {
        return settings;
    }

    Routing routing() {
        return routing;
    }

    boolean stopping() {
        return stopping;
    }

    int port() {
        return port;
    }

    String portText() {
        return portText;
    }

    /**
     * Binds the port and starts serving (an empty table until the first apply).
     *
     * @throws IllegalStateException with the reason when the port cannot be bound
     */
    void start() {
        acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("hop3-proxy-accept"),
                transport.ioHandlers());
        workers = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
                new DefaultThreadFactory("hop3-proxy"), transport.ioHandlers());
        clients = new DefaultChannelGroup("hop3-proxy-clients", GlobalEventExecutor.INSTANCE);
        for (EventExecutor executor : workers) {
            EventLoop loop = (EventLoop) executor;
            UpstreamConnections loopConnections = new UpstreamConnections(loop);
            loopConnections.bootstrap(upstreamBootstrap(loopConnections));
            connections.put(loop, loopConnections);
        }
        InetSocketAddress address = new InetSocketAddress(settings.bindAddress(), settings.port());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, workers)
                // accepting starts with the first route table, so that no request meets an empty one
                .option(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                // each accepted connection joins clients before it is handed to its event loop,
                // so that a stop that closes the listener knows every connection it must answer
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object accepted) {
                        clients.add((Channel) accepted);
                        ctx.fireChannelRead(accepted);
                    }
                })
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(
                                new HttpServerCodec(new HttpDecoderConfig()
                                        .setMaxInitialLineLength(settings.maxHeaderBytes())
                                        .setMaxHeaderSize(settings.maxHeaderBytes())
                                        .setMaxChunkSize(MAX_CHUNK_BYTES)),
                                new FrontendHandler(ProxyServer.this, connections.get(ch.eventLoop())));
                    }
                });
        ChannelFuture bound;
        Throwable failure = null;
        if (keeper != null) {
            try {
                keptSocket = keeper.claim(address, BACKLOG);
                ServerSocketChannel socket = keptSocket;
                bound = bootstrap.channelFactory(() -> new KeptServerChannel(socket)).register().awaitUninterruptibly();
            } catch (IOException | RuntimeException e) {
                bound = null;
                failure = e;
            }
        } else {
            bound = bootstrap.channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, BACKLOG)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .bind(address)
                    .awaitUninterruptibly();
        }
        if (bound == null || !bound.isSuccess()) {
            if (bound != null) {
                failure = bound.cause();
            }
            if (keptSocket != null) {
                keeper.release(keptSocket);
                keptSocket = null;
            }
            shutdownGroups();
            String reason = failure == null ? "unknown" : failure.getMessage();
            String message = "The built-in proxy cannot listen on " + settings.bindAddress() + ":" + settings.port()
                    + " (" + reason + "). Another program may use that port: stop it, or set httpPort in "
                    + BuiltinProxy.PID + " (or the " + ProxySettings.PORT_VARIABLE
                    + " environment variable) to a free port.";
            LOG.error(message);
            throw new IllegalStateException(message, failure);
        }
        listener = bound.channel();
        port = ((InetSocketAddress) listener.localAddress()).getPort();
        portText = Integer.toString(port);
        LOG.info("Built-in proxy listening on {}:{} (HTTP, {} transport, {} event loops{})", settings.bindAddress(),
                port, transport.name(), connections.size(), keptSocket == null ? "" : ", socket kept by core");
        acceptor.schedule(this::accept, FIRST_APPLY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts accepting connections (after the first route table, or when it is late). */
    private void accept() {
        if (!accepting && !stopping) {
            accepting = true;
            listener.config().setAutoRead(true);
        }
    }

    private Bootstrap upstreamBootstrap(UpstreamConnections loopConnections) {
        return new Bootstrap()
                .group(loopConnections.loop())
                .channel(transport.channel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        settings.connectTimeout().toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(
                                // closes pooled connections that sat idle; exchanges are timed by their client
                                new IdleStateHandler(settings.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS),
                                new HttpClientCodec(new HttpDecoderConfig()
                                        .setMaxInitialLineLength(MAX_RESPONSE_HEADER_BYTES)
                                        .setMaxHeaderSize(MAX_RESPONSE_HEADER_BYTES)
                                        .setMaxChunkSize(MAX_CHUNK_BYTES), false, false),
                                new BackendHandler(loopConnections));
                    }
                });
    }

    /**
     * Validates and compiles {@code table}, then makes it the one that serves.
     *
     * @throws ProxyException when the table is invalid; the previous one still serves
     */
    void apply(RouteTable table) throws ProxyException {
        synchronized (applyLock) {
            Routing previous = routing;
            Routing next = Routing.compile(table, port, registry);
            routing = next;
            Set<Upstream> inUse = new HashSet<>(next.upstreams());
            inUse.addAll(previous.upstreams());
            registry.retainOnly(inUse);
            if (table.equals(previous.table())) {
                LOG.debug("Route table generation {} applied again", table.generation());
            } else {
                LOG.info("Built-in proxy serves route table generation {}: {} apps", table.generation(),
                        table.routes().size());
            }
        }
        accept();
    }

    /** Waits for the requests in flight to {@code upstreams}, then closes idle connections to them. */
    boolean drain(Collection<Upstream> upstreams, Duration timeout) throws InterruptedException {
        List<Upstream> list = List.copyOf(upstreams);
        boolean drained = registry.awaitIdle(list, timeout);
        List<Future<?>> closing = new ArrayList<>();
        for (UpstreamConnections c : connections.values()) {
            closing.add(c.loop().submit(() -> c.closeIdle(list)));
        }
        for (Future<?> f : closing) {
            f.await(1, TimeUnit.SECONDS);
        }
        return drained;
    }

    /** Idle pooled connections to {@code upstream}, over all event loops; for tests. */
    int idleConnections(Upstream upstream) throws InterruptedException {
        int sum = 0;
        for (UpstreamConnections c : connections.values()) {
            Future<Integer> count = c.loop().submit(() -> c.idleCount(upstream));
            count.await(1, TimeUnit.SECONDS);
            sum += count.getNow() == null ? 0 : count.getNow();
        }
        return sum;
    }

    /** Requests in flight to {@code upstreams}. */
    int inFlight(Collection<Upstream> upstreams) {
        return registry.inFlight(upstreams);
    }

    /**
     * Stops accepting, gives the requests in flight up to the drain timeout to finish, then closes
     * every connection and stops the threads.
     */
    void stop() {
        stopping = true;
        if (listener != null) {
            listener.close().awaitUninterruptibly();
        }
        if (keptSocket != null) {
            // from here the kernel queues new connections for the next instance
            keeper.release(keptSocket);
        }
        // every connection accepted so far is in clients (added by the listener's pipeline):
        // answer what they send, closing each one once it waits for another request
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        while (!clients.isEmpty() && System.nanoTime() < deadline) {
            for (Channel client : clients) {
                FrontendHandler handler = client.pipeline().get(FrontendHandler.class);
                if (handler != null) {
                    client.eventLoop().execute(() -> handler.closeIfIdle(FRESH_CONNECTION_GRACE));
                }
            }
            LockSupport.parkNanos(STOP_POLL_NANOS);
        }
        if (!clients.isEmpty()) {
            LOG.warn("Built-in proxy stops with {} connections still open ({} requests in flight) after {} s",
                    clients.size(), registry.inFlight(), settings.drainTimeout().toSeconds());
        }
        clients.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        shutdownGroups();
        LOG.info("Built-in proxy stopped listening on port {}", port);
    }

    private void shutdownGroups() {
        Future<?> a = acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        Future<?> w = workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        a.awaitUninterruptibly(5, TimeUnit.SECONDS);
        w.awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
