package cloud.hop3.api.metrics;

import org.osgi.annotation.versioning.ProviderType;

import cloud.hop3.api.app.AppName;

/**
 * Where a proxy reports the requests it served. Implemented by the platform's metrics bundle; a
 * proxy binds it as an optional service, asks for the meter of each route once (when it compiles
 * its routes, or at the route's first request) and keeps it, so that reporting a request costs a
 * call on a meter it already holds.
 * <p>
 * <b>Callers.</b> Proxies, from any thread; thread-safe.
 */
@ProviderType
public interface RequestMetrics {

    /** The process type proxies route to. */
    String WEB = "web";

    /**
     * The meter of the requests to one process type of an app: the same meter for the same app
     * and type for as long as this service is registered. A meter of an app that is later
     * destroyed keeps taking requests, and counts none.
     */
    RequestMeter meter(AppName app, String processType);
}
