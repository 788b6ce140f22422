package cloud.hop3.proxy.builtin;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.net.SocketAddress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;

import cloud.hop3.api.tls.TlsSupport;
import cloud.hop3.plugin.support.files.StaticSite;

/**
 * One client connection: reads its requests one at a time, routes each by its {@code Host}
 * header, and either answers it here (a static file, an error page) or forwards it to an
 * upstream, streaming the bodies both ways with back-pressure.
 * <p>
 * Messages are handled as they come while the state takes them; what arrives when it cannot (a
 * pipelined request while one is in flight, a body while connecting) waits in a small backlog,
 * and reading stops until it is handled. Reading also stops while the upstream cannot take more
 * of a body. That gives pipelined requests their turn and keeps a fast client from outrunning a
 * slow upstream, without a system call per request in the usual case. The upstream
 * connection lives on the same event loop, so every method here runs on one thread.
 * <p>
 * An exchange holds its {@link UpstreamTarget} (counted in flight) from the moment it picks it
 * until it ends, whichever way it ends, so a request that started before an apply finishes on
 * the upstream it started on and {@code drain} sees it. This class is long because it is one
 * state machine; its states are the constants of {@link State}.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(FrontendHandler.class);

    private enum State {
        /** Waiting for a request head. */
        IDLE,
        /** Waiting for a connection to an upstream; not reading. */
        CONNECTING,
        /** Forwarding the request body to the upstream. */
        SENDING,
        /** The request is forwarded; the response is being relayed. */
        AWAITING,
        /** Answered here; reading and dropping the rest of the request. */
        DISCARDING,
        /** Upgraded (WebSocket): bytes relayed both ways as they come. */
        TUNNEL,
        /** Closing, or closed. */
        CLOSED
    }

    private final ProxyServer server;
    private final UpstreamConnections connections;
    /** Whether the client came over HTTPS. */
    private final boolean secure;
    private ChannelHandlerContext ctx;
    private String clientAddress;

    private State state = State.IDLE;
    // the exchange in progress
    private HttpRequest request;
    private boolean keepAlive;
    private boolean http10;
    private boolean head;
    private boolean requestHasBody;
    private boolean requestComplete;
    private long bodyBytes;
    private AppRoute route;
    private int start;
    private int attempt;
    private boolean retried;
    private UpstreamTarget target;
    private Channel backend;
    private BackendHandler backendHandler;
    private boolean backendReused;
    private boolean backendKeepAlive;
    private boolean responseStarted;
    private boolean informational;
    private boolean upgradeRequested;
    private boolean switching;
    private boolean waitingForBackend;
    private boolean reading = true;
    private final long idleNanos;
    private long lastActivity;
    private long activeSince;
    private boolean requestSeen;
    /** When the current request's head was read, and the status of its answer (0 until known). */
    private long requestStarted;
    private int answered;
    private ScheduledFuture<?> idleCheck;
    private final ArrayDeque<Object> backlog = new ArrayDeque<>(4);

    FrontendHandler(ProxyServer server, UpstreamConnections connections, boolean secure) {
        this.server = server;
        this.connections = connections;
        this.secure = secure;
        this.idleNanos = server.settings().idleTimeout().toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        lastActivity = System.nanoTime();
        activeSince = lastActivity;
        idleCheck = ctx.executor().schedule(this::checkIdle, idleNanos, TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    /** Whether the current state takes the client's next message now. */
    private boolean accepting() {
        return !waitingForBackend
                && (state == State.IDLE || state == State.SENDING || state == State.DISCARDING || state == State.TUNNEL);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastActivity = System.nanoTime();
        if (backlog.isEmpty() && accepting()) {
            handle(msg);
        } else {
            backlog.addLast(msg);
            pause();
        }
    }

    /** Stops reading from the client until {@link #resume()}. */
    private void pause() {
        if (reading) {
            reading = false;
            ctx.channel().config().setAutoRead(false);
        }
    }

    /**
     * The current state can take more from the client: first what waits in the backlog (what one
     * socket read decoded beyond what could be handled: pipelined requests, a body while
     * connecting), then the socket again.
     */
    private void resume() {
        Object next;
        while (accepting() && (next = backlog.pollFirst()) != null) {
            handle(next);
        }
        if (!reading && accepting() && backlog.isEmpty() && state != State.CLOSED) {
            reading = true;
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void handle(Object msg) {
        switch (state) {
            case IDLE -> {
                if (msg instanceof HttpRequest r) {
                    onRequest(r);
                } else {
                    ReferenceCountUtil.release(msg);
                    resume();
                }
            }
            case SENDING -> {
                if (msg instanceof HttpContent content) {
                    onRequestContent(content);
                } else {
                    ReferenceCountUtil.release(msg);
                }
            }
            case TUNNEL -> {
                if (msg instanceof ByteBuf bytes) {
                    backend.writeAndFlush(bytes, backend.voidPromise());
                    if (!backend.isWritable()) {
                        waitingForBackend = true;
                        pause();
                    }
                } else {
                    ReferenceCountUtil.release(msg);
                }
            }
            case DISCARDING -> {
                ReferenceCountUtil.release(msg);
                if (msg instanceof LastHttpContent) {
                    requestComplete = true;
                    endExchange();
                    state = State.IDLE;
                }
                resume();
            }
            default -> ReferenceCountUtil.release(msg);
        }
    }

    // ---- requests --------------------------------------------------------------------------

    private void onRequest(HttpRequest req) {
        requestStarted = System.nanoTime();
        answered = 0;
        request = req;
        requestSeen = true;
        http10 = req.protocolVersion().minorVersion() == 0;
        keepAlive = HttpUtil.isKeepAlive(req) && !closing();
        HttpMethod method = req.method();
        head = HttpMethod.HEAD.equals(method);
        requestComplete = false;
        responseStarted = false;
        informational = false;
        switching = false;
        retried = false;
        bodyBytes = 0;
        if (req.decoderResult().isFailure()) {
            Throwable cause = req.decoderResult().cause();
            HttpResponseStatus status = cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                    : cause instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                    : cause instanceof TooLongFrameException ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE
                    : HttpResponseStatus.BAD_REQUEST;
            requestHasBody = true; // the stream is out of step: close after the answer
            answer(status);
            return;
        }
        String refused = RequestFraming.problem(req);
        if (refused != null) {
            LOG.debug("Refused a request from {} with {}", clientAddress(), refused);
            requestHasBody = true; // the proxy and the app could read the rest differently: close
            answer(HttpResponseStatus.BAD_REQUEST);
            return;
        }
        requestHasBody = HttpUtil.isTransferEncodingChunked(req) || HttpUtil.getContentLength(req, 0L) > 0;
        String host = req.headers().get(HttpHeaderNames.HOST);
        route = server.routing().find(host);
        if (route == null) {
            answer(HttpResponseStatus.NOT_FOUND);
            return;
        }
        if (!secure && route.redirectsToHttps() && !isChallenge(req.uri())) {
            answered = HttpResponseStatus.PERMANENT_REDIRECT.code();
            finishLocal(ctx.writeAndFlush(ErrorPages.redirect(HttpResponseStatus.PERMANENT_REDIRECT,
                    httpsLocation(host, req.uri()), closeAfterAnswer())));
            return;
        }
        long maxBody = server.settings().maxBodyBytes();
        if (maxBody > 0 && HttpUtil.getContentLength(req, -1L) > maxBody) {
            answer(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
            return;
        }
        boolean readOnly = head || HttpMethod.GET.equals(method);
        if (readOnly && !route.statics().isEmpty()) {
            StaticSite.Lookup lookup = route.statics().lookup(req.uri());
            if (lookup instanceof StaticSite.Found found) {
                serveFile(found);
                return;
            } else if (lookup instanceof StaticSite.Redirect redirect) {
                answered = HttpResponseStatus.MOVED_PERMANENTLY.code();
                finishLocal(ctx.writeAndFlush(ErrorPages.redirect(redirect.location(), closeAfterAnswer())));
                return;
            } else if (lookup == StaticSite.Outcome.REFUSED
                    || (lookup == StaticSite.Outcome.MISSING && !route.hasUpstreams())) {
                answer(HttpResponseStatus.NOT_FOUND);
                return;
            }
        }
        if (!route.hasUpstreams()) {
            answer(readOnly ? HttpResponseStatus.NOT_FOUND : HttpResponseStatus.METHOD_NOT_ALLOWED);
            return;
        }
        HttpHeaders headers = req.headers();
        String upgrade = headers.get(HttpHeaderNames.UPGRADE);
        upgradeRequested = upgrade != null && headers.containsValue(HttpHeaderNames.CONNECTION,
                HttpHeaderValues.UPGRADE, true);
        HopByHop.strip(req);
        if (upgradeRequested) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            headers.set(HttpHeaderNames.UPGRADE, upgrade);
        }
        HopByHop.addForwarded(req, clientAddress(), host, secure ? server.httpsPortText() : server.portText(), secure);
        req.setProtocolVersion(HttpVersion.HTTP_1_1);
        start = route.nextStart();
        attempt = 0;
        state = State.CONNECTING;
        connect(route.upstream(start, 0), true);
    }

    /** Whether the connection closes after its current exchange (the proxy stops or retired). */
    private boolean closing() {
        return server.stopping() || server.retired();
    }

    /** Whether a request target is an ACME HTTP-01 challenge, which is never redirected to HTTPS. */
    private static boolean isChallenge(String uri) {
        return pathAndQuery(uri).startsWith(TlsSupport.CHALLENGE_PATH);
    }

    /** The path and query of a request target, also in absolute form ({@code http://host/path}). */
    private static String pathAndQuery(String uri) {
        if (uri.startsWith("/")) {
            return uri;
        }
        int scheme = uri.indexOf("://");
        if (scheme < 0) {
            return "/";
        }
        int path = uri.indexOf('/', scheme + 3);
        return path < 0 ? "/" : uri.substring(path);
    }

    /** The HTTPS address of a plain HTTP request: same host, the HTTPS port, same path and query. */
    private String httpsLocation(String hostHeader, String uri) {
        String host = HostNames.fromHeader(hostHeader);
        int port = server.httpsPort();
        return "https://" + host + (port == 443 ? "" : ":" + port) + pathAndQuery(uri);
    }

    private void connect(UpstreamTarget next, boolean mayReuse) {
        if (target != next) {
            target = next;
            next.started();
        }
        if (mayReuse) {
            Channel idle = connections.acquire(next.upstream());
            if (idle != null) {
                attach(idle, true);
                return;
            }
        }
        ChannelFuture connecting = connections.connect(next);
        if (connecting.isDone()) {
            connected(connecting, next);
        } else {
            connecting.addListener((ChannelFutureListener) f -> connected(f, next));
        }
    }

    private void connected(ChannelFuture future, UpstreamTarget attempted) {
        if (state != State.CONNECTING || target != attempted) {
            // the client left (or the exchange ended) while we were connecting
            if (future.isSuccess()) {
                future.channel().close();
            }
            return;
        }
        if (future.isSuccess()) {
            attach(future.channel(), false);
            return;
        }
        LOG.debug("Upstream {} of app {} refused a connection: {}", attempted, route.app(), future.cause().toString());
        target = null;
        attempted.finished();
        attempt++;
        if (attempt < route.upstreamCount()) {
            connect(route.upstream(start, attempt), true);
        } else {
            LOG.debug("No upstream of app {} accepts connections", route.app());
            answer(HttpResponseStatus.BAD_GATEWAY);
        }
    }

    private void attach(Channel channel, boolean reused) {
        backend = channel;
        backendReused = reused;
        backendHandler = (BackendHandler) channel.pipeline().last();
        backendHandler.bind(this, target.upstream());
        backend.write(request, backend.voidPromise());
        if (requestComplete) {
            // a retry: the (empty) body was already read
            state = State.AWAITING;
            backend.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, backend.voidPromise());
        } else {
            state = State.SENDING;
            resume();
        }
    }

    private void onRequestContent(HttpContent content) {
        long maxBody = server.settings().maxBodyBytes();
        bodyBytes += content.content().readableBytes();
        if (maxBody > 0 && bodyBytes > maxBody) {
            content.release();
            requestComplete = false;
            abandonBackend();
            if (responseStarted) {
                closeNow();
            } else {
                requestHasBody = true;
                answer(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
            }
            return;
        }
        if (content instanceof LastHttpContent) {
            requestComplete = true;
            state = State.AWAITING;
            backend.writeAndFlush(content, backend.voidPromise());
        } else {
            backend.writeAndFlush(content, backend.voidPromise());
            if (!backend.isWritable()) {
                waitingForBackend = true;
                pause();
            }
        }
    }

    /** The upstream connection can take more of the request body. */
    void backendWritable() {
        if (waitingForBackend && (state == State.SENDING || state == State.TUNNEL)) {
            waitingForBackend = false;
            resume();
        }
    }

    // ---- responses -------------------------------------------------------------------------

    void onResponseHead(HttpResponse response) {
        touched();
        if (response.decoderResult().isFailure()) {
            LOG.debug("Upstream {} of app {} sent an invalid response: {}", target, route.app(),
                    response.decoderResult().cause().toString());
            backend.close();
            return;
        }
        HttpResponseStatus status = response.status();
        int code = status.code();
        if (code == 101) {
            switchProtocols(response);
            return;
        }
        if (code < 200) {
            informational = true;
            HopByHop.strip(response);
            ctx.write(response, ctx.voidPromise());
            return;
        }
        responseStarted = true;
        answered = code;
        request = null;
        backendKeepAlive = HttpUtil.isKeepAlive(response);
        HopByHop.strip(response);
        HttpHeaders headers = response.headers();
        boolean chunked = HttpUtil.isTransferEncodingChunked(response);
        boolean bodyless = head || code == 204 || code == 304 || code == 101;
        if (!bodyless && !chunked && !headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            // the body ends when the upstream closes: re-frame it for the client
            if (http10) {
                keepAlive = false;
            } else {
                HttpUtil.setTransferEncodingChunked(response, true);
            }
        } else if (chunked && http10) {
            headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
            keepAlive = false;
        }
        if ((!requestComplete && requestHasBody) || closing()) {
            keepAlive = false; // the rest of the body is never read, or the proxy stops
        }
        if (!keepAlive) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ctx.write(response, ctx.voidPromise());
    }

    void onResponseContent(HttpContent content) {
        touched();
        if (switching) {
            // the end of the 101 response: from here on both sides speak the new protocol
            ctx.writeAndFlush(content, ctx.voidPromise());
            startTunnel();
            return;
        }
        if (informational) {
            if (content instanceof LastHttpContent) {
                informational = false;
            }
            ctx.write(content, ctx.voidPromise());
            return;
        }
        if (!(content instanceof LastHttpContent)) {
            ctx.write(content, ctx.voidPromise());
            if (!ctx.channel().isWritable()) {
                backend.config().setAutoRead(false);
                ctx.flush();
            }
            return;
        }
        ChannelFuture written = ctx.writeAndFlush(content);
        Channel upstream = backend;
        UpstreamTarget finished = target;
        detachBackend();
        if (backendKeepAlive && requestComplete && upstream.isActive()) {
            upstream.config().setAutoRead(true);
            connections.release(finished.upstream(), upstream);
        } else {
            upstream.close();
        }
        finishLocal(written);
    }

    private void switchProtocols(HttpResponse response) {
        if (!upgradeRequested || !requestComplete) {
            LOG.debug("Upstream {} of app {} switched protocols unasked", target, route.app());
            backend.close();
            return;
        }
        responseStarted = true;
        switching = true;
        request = null;
        HttpHeaders headers = response.headers();
        String upgrade = headers.get(HttpHeaderNames.UPGRADE);
        HopByHop.strip(response);
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        if (upgrade != null) {
            headers.set(HttpHeaderNames.UPGRADE, upgrade);
        }
        ctx.write(response, ctx.voidPromise());
    }

    /**
     * Leaves HTTP on both connections: their codecs go (what they had read and not decoded is
     * passed on as bytes), and the exchange ends, so a long-lived WebSocket holds up no drain.
     */
    private void startTunnel() {
        switching = false;
        state = State.TUNNEL;
        answered = 101;
        report();
        UpstreamTarget started = target;
        target = null;
        route = null;
        started.finished();
        backend.pipeline().remove(HttpClientCodec.class);
        ctx.pipeline().remove(HttpServerCodec.class);
        resume();
    }

    /** Bytes from the upstream of a tunnel. */
    void onTunnelBytes(ByteBuf bytes) {
        touched();
        if (state != State.TUNNEL) {
            bytes.release();
            return;
        }
        ctx.write(bytes, ctx.voidPromise());
        if (!ctx.channel().isWritable()) {
            backend.config().setAutoRead(false);
            ctx.flush();
        }
    }

    /** Flushes what the upstream sent in one read. */
    void flushToClient() {
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        touched();
        if (backend != null && ctx.channel().isWritable()) {
            backend.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** The upstream connection of the exchange closed. */
    void backendClosed(Channel channel) {
        if (channel != backend) {
            return;
        }
        detachBackend();
        if (state == State.TUNNEL) {
            closeNow();
        } else if (responseStarted) {
            LOG.debug("Upstream {} of app {} closed during a response", target, route.app());
            closeNow();
        } else if (backendReused && !retried && !requestHasBody && request != null && state != State.CLOSED) {
            // most likely a kept-alive connection the upstream had just closed: once more, on a new one
            retried = true;
            state = State.CONNECTING;
            connect(target, false);
        } else {
            LOG.debug("Upstream {} of app {} closed without answering", target, route.app());
            answer(HttpResponseStatus.BAD_GATEWAY);
        }
    }

    /**
     * Checks for the idle timeout: nothing read from the client, nor from the upstream of its
     * exchange, for that long. One timer per connection, cheaper than watching every write.
     */
    private void checkIdle() {
        if (state == State.CLOSED) {
            return;
        }
        long silent = System.nanoTime() - lastActivity;
        if (silent < idleNanos || state == State.CONNECTING) {
            // connecting has its own timeout
            idleCheck = ctx.executor().schedule(this::checkIdle, Math.max(idleNanos - silent, idleNanos / 10),
                    TimeUnit.NANOSECONDS);
        } else if (state == State.AWAITING && !responseStarted) {
            LOG.debug("Upstream {} of app {} did not answer in time", target, route.app());
            requestHasBody = true; // close after the answer
            answer(HttpResponseStatus.GATEWAY_TIMEOUT);
        } else {
            closeNow();
        }
    }

    /** The client's connection can take more; counts as activity for the idle timeout. */
    private void touched() {
        lastActivity = System.nanoTime();
    }

    // ---- answers made here -----------------------------------------------------------------

    private void serveFile(StaticSite.Found found) {
        answered = StaticFile.notModified(found, request) ? 304 : 200;
        StaticFile.write(ctx, found, request, head, closeAfterAnswer(), http10)
                .ifPresentOrElse(this::finishLocal, () -> answer(HttpResponseStatus.NOT_FOUND));
    }

    /** Answers the current request with an error page, then goes on with the connection. */
    private void answer(HttpResponseStatus status) {
        answered = status.code();
        abandonBackend();
        finishLocal(ctx.writeAndFlush(ErrorPages.page(status, closeAfterAnswer())));
    }

    private boolean closeAfterAnswer() {
        return !keepAlive || (requestHasBody && !requestComplete);
    }

    /** The answer is written: end the exchange and read the next request, or close. */
    private void finishLocal(ChannelFuture written) {
        report();
        endExchange();
        if (closeAfterAnswer()) {
            state = State.CLOSED;
            written.addListener(ChannelFutureListener.CLOSE);
        } else if (requestComplete) {
            state = State.IDLE;
            resume();
        } else {
            state = State.DISCARDING;
            resume();
        }
    }

    /**
     * Reports the answered request of an app to the metrics service, once: its status and the
     * time since its head was read. Requests for no app (an unknown host) are not reported.
     */
    private void report() {
        if (answered != 0 && route != null) {
            route.meter(server.metrics()).record(answered, System.nanoTime() - requestStarted);
        }
        answered = 0;
    }

    private void endExchange() {
        request = null;
        route = null;
        waitingForBackend = false;
        if (target != null) {
            UpstreamTarget finished = target;
            target = null;
            finished.finished();
        }
    }

    private void detachBackend() {
        if (backendHandler != null) {
            backendHandler.unbind();
        }
        backend = null;
        backendHandler = null;
    }

    /** Drops the upstream connection of the exchange, if any: it cannot be reused mid-exchange. */
    private void abandonBackend() {
        Channel channel = backend;
        detachBackend();
        if (channel != null) {
            channel.close();
        }
    }

    private void closeNow() {
        state = State.CLOSED;
        endExchange();
        ctx.flush();
        ctx.close();
    }

    private String clientAddress() {
        if (clientAddress == null) {
            SocketAddress remote = ctx.channel().remoteAddress();
            clientAddress = remote instanceof InetSocketAddress inet && inet.getAddress() != null
                    ? inet.getAddress().getHostAddress() : "unknown";
        }
        return clientAddress;
    }

    /**
     * Closes the connection when it waits for its next request (the proxy stops). A connection
     * that has not sent its first request yet gets {@code fresh} for it: its client has just
     * connected and is surely sending one, which is then answered and the connection closed. A
     * tunnel (WebSocket) is closed at once: its client reconnects to the next instance.
     */
    void closeIfIdle(Duration fresh) {
        if (state == State.TUNNEL
                || state == State.IDLE && (requestSeen || System.nanoTime() - activeSince > fresh.toNanos())) {
            closeNow();
        }
    }

    // ---- connection events -----------------------------------------------------------------

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = State.CLOSED;
        if (idleCheck != null) {
            idleCheck.cancel(false);
        }
        for (Object msg; (msg = backlog.pollFirst()) != null; ) {
            ReferenceCountUtil.release(msg);
        }
        abandonBackend();
        endExchange();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("Client connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        closeNow();
    }
}
