package cloud.hop3.proxy.builtin;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

import cloud.hop3.api.proxy.Upstream;

/**
 * One upstream connection: hands what the upstream sends to the {@link FrontendHandler} of the
 * exchange it serves, or, while it waits idle in {@link UpstreamConnections}, closes on anything
 * unexpected. Runs on the event loop of its client connection.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(BackendHandler.class);

    private final UpstreamConnections connections;
    private FrontendHandler frontend;
    private Upstream upstream;

    BackendHandler(UpstreamConnections connections) {
        this.connections = connections;
    }

    /** The connection serves an exchange of {@code handler}. */
    void bind(FrontendHandler handler, Upstream to) {
        this.frontend = handler;
        this.upstream = to;
    }

    /** The exchange is over (the connection goes idle, or is closed). */
    void unbind() {
        this.frontend = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        FrontendHandler handler = frontend;
        if (handler == null) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        // HttpClientCodec sends a head, then contents, never a full message; bytes once upgraded
        if (msg instanceof HttpResponse response) {
            handler.onResponseHead(response);
        } else if (msg instanceof HttpContent content) {
            handler.onResponseContent(content);
        } else if (msg instanceof ByteBuf bytes) {
            handler.onTunnelBytes(bytes);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        FrontendHandler handler = frontend;
        if (handler != null) {
            handler.flushToClient();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        FrontendHandler handler = frontend;
        if (handler != null && ctx.channel().isWritable()) {
            handler.backendWritable();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        FrontendHandler handler = frontend;
        if (handler != null) {
            handler.backendClosed(ctx.channel());
        } else if (upstream != null) {
            connections.remove(upstream, ctx.channel());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            // an exchange in progress is timed by its client connection; an idle one goes
            if (frontend == null) {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("Upstream connection {} failed: {}", upstream, cause.toString());
        ctx.close();
    }
}
