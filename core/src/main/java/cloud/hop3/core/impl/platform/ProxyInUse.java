package cloud.hop3.core.impl.platform;

import java.util.Optional;

import cloud.hop3.api.proxy.Proxy;

/**
 * The proxy that serves the apps' routes, as the routing knows it. The routing implements it
 * (and registers it as a service); the packages it builds on (the platform facts, the plugin
 * registry) ask through it, so that they do not depend on the routing that depends on them.
 */
public interface ProxyInUse {

    /**
     * The proxy in use: the one that serves the routes, else (nothing served yet) the one that
     * is configured, if installed.
     */
    Optional<Proxy> proxy();

    /** The name of the proxy that serves the routes now, if one does. */
    Optional<String> servingName();

    /**
     * Why the configured proxy does not serve the routes (it refused them, or it is not
     * installed), naming the proxy that serves instead; empty when the configured one serves.
     */
    Optional<String> problem();
}
