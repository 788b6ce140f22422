package cloud.hop3.proxy.builtin;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;

import cloud.hop3.api.proxy.Upstream;

/**
 * The upstream connections of one event loop: how to open one, and the idle ones kept for reuse
 * (HTTP/1.1 keep-alive), newest first. A client connection only ever uses the instance of its own
 * event loop, so requests and their upstream connections share one thread and nothing here is
 * locked; other threads reach it through {@link EventLoop#execute}.
 */
final class UpstreamConnections {

    /** Idle connections kept per upstream and event loop; more are closed. */
    static final int MAX_IDLE_PER_UPSTREAM = 256;

    private final EventLoop loop;
    private final Map<Upstream, ArrayDeque<Channel>> idle = new HashMap<>();
    private Bootstrap bootstrap;

    UpstreamConnections(EventLoop loop) {
        this.loop = loop;
    }

    /** Sets how connections are opened (on {@link #loop()}); once, before the proxy serves. */
    void bootstrap(Bootstrap connector) {
        this.bootstrap = connector;
    }

    EventLoop loop() {
        return loop;
    }

    /** Opens a new connection to {@code target}. */
    ChannelFuture connect(UpstreamTarget target) {
        return bootstrap.connect(target.address());
    }

    /** An idle, open connection to {@code upstream}, or null. */
    Channel acquire(Upstream upstream) {
        ArrayDeque<Channel> channels = idle.get(upstream);
        if (channels == null) {
            return null;
        }
        Channel channel;
        while ((channel = channels.pollFirst()) != null) {
            if (channel.isActive()) {
                return channel;
            }
        }
        return null;
    }

    /** Keeps a connection whose exchange is over for the next request, or closes it. */
    void release(Upstream upstream, Channel channel) {
        ArrayDeque<Channel> channels = idle.computeIfAbsent(upstream, u -> new ArrayDeque<>());
        if (channels.size() >= MAX_IDLE_PER_UPSTREAM || !channel.isActive()) {
            channel.close();
        } else {
            channels.addFirst(channel);
        }
    }

    /** Forgets a connection that closed while idle. */
    void remove(Upstream upstream, Channel channel) {
        ArrayDeque<Channel> channels = idle.get(upstream);
        if (channels != null) {
            channels.remove(channel);
            if (channels.isEmpty()) {
                idle.remove(upstream);
            }
        }
    }

    /** Closes the idle connections to {@code upstreams}; must run on {@link #loop()}. */
    void closeIdle(Collection<Upstream> upstreams) {
        for (Upstream upstream : upstreams) {
            ArrayDeque<Channel> channels = idle.remove(upstream);
            if (channels != null) {
                channels.forEach(Channel::close);
            }
        }
    }

    /** Idle connections to {@code upstream}; must run on {@link #loop()}. */
    int idleCount(Upstream upstream) {
        ArrayDeque<Channel> channels = idle.get(upstream);
        return channels == null ? 0 : channels.size();
    }

    /** Closes every idle connection; must run on {@link #loop()}. */
    void closeAll() {
        for (Iterator<ArrayDeque<Channel>> it = idle.values().iterator(); it.hasNext(); ) {
            it.next().forEach(Channel::close);
            it.remove();
        }
    }
}
