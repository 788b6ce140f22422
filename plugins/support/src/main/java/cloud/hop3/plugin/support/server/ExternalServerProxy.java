package cloud.hop3.plugin.support.server;

import java.net.URI;
import java.util.List;

import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.metrics.RequestMetrics;
import cloud.hop3.api.proxy.Proxy;
import cloud.hop3.api.proxy.ProxyException;
import cloud.hop3.api.proxy.RouteTable;
import cloud.hop3.plugin.support.accesslog.RequestLog;

/**
 * What every proxy that runs an external server program (nginx, Caddy, HAProxy) does the same
 * way: it remembers the table the server serves, only once the server took it; it reports its
 * listeners from whether the server runs; it has the requests of the server's access log counted
 * ({@link RequestLog}: opened before the server takes its first table, given each table it
 * serves); and retiring stops the server gracefully and forgets the table, so that the next apply
 * starts it again. {@link #apply} and {@link #retire} are serialised on the proxy.
 * <p>
 * A subclass says how its server takes a table ({@link #serve}), whether it runs
 * ({@link #running}) and how it stops for another proxy ({@link #stopServing}); it keeps its own
 * DS annotations, configuration, {@code drain} and deactivation, where it closes
 * {@link #requestLog()}. The optional, dynamic, greedy reference to {@link RequestMetrics} is
 * declared here: a plugin's bundle reads it with {@code -dsannotations-options: inherit}.
 */
public abstract class ExternalServerProxy implements Proxy {

    private static final Logger LOG = LoggerFactory.getLogger(ExternalServerProxy.class);

    private final String name;
    private final int httpPort;
    private final int httpsPort;
    private final RequestLog requests;
    private volatile RouteTable serving = RouteTable.empty();

    /**
     * @param name the proxy's name ({@link Proxy#NAME_PROPERTY})
     * @param httpPort the port the server accepts HTTP on
     * @param httpsPort the port it accepts HTTPS on while some route has a certificate
     * @param requests the server's access log
     */
    protected ExternalServerProxy(String name, int httpPort, int httpsPort, RequestLog requests) {
        this.name = name;
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
        this.requests = requests;
    }

    /** The server's access log, whose requests are counted. */
    public final RequestLog requestLog() {
        return requests;
    }

    /** The metrics service, when there is one: the requests of the access log are recorded on it. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetRequestMetrics")
    public final void setRequestMetrics(RequestMetrics metrics) {
        requests.metrics(metrics);
    }

    /** The metrics service went. */
    public final void unsetRequestMetrics(RequestMetrics metrics) {
        requests.withoutMetrics(metrics);
    }

    /**
     * Has the server serve this table (writing, checking and loading its configuration, starting
     * it on the first table); when it throws, the previous table keeps serving.
     */
    protected abstract void serve(RouteTable table) throws ProxyException;

    /** Whether the server process runs now. */
    protected abstract boolean running();

    /** Stops the server gracefully: it closes its listeners and finishes the requests in flight. */
    protected abstract void stopServing();

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final synchronized void apply(RouteTable table) throws ProxyException {
        requests.open();
        serve(table);
        serving = table;
        requests.routes(table);
        LOG.info("Proxy {} serves route table {} ({} routes)", name, table.generation(), table.routes().size());
    }

    /** HTTP while the server runs, HTTPS too while some route has a certificate. */
    @Override
    public final List<URI> listeners() {
        return Listeners.of(running(), httpPort, httpsPort, serving);
    }

    @Override
    public final RouteTable serving() {
        return serving;
    }

    /**
     * Another proxy took over: the server stops gracefully and the table is forgotten; the next
     * apply starts it again. Called by core, serialised with {@link #apply}.
     */
    @Override
    public final synchronized void retire() {
        stopServing();
        serving = RouteTable.empty();
        requests.stop();
    }
}
