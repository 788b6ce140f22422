package cloud.hop3.core.impl.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.HostName;
import cloud.hop3.api.platform.Platform;
import cloud.hop3.api.plugin.PluginKind;
import cloud.hop3.core.impl.app.AppDocument;
import cloud.hop3.core.impl.route.RouteManager;

/** The "Serving at" line of a deploy names the address the serving proxy reports, not an environment variable. */
class ServingAtTest {

    private static final AppName SHOP = AppName.of("shop");
    private static final AppDocument DOC = new AppDocument(1, "shop", Instant.EPOCH, List.of("www.shop.org"), Map.of(),
            Map.of(), List.of(), false, List.of());

    /** A platform whose proxy reports {@code addresses} for every app, with an HTTP port of {@code httpPort}. */
    private static Platform platform(List<URI> addresses, int httpPort) {
        return new Platform() {
            @Override
            public Path home() {
                return Path.of("/srv/hop3");
            }

            @Override
            public Path stateDirectory(PluginKind kind, String name) {
                throw new UnsupportedOperationException();
            }

            @Override
            public HostName domain() {
                return HostName.of("example.com");
            }

            @Override
            public int httpPort() {
                return httpPort;
            }

            @Override
            public int httpsPort() {
                return 8443;
            }

            @Override
            public List<java.net.InetAddress> bindAddresses() {
                return List.of(java.net.InetAddress.getLoopbackAddress());
            }

            @Override
            public java.util.Optional<Path> socketHolder() {
                return java.util.Optional.empty();
            }

            @Override
            public List<URI> publicAddresses(AppName app) {
                return addresses;
            }
        };
    }

    private static Optional<String> servingAt(Platform platform) {
        return new ReleaseRunner(null, new RouteManager(), platform, null).servingAt(SHOP, DOC);
    }

    @Test
    void theFirstAddressThatTheProxyReportsIsShown() {
        Platform platform = platform(List.of(URI.create("http://shop.example.com:9080/"),
                URI.create("https://shop.example.com:9443/")), 8080);

        assertEquals(Optional.of("Serving at http://shop.example.com:9080/"), servingAt(platform));
    }

    @Test
    void withoutReportedAddressesTheFirstHostOnThePlatformsHttpPortIsShown() {
        assertEquals(Optional.of("Serving at http://shop.localhost:8000/"), servingAt(platform(List.of(), 8000)));
        assertEquals(Optional.of("Serving at http://shop.localhost/"), servingAt(platform(List.of(), 80)));
    }
}
