package cloud.hop3.proxy.builtin;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;

import cloud.hop3.api.metrics.RequestMetrics;
import cloud.hop3.api.proxy.ProxyException;
import cloud.hop3.api.proxy.SocketKeeper;
import cloud.hop3.api.proxy.RouteTable;
import cloud.hop3.api.proxy.Upstream;
import cloud.hop3.plugin.support.server.BindAddresses;

/**
 * The proxy's Netty server: one acceptor thread for two listeners (HTTP, and HTTPS once the first
 * table arrives), one event loop per core, each with its own upstream connections; the routing
 * that serves, swapped whole on apply; and the start, stop and retirement of it all. Longer than
 * a class should be because the three share the listeners' and the clients' lifecycle.
 */
final class ProxyServer {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyServer.class);
    private static final int MAX_CHUNK_BYTES = 64 * 1024;
    private static final int BACKLOG = 1024;
    private static final int MAX_RESPONSE_HEADER_BYTES = 64 * 1024;

    /** How long a new instance waits for its first route table before it accepts anyway. */
    static final Duration FIRST_APPLY_WAIT = Duration.ofSeconds(5);
    /**
     * The same when the sockets come from a holder: the platform is starting, perhaps after a
     * restart with clients waiting, and a request kept waiting a little longer is better
     * answered by the app than with a 404 from an empty table.
     */
    static final Duration FIRST_APPLY_WAIT_HELD = Duration.ofSeconds(30);
    /** How long a connection accepted just before a stop has to send its first request. */
    static final Duration FRESH_CONNECTION_GRACE = Duration.ofSeconds(1);
    private static final long STOP_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /**
     * One listening socket (one address, one port) and the Netty channel that accepts on it;
     * {@code kept} when core's keeper holds the socket, {@code held} (the address asked for) when
     * the socket holder does.
     */
    private record Listener(String protocol, Channel channel, ServerSocketChannel kept, InetSocketAddress held,
                            int port) {
    }

    private final ProxySettings settings;
    private final Transport transport;
    private final SocketKeeper keeper;
    private final SocketHolder holder;
    private final UpstreamRegistry registry = new UpstreamRegistry();
    private final ServerCertificates certificates = new ServerCertificates();
    private final Map<EventLoop, UpstreamConnections> connections = new IdentityHashMap<>();
    private final Object applyLock = new Object();
    private volatile Routing routing = Routing.EMPTY;
    /** Where requests are reported; null when no metrics service is there. */
    private volatile RequestMetrics metrics;
    private volatile boolean stopping;
    /**
     * Between a retire and the next apply: not listening, serving no table. The connections
     * accepted before still finish with the last routing (no new one can arrive).
     */
    private volatile boolean retired;

    private EventLoopGroup acceptor;
    private EventLoopGroup workers;
    private ChannelGroup clients;
    private ServerBootstrap httpBootstrap;
    private ServerBootstrap httpsBootstrap;
    /** The HTTP listeners, one per bind address; null while closed. */
    private volatile List<Listener> http;
    /** The HTTPS listeners, one per bind address; null while closed. */
    private volatile List<Listener> https;
    private int port;
    private String portText;
    private volatile int httpsPort;
    private volatile String httpsPortText;

    /**
     * @param keeper where the listening sockets are kept across instances; null to bind them here
     *               (then they close with the instance). A kept socket is served with NIO.
     * @param holder the process that holds the listening sockets across restarts of the
     *               platform, null when there is none: preferred to the keeper when it answers and
     *               the transport can adopt its descriptors (epoll)
     */
    ProxyServer(ProxySettings settings, Transport transport, SocketKeeper keeper, SocketHolder holder) {
        this.settings = settings;
        boolean held = false;
        if (holder != null) {
            if (transport.adopt() == null) {
                LOG.warn("The socket holder on {} is not used: only the epoll transport takes its sockets; the listening"
                        + " sockets close with the platform", holder.socket());
            } else if (!holder.answers()) {
                LOG.warn("The socket holder on {} does not answer; the listening sockets close with the platform",
                        holder.socket());
            } else {
                held = true;
            }
        }
        this.holder = held ? holder : null;
        this.transport = held || keeper == null ? transport : Transport.nio();
        this.keeper = keeper;
    }

    ProxySettings settings() {
        return settings;
    }

    Routing routing() {
        return routing;
    }

    RequestMetrics metrics() {
        return metrics;
    }

    void metrics(RequestMetrics metrics) {
        this.metrics = metrics;
    }

    boolean stopping() {
        return stopping;
    }

    /** Whether the proxy retired and no table was applied since. */
    boolean retired() {
        return retired;
    }

    /** The table that serves: none after a retire. */
    RouteTable serving() {
        return retired ? RouteTable.empty() : routing.table();
    }

    int port() {
        return port;
    }

    String portText() {
        return portText;
    }

    /** The HTTPS port; 0 before the first table. */
    int httpsPort() {
        return httpsPort;
    }

    String httpsPortText() {
        return httpsPortText;
    }

    /**
     * Binds the HTTP port and starts serving (an empty table until the first apply).
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
        httpBootstrap = serverBootstrap(ch -> new FrontendHandler(this, connections.get(ch.eventLoop()), false),
                null);
        long handshakeMillis = Math.min(settings.idleTimeout().toMillis(), 10_000);
        httpsBootstrap = serverBootstrap(ch -> new FrontendHandler(this, connections.get(ch.eventLoop()), true),
                () -> new CertificateSelector(this::routing, handshakeMillis));
        try {
            http = listenAll(httpBootstrap, "HTTP", settings.port(), "httpPort");
        } catch (ListenException e) {
            shutdownGroups();
            LOG.error(e.getMessage());
            throw new IllegalStateException(e.getMessage(), e.getCause());
        }
        port = http.get(0).port();
        portText = Integer.toString(port);
        Duration firstApplyWait = holder == null ? FIRST_APPLY_WAIT : FIRST_APPLY_WAIT_HELD;
        acceptor.schedule(this::acceptFirst, firstApplyWait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private ServerBootstrap serverBootstrap(Function<SocketChannel, FrontendHandler> frontend,
                                            java.util.function.Supplier<CertificateSelector> tls) {
        return new ServerBootstrap()
                .group(acceptor, workers)
                // accepting starts with the first route table, so that no request meets an empty one
                .option(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                // each accepted connection joins clients before it is handed to its event loop,
                // so that a stop that closes the listener knows every connection it must answer
                .handler(new ClientTracker())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline pipeline = ch.pipeline();
                        if (tls != null) {
                            pipeline.addLast(tls.get());
                        }
                        pipeline.addLast(
                                new HttpServerCodec(new HttpDecoderConfig()
                                        .setMaxInitialLineLength(settings.maxHeaderBytes())
                                        .setMaxHeaderSize(settings.maxHeaderBytes())
                                        .setMaxChunkSize(MAX_CHUNK_BYTES)));
                        if (tls != null) {
                            // sendfile cannot go through TLS: static files are sent in chunks instead
                            pipeline.addLast(new ChunkedWriteHandler());
                        }
                        pipeline.addLast(frontend.apply(ch));
                    }
                });
    }

    /** Adds each accepted connection to {@link #clients}; on every listener, over and over. */
    @ChannelHandler.Sharable
    private final class ClientTracker extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object accepted) {
            clients.add((Channel) accepted);
            ctx.fireChannelRead(accepted);
        }
    }

    /** A listener that could not be opened, with a message for the user. */
    private static final class ListenException extends Exception {
        private static final long serialVersionUID = 1L;

        ListenException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Opens a listener on each bind address, not accepting yet; with port 0 the first one picks a
     * free port and the others take the same. When one fails, those opened are closed.
     */
    private List<Listener> listenAll(ServerBootstrap bootstrap, String protocol, int listenPort, String attribute)
            throws ListenException {
        List<Listener> opened = new ArrayList<>();
        try {
            for (InetAddress bindAddress : settings.bindAddresses()) {
                int wanted = listenPort == 0 && !opened.isEmpty() ? opened.get(0).port() : listenPort;
                opened.add(listen(bootstrap, protocol, bindAddress, wanted, attribute));
            }
        } catch (ListenException e) {
            closeAll(opened, true);
            throw e;
        }
        return List.copyOf(opened);
    }

    /**
     * Opens a listener, not accepting yet: asks the holder for the socket, or claims it from the
     * keeper (either binds it the first time), or binds it here, with a socket of the address's
     * family (an IPv4 address listens on IPv4 only). A holder that fails (it was stopped) leaves
     * the proxy binding its own socket.
     */
    private Listener listen(ServerBootstrap bootstrap, String protocol, InetAddress bindAddress, int listenPort,
                            String attribute) throws ListenException {
        InetSocketAddress address = new InetSocketAddress(bindAddress, listenPort);
        SocketProtocolFamily family = bindAddress instanceof Inet4Address ? SocketProtocolFamily.INET
                : SocketProtocolFamily.INET6;
        ChannelFuture bound = null;
        Throwable failure = null;
        ServerSocketChannel kept = null;
        InetSocketAddress held = null;
        if (holder != null) {
            try {
                int fd = holder.listen(address, BACKLOG);
                held = address;
                bound = bootstrap.clone().channelFactory(() -> transport.adopt().apply(fd)).register()
                        .awaitUninterruptibly();
            } catch (IOException e) {
                LOG.warn("The socket holder could not give a socket for {}:{} ({}); the proxy binds its own, which"
                        + " closes with the platform", BindAddresses.host(bindAddress), listenPort, e.getMessage());
            }
        }
        if (bound != null) {
            LOG.debug("Listening socket for {} taken from the socket holder", address);
        } else if (keeper != null && holder == null) {
            // the keeper's sockets are NIO ones, which the epoll event loops of a holder's proxy cannot serve
            try {
                kept = keeper.claim(address, BACKLOG);
                ServerSocketChannel socket = kept;
                bound = bootstrap.clone().channelFactory(() -> new KeptServerChannel(socket)).register()
                        .awaitUninterruptibly();
            } catch (IOException | RuntimeException e) {
                bound = null;
                failure = e;
            }
        } else {
            bound = bootstrap.clone().channelFactory(() -> transport.serverChannel().apply(family))
                    .option(ChannelOption.SO_BACKLOG, BACKLOG)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .bind(address)
                    .awaitUninterruptibly();
        }
        if (bound == null || !bound.isSuccess()) {
            if (bound != null) {
                failure = bound.cause();
            }
            if (kept != null) {
                keeper.release(kept);
            }
            String reason = failure == null ? "unknown" : failure.getMessage();
            throw new ListenException("The built-in proxy cannot listen for " + protocol + " on "
                    + BindAddresses.host(bindAddress) + ":" + listenPort + " (" + reason + "). Another program may use that"
                    + " port: stop it, or set " + attribute + " in " + BuiltinProxy.PID + " (or in cloud.hop3.core for"
                    + " every proxy) to a free port; or set bindAddress there (bind_addresses in cloud.hop3.core)"
                    + " to addresses of this machine.", failure);
        }
        Channel channel = bound.channel();
        int boundPort = ((InetSocketAddress) channel.localAddress()).getPort();
        LOG.info("Built-in proxy listening on {}:{} ({}{}, {} transport, {} event loops{})", BindAddresses.host(bindAddress),
                boundPort, protocol, protocol.equals("HTTPS") ? " with " + ServerCertificates.PROVIDER + " TLS" : "",
                transport.name(), connections.size(), kept != null ? ", socket kept by core"
                        : held != null ? ", socket held by " + holder.socket() : "");
        return new Listener(protocol, channel, kept, held, boundPort);
    }

    /**
     * Starts accepting when the first route table is late. Runs on the acceptor's event loop, so
     * it must not take the apply lock: apply and retire hold it while they wait for that loop.
     */
    private void acceptFirst() {
        if (!retired) {
            accept(); // a listener closed meanwhile by a retire ignores it
        }
    }

    /** Starts accepting connections on the open listeners. */
    private void accept() {
        if (stopping) {
            return;
        }
        for (List<Listener> listeners : Arrays.asList(http, https)) {
            if (listeners != null) {
                for (Listener listener : listeners) {
                    if (!listener.channel().config().isAutoRead()) {
                        listener.channel().config().setAutoRead(true);
                    }
                }
            }
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
     * Validates and compiles {@code table} (reading the certificates it names), opens the
     * listeners it needs (HTTPS from the first table on; both again after a retire), then makes it
     * the one that serves.
     *
     * @throws ProxyException when the table is invalid or a listener cannot be opened; the
     *                        previous one still serves
     */
    void apply(RouteTable table) throws ProxyException {
        synchronized (applyLock) {
            if (stopping) {
                throw new ProxyException("The built-in proxy is stopping; it serves no new table.");
            }
            Routing previous = retired ? Routing.EMPTY : routing;
            Routing next;
            try {
                next = Routing.compile(table, new int[] {port, httpsPort}, registry, certificates);
                openListeners();
            } catch (ProxyException e) {
                certificates.rollback();
                throw e;
            }
            certificates.commit();
            routing = next;
            retired = false;
            Set<Upstream> inUse = new HashSet<>(next.upstreams());
            inUse.addAll(previous.upstreams());
            registry.retainOnly(inUse);
            if (table.equals(previous.table())) {
                LOG.debug("Route table generation {} applied again", table.generation());
            } else {
                LOG.info("Built-in proxy serves route table generation {}: {} apps", table.generation(),
                        table.routes().size());
            }
            accept();
        }
    }

    /** Opens the listeners that are closed: HTTPS on the first apply, both after a retire. */
    private void openListeners() throws ProxyException {
        boolean reopened = false;
        try {
            if (http == null) {
                http = listenAll(httpBootstrap, "HTTP", port, "httpPort");
                reopened = true;
            }
            if (https == null) {
                int wanted = httpsPort > 0 ? httpsPort : settings.httpsPort();
                https = listenAll(httpsBootstrap, "HTTPS", wanted, "httpsPort");
                httpsPort = https.get(0).port();
                httpsPortText = Integer.toString(httpsPort);
            }
        } catch (ListenException e) {
            if (reopened) {
                // retired and still so: a listener that does not accept must not share the port
                // with the proxy that serves it now
                closeListeners(true);
            }
            LOG.error(e.getMessage());
            throw new ProxyException(e.getMessage(), e.getCause());
        }
    }

    /**
     * Another proxy takes over: stops accepting on both listeners and closes their sockets (so
     * the port is the other proxy's alone), forgets the table, and answers the connections
     * already accepted in the background (as {@link #stop()} does). The next apply listens again.
     */
    void retire() {
        List<Channel> accepted;
        synchronized (applyLock) {
            if (retired || stopping) {
                return;
            }
            retired = true;
            closeListeners(true);
            accepted = new ArrayList<>(clients);
            LOG.info("Built-in proxy retired: no longer listening on ports {} and {}; {} connections finishing",
                    port, httpsPort, accepted.size());
        }
        if (!accepted.isEmpty()) {
            Thread finishing = new Thread(() -> finish(accepted), "hop3-proxy-retire");
            finishing.setDaemon(true);
            finishing.start();
        }
    }

    /**
     * Closes both listeners. {@code closeSockets}: the kept sockets are closed too (another
     * proxy takes over the ports), else given back to the keeper for the next instance.
     */
    private void closeListeners(boolean closeSockets) {
        for (List<Listener> listeners : Arrays.asList(http, https)) {
            if (listeners != null) {
                closeAll(listeners, closeSockets);
            }
        }
        http = null;
        https = null;
    }

    /** Closes these listeners; {@code closeSockets} as for {@link #closeListeners}. */
    private void closeAll(List<Listener> listeners, boolean closeSockets) {
        for (Listener listener : listeners) {
            if (listener.kept() != null && closeSockets
                    && listener.channel() instanceof KeptServerChannel channel && channel.isRegistered()) {
                channel.closeSocketAcceptingWhatWaits(() -> keeper.close(listener.kept()));
            }
            if (listener.held() != null && closeSockets) {
                try {
                    holder.close(listener.held());
                } catch (IOException e) {
                    LOG.warn("The socket holder did not close its socket on port {}: {}", listener.port(), e.getMessage());
                }
            }
            // a held socket: this closes the proxy's copy only, the holder's still listens
            listener.channel().close().awaitUninterruptibly();
            if (listener.kept() != null) {
                if (closeSockets) {
                    keeper.close(listener.kept()); // ignored when closed above
                } else {
                    // from here the kernel queues new connections for the next instance
                    keeper.release(listener.kept());
                }
            }
        }
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
        synchronized (applyLock) {
            stopping = true;
            closeListeners(false);
        }
        // every connection accepted so far is in clients (added by the listener's pipeline)
        finish(clients);
        clients.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        shutdownGroups();
        LOG.info("Built-in proxy stopped listening on port {}", port);
    }

    /**
     * Answers what {@code accepted} connections send, closing each one once it waits for another
     * request, until none is left or the drain timeout passes; then closes the rest.
     */
    private void finish(Collection<Channel> accepted) {
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        List<Channel> open = new ArrayList<>(accepted);
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            open.removeIf(client -> !client.isOpen());
            for (Channel client : open) {
                FrontendHandler handler = client.pipeline().get(FrontendHandler.class);
                if (handler != null) {
                    try {
                        // also closes a TLS connection whose handshake did not end within the grace
                        client.eventLoop().execute(() -> handler.closeIfIdle(FRESH_CONNECTION_GRACE));
                    } catch (RejectedExecutionException e) {
                        return; // stopped meanwhile (after a retire): stop closed them all
                    }
                }
            }
            LockSupport.parkNanos(STOP_POLL_NANOS);
        }
        open.removeIf(client -> !client.isOpen());
        if (!open.isEmpty()) {
            LOG.warn("Built-in proxy closes {} connections still open ({} requests in flight) after {} s",
                    open.size(), registry.inFlight(), settings.drainTimeout().toSeconds());
            for (Channel client : open) {
                client.close();
            }
        }
    }

    private void shutdownGroups() {
        Future<?> a = acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        Future<?> w = workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        a.awaitUninterruptibly(5, TimeUnit.SECONDS);
        w.awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
