package cloud.hop3.proxy.builtin;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import cloud.hop3.api.metrics.RequestMetrics;
import cloud.hop3.api.platform.Platform;
import cloud.hop3.api.proxy.Proxy;
import cloud.hop3.api.proxy.ProxyException;
import cloud.hop3.api.proxy.RouteTable;
import cloud.hop3.api.proxy.SocketKeeper;
import cloud.hop3.api.proxy.Upstream;

/**
 * The embedded reverse proxy: an HTTP server in the platform's own JVM (Netty) that routes each
 * request by its {@code Host} header to the app's web processes, round-robin, over kept-alive
 * connections, and serves the apps' static files itself. Nothing to install.
 * <p>
 * Activation claims the listening socket from core's {@link SocketKeeper} (binding it the first
 * time, so a port in use fails the activation with a clear message) and starts accepting with the
 * first route table core applies. Deactivation stops accepting and gives the socket back, lets the
 * requests in flight finish (up to the drain timeout), then closes everything. Because the socket
 * stays open in core meanwhile, an update of this bundle refuses no connection: they wait in the
 * socket's queue for the new instance.
 * <p>
 * When the platform runs with a socket holder ({@link Platform#socketHolder()}, a process that
 * outlives the platform's JVM), the sockets come from it instead: each instance gets its own
 * duplicate, so that they outlive a restart or an upgrade of the whole platform too.
 * <p>
 * HTTPS: with the first table the proxy also listens on the HTTPS port (kept by core the same
 * way) and serves each host that has a certificate with it, chosen by the name the client sends
 * (SNI); the certificates are read on apply. Apps that ask for it have plain HTTP redirected to
 * HTTPS (308), except ACME challenges. {@link #retire()} closes both sockets (another proxy takes
 * the ports over) and the next apply listens again.
 */
// ranked above the other proxies: installing one of them moves no route until core's proxy names it
@Component(service = Proxy.class, immediate = true,
        property = {Proxy.NAME_PROPERTY + "=" + BuiltinProxy.NAME, "service.ranking:Integer=10"},
        configurationPid = BuiltinProxy.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = BuiltinProxy.Config.class)
public class BuiltinProxy implements Proxy {

    static final String NAME = "builtin";
    static final String PID = "cloud.hop3.proxy.builtin";

    @ObjectClassDefinition(id = PID, name = "Hop3 built-in proxy",
            description = "The embedded HTTP reverse proxy that routes requests to apps by host name and"
                    + " serves their static files.")
    public @interface Config {

        @AttributeDefinition(name = "HTTP port", required = false,
                description = "TCP port, from 1 to 65535, on which the proxy accepts HTTP requests. Empty means"
                        + " the platform's HTTP port (httpPort in cloud.hop3.core, 8080 by default).")
        String httpPort() default "";

        @AttributeDefinition(name = "HTTPS port", required = false,
                description = "TCP port, from 1 to 65535, on which the proxy accepts HTTPS requests for the apps"
                        + " that have a certificate; it listens once the first route table arrives. Empty means"
                        + " the platform's HTTPS port (httpsPort in cloud.hop3.core, 8443 by default).")
        String httpsPort() default "";

        @AttributeDefinition(name = "Bind addresses", required = false,
                description = "IP addresses on which the proxy listens, separated by commas: 0.0.0.0 means every"
                        + " IPv4 address of the machine, :: every IPv6 address and, on a dual-stack system, every"
                        + " IPv4 address too, 127.0.0.1 only this machine. Empty means the platform's"
                        + " (bind_addresses in cloud.hop3.core, HOP3_BIND_ADDRESSES, else 0.0.0.0).")
        String bindAddress() default "";

        @AttributeDefinition(name = "Upstream connect timeout", min = "1",
                description = "Longest wait, in milliseconds, for a connection to an app process; after it"
                        + " the proxy tries the app's next process, or answers 502 when none is left.")
        int connectTimeoutMillis() default ProxySettings.DEFAULT_CONNECT_TIMEOUT_MILLIS;

