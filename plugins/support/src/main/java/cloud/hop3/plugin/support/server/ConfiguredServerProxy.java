package cloud.hop3.plugin.support.server;

import java.time.Duration;
import java.util.Collection;

import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.annotations.Deactivate;

import cloud.hop3.api.proxy.ProxyException;
import cloud.hop3.api.proxy.RouteTable;
import cloud.hop3.api.proxy.Upstream;
import cloud.hop3.plugin.support.accesslog.RequestLog;

/**
 * An {@link ExternalServerProxy} whose server takes each route table as one configuration text:
 * the plugin's writer turns the table into the server's configuration and its
 * {@link ExternalServer} loads it, reports whether it runs, drains, retires and stops. nginx and
 * Caddy work this way; a subclass keeps its DS annotations and configuration, and inherits its
 * deactivation ({@link #deactivate}), which a plugin's bundle reads with
 * {@code -dsannotations-options: inherit}.
 *
 * @param <S> the plugin's server
 */
public abstract class ConfiguredServerProxy<S extends ExternalServer> extends ExternalServerProxy {

    /** Turns a route table into the server's configuration. */
    @FunctionalInterface
    public interface ConfigWriter {

        /**
         * The configuration that serves {@code table}.
         *
         * @throws ProxyException when the table cannot be served (a route the server cannot express)
         */
        String write(RouteTable table) throws ProxyException;
    }

    private final ConfigWriter writer;
    private final S server;

    /**
     * @param name the proxy's name
     * @param httpPort the port the server accepts HTTP on
     * @param httpsPort the port it accepts HTTPS on while some route has a certificate
     * @param requests the server's access log, which {@code writer} has the server write
     */
    protected ConfiguredServerProxy(String name, int httpPort, int httpsPort, RequestLog requests, ConfigWriter writer,
                                    S server) {
        super(name, httpPort, httpsPort, requests);
        this.writer = writer;
        this.server = server;
    }

    /**
     * The component goes: the access log is no longer read. When SCR replaces the component
     * because its configuration changed or was deleted, the server keeps serving for the new
     * instance to take over ({@link ExternalServer#handOver}); otherwise it stops for good.
     */
    @Deactivate
    public void deactivate(int reason) {
        requestLog().close();
        if (Handovers.replaced(reason)) {
            server.handOver(Handovers.WAIT);
        } else {
            server.stop();
        }
    }

    /** The component goes for good (as when its bundle stops): the server stops. */
    public void deactivate() {
        deactivate(ComponentConstants.DEACTIVATION_REASON_DISPOSED);
    }

    /** The server this proxy drives. */
    public final S server() {
        return server;
    }

    @Override
    protected final void serve(RouteTable table) throws ProxyException {
        server.load(writer.write(table));
    }

    @Override
    protected final boolean running() {
        return server.alive();
    }

    @Override
    public final boolean drain(Collection<Upstream> upstreams, Duration timeout) throws InterruptedException {
        return server.drain(upstreams, timeout);
    }

    @Override
    protected final void stopServing() {
        server.retire();
    }
}
