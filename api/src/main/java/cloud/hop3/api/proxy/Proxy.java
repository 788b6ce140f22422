package cloud.hop3.api.proxy;

import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A reverse proxy that serves the platform's routes. Registered with the service property
 * {@value #NAME_PROPERTY}; exactly one is active, chosen by core's configuration.
 * <p>
 * <b>Callers.</b> Core, after every change of the desired routing (a deploy's switch, a domain
 * added, an app destroyed) and whenever a proxy service appears. Calls are serialised by core.
 * <p>
 * <b>Idempotence.</b> {@link #apply(RouteTable)} receives the whole desired state, never a delta:
 * applying the same table twice changes nothing, and a freshly (re)started proxy converges at
 * once. An apply is atomic: either the new table serves, or the previous one still does.
 * <p>
 * <b>Going away.</b> A proxy that stops stops serving; core re-applies the current table to the
 * instance that comes back (a bundle update). Proxies that run an external server hand over
 * without closing its listening sockets.
 */
@ConsumerType
public interface Proxy {

    /** Service property holding the proxy's name. */
    String NAME_PROPERTY = "hop3.proxy";

    /** Short, stable name ("builtin", "nginx", "caddy", "haproxy"). */
    String name();

    /**
     * Makes {@code table} the routing state served.
     *
     * @throws ProxyException when the table cannot be served (for example the server's own
     *                        configuration check failed); the previous table keeps serving
     */
    void apply(RouteTable table) throws ProxyException;

    /**
     * Where this proxy listens, one URI per listener with scheme and port and no host
     * ({@code http://:8080}, {@code https://:8443}); empty while it does not listen. Core turns
     * them into the addresses it shows users ("Serving at"), so they follow the proxy's own
     * configuration rather than a default.
     */
    default List<URI> listeners() {
        return List.of();
    }

    /** The table that serves now; an empty table before the first apply. */
    RouteTable serving();

    /**
     * Waits until no request is in flight to any of {@code upstreams} (typically the web processes
     * of a release that a new apply no longer routes to), or until {@code timeout}, then forgets
     * any idle connections to them. Core calls it after an apply and before it stops those
     * processes, so that a redeploy drops no request.
     *
     * @return true when they drained, false when the timeout passed first
     */
    default boolean drain(Collection<Upstream> upstreams, Duration timeout) throws InterruptedException {
        return true;
    }

    /**
     * Core switched to another proxy: stop listening, answer the requests already accepted, and
     * forget the table. The next {@link #apply} makes this proxy listen and serve again.
     * <p>
     * Core calls it only once the proxy taking over serves the whole table. Both may listen on
     * the same port meanwhile, so a proxy binds its listening sockets with {@code SO_REUSEPORT};
     * connections then go to either one until this one has stopped listening, and none is refused.
     * Returns when this proxy no longer listens (requests in flight may still be finishing).
     */
    default void retire() {
    }
}
