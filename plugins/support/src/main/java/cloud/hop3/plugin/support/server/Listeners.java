package cloud.hop3.plugin.support.server;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import cloud.hop3.api.proxy.RouteTable;

/**
 * What a proxy reports as its listeners ({@link cloud.hop3.api.proxy.Proxy#listeners()}): plain
 * HTTP while it runs, and HTTPS too while some route it serves has a certificate (a proxy binds
 * its HTTPS port only then). Stateless.
 */
public final class Listeners {

    private Listeners() {
    }

    /**
     * @param running whether the proxy listens at all now
     * @param serving the table it serves
     */
    public static List<URI> of(boolean running, int httpPort, int httpsPort, RouteTable serving) {
        if (!running) {
            return List.of();
        }
        List<URI> listeners = new ArrayList<>();
        listeners.add(URI.create("http://:" + httpPort));
        if (serving.routes().stream().anyMatch(route -> route.tls().isPresent())) {
            listeners.add(URI.create("https://:" + httpsPort));
        }
        return List.copyOf(listeners);
    }
}
