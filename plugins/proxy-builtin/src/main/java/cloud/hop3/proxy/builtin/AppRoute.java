package cloud.hop3.proxy.builtin;

import java.util.concurrent.atomic.AtomicInteger;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.metrics.RequestMeter;
import cloud.hop3.api.metrics.RequestMetrics;
import cloud.hop3.plugin.support.files.StaticSite;

/**
 * One route, compiled for serving: its upstream targets in a fixed order with a round-robin
 * cursor, its static site, and whether plain HTTP goes to HTTPS.
 */
final class AppRoute {

    private final AppName app;
    private final UpstreamTarget[] upstreams;
    private final StaticSite statics;
    private final boolean redirectsToHttps;
    private final AtomicInteger cursor = new AtomicInteger();
    /** The meter of this route's requests and the metrics service that gave it. */
    private volatile Metered metered = Metered.NONE;

    private record Metered(RequestMetrics source, RequestMeter meter) {
        static final Metered NONE = new Metered(null, RequestMeter.NONE);
    }

    AppRoute(AppName app, UpstreamTarget[] upstreams, StaticSite statics, boolean redirectsToHttps) {
        this.app = app;
        this.upstreams = upstreams;
        this.statics = statics;
        this.redirectsToHttps = redirectsToHttps;
    }

    /** Whether plain HTTP requests are redirected to HTTPS (the app has a certificate and wants it). */
    boolean redirectsToHttps() {
        return redirectsToHttps;
    }

    AppName app() {
        return app;
    }

    StaticSite statics() {
        return statics;
    }

    boolean hasUpstreams() {
        return upstreams.length > 0;
    }

    int upstreamCount() {
        return upstreams.length;
    }

    /**
     * The meter of this route's requests from {@code metrics} (null: none is there): asked for
     * once, then kept for as long as the same service is there.
     */
    RequestMeter meter(RequestMetrics metrics) {
        Metered m = metered;
        if (m.source() != metrics) {
            m = metrics == null ? Metered.NONE : new Metered(metrics, metrics.meter(app, RequestMetrics.WEB));
            metered = m;
        }
        return m.meter();
    }

    /** Where the round-robin starts for the next request. */
    int nextStart() {
        return cursor.getAndIncrement();
    }

    /** The upstream of attempt {@code attempt} (0 first) of a request whose round-robin start is {@code start}. */
    UpstreamTarget upstream(int start, int attempt) {
        return upstreams[Math.floorMod(start + attempt, upstreams.length)];
    }
}
