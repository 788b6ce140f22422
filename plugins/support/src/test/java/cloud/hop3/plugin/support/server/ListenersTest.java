package cloud.hop3.plugin.support.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.HostName;
import cloud.hop3.api.proxy.Route;
import cloud.hop3.api.proxy.RouteTable;
import cloud.hop3.api.proxy.TlsCertificate;

class ListenersTest {

    private static Route route(String app, boolean tls) {
        return new Route(AppName.of(app), List.of(HostName.of(app + ".test")), List.of(), Map.of("/", Path.of("/srv")),
                tls ? Optional.of(new TlsCertificate(Path.of("/c.pem"), Path.of("/k.pem"))) : Optional.empty(), false);
    }

    @Test
    void aProxyThatDoesNotRunListensNowhere() {
        assertEquals(List.of(), Listeners.of(false, 8080, 8443, new RouteTable(1, List.of(route("shop", true)))));
    }

    @Test
    void httpsIsListedOnlyWhileARouteHasACertificate() {
        assertEquals(List.of(URI.create("http://:8080")),
                Listeners.of(true, 8080, 8443, new RouteTable(1, List.of(route("shop", false)))));
        assertEquals(List.of(URI.create("http://:80"), URI.create("https://:443")),
                Listeners.of(true, 80, 443, new RouteTable(2, List.of(route("shop", false), route("blog", true)))));
    }
}
