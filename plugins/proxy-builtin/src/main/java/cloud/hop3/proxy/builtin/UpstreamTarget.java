package cloud.hop3.proxy.builtin;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

import cloud.hop3.api.proxy.Upstream;

/**
 * One upstream as the proxy forwards to it: its address, resolved once, and the number of
 * requests in flight to it. There is one target per upstream, shared by every route table that
 * names it, so the count survives an apply and {@link UpstreamRegistry#awaitIdle} sees requests
 * that started under an older table.
 */
final class UpstreamTarget {

    private final Upstream upstream;
    private final InetSocketAddress address;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final UpstreamRegistry registry;

    UpstreamTarget(Upstream upstream, UpstreamRegistry registry) {
        this.upstream = upstream;
        this.registry = registry;
        InetSocketAddress resolved = new InetSocketAddress(upstream.host(), upstream.port());
        // an address that does not resolve now is resolved again at every connection attempt
        this.address = resolved.isUnresolved()
                ? InetSocketAddress.createUnresolved(upstream.host(), upstream.port()) : resolved;
    }

    Upstream upstream() {
        return upstream;
    }

    InetSocketAddress address() {
        return address;
    }

    int inFlight() {
        return inFlight.get();
    }

    /** A request to this upstream starts. */
    void started() {
        inFlight.incrementAndGet();
    }

    /** A request to this upstream is over (answered, failed or abandoned). */
    void finished() {
        if (inFlight.decrementAndGet() == 0) {
            registry.idle();
        }
    }

    @Override
    public String toString() {
        return upstream.host() + ":" + upstream.port();
    }
}