        @AttributeDefinition(name = "Idle timeout", min = "1",
                description = "Longest silence, in seconds, on a connection: a client connection waiting for"
                        + " its next request is closed after it, and an app that sends nothing for that long"
                        + " gets its request answered with 504.")
        int idleTimeoutSeconds() default ProxySettings.DEFAULT_IDLE_TIMEOUT_SECONDS;

        @AttributeDefinition(name = "Maximum request header size", min = "1024",
                description = "Largest request line, and largest header block, in bytes, that the proxy"
                        + " accepts; a larger request is answered with 414 or 431.")
        int maxHeaderBytes() default ProxySettings.DEFAULT_MAX_HEADER_BYTES;

        @AttributeDefinition(name = "Maximum request body size", min = "0",
                description = "Largest request body, in megabytes (1 MB is 1,048,576 bytes), that the proxy"
                        + " forwards; a larger one is answered with 413. 0 means no limit.")
        int maxBodyMegabytes() default ProxySettings.DEFAULT_MAX_BODY_MEGABYTES;

        @AttributeDefinition(name = "Drain timeout", min = "0",
                description = "Longest wait, in seconds, for the requests in flight to finish when the proxy"
                        + " stops (bundle update, shutdown) before it closes their connections.")
        int drainTimeoutSeconds() default ProxySettings.DEFAULT_DRAIN_TIMEOUT_SECONDS;
    }

    private final ProxyServer server;

    @Activate
    public BuiltinProxy(Config config, @Reference SocketKeeper keeper, @Reference Platform platform) {
        this(ProxySettings.of(config, platform), Transport.best(), keeper,
                platform.socketHolder().map(SocketHolder::new).orElse(null));
    }

    BuiltinProxy(ProxySettings settings, Transport transport) {
        this(settings, transport, null);
    }

    BuiltinProxy(ProxySettings settings, Transport transport, SocketKeeper keeper) {
        this(settings, transport, keeper, null);
    }

    /** With {@code holder}: the listening sockets come from it when it answers (see {@link ProxyServer}). */
    BuiltinProxy(ProxySettings settings, Transport transport, SocketKeeper keeper, SocketHolder holder) {
        this.server = new ProxyServer(settings, transport, keeper, holder);
        server.start();
    }

    /** The metrics service, when there is one: each request is reported to it. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetRequestMetrics")
    void setRequestMetrics(RequestMetrics metrics) {
        server.metrics(metrics);
    }

    void unsetRequestMetrics(RequestMetrics metrics) {
        if (server.metrics() == metrics) {
            server.metrics(null);
        }
    }

    @Deactivate
    void deactivate() {
        server.stop();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void apply(RouteTable table) throws ProxyException {
        server.apply(table);
    }

    /** HTTP while it listens, HTTPS too once a table with a certificate opened that listener. */
    @Override
    public List<URI> listeners() {
        if (server.stopping() || server.retired() || server.port() <= 0) {
            return List.of();
        }
        List<URI> listeners = new ArrayList<>();
        listeners.add(URI.create("http://:" + server.port()));
        if (server.httpsPort() > 0) {
            listeners.add(URI.create("https://:" + server.httpsPort()));
        }
        return List.copyOf(listeners);
    }

    @Override
    public RouteTable serving() {
        return server.serving();
    }

    @Override
    public boolean drain(Collection<Upstream> upstreams, Duration timeout) throws InterruptedException {
        return server.drain(upstreams, timeout);
    }

    @Override
    public void retire() {
        server.retire();
    }

    /** The HTTPS port (the bound one when the configuration said 0); 0 before the first table. */
    int httpsPort() {
        return server.httpsPort();
    }

    /** The port the proxy listens on (the bound one when the configuration said 0). */
    int port() {
        return server.port();
    }

    ProxyServer server() {
        return server;
    }
}
