package cloud.hop3.core.impl.route;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.app.HostName;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.proxy.Proxy;
import cloud.hop3.api.proxy.RouteTable;
import cloud.hop3.api.tls.CertificateException;
import cloud.hop3.api.tls.CertificateIssuer;
import cloud.hop3.api.tls.IssuedCertificate;
import cloud.hop3.core.impl.app.AppCatalog;
import cloud.hop3.core.impl.app.ReleaseDocument;
import cloud.hop3.core.impl.app.RuntimeDocument;
import cloud.hop3.core.impl.platform.PlatformFacts;
import cloud.hop3.core.impl.platform.PlatformSettings;
import cloud.hop3.core.impl.tls.Certificates;

/**
 * The addresses the Platform service gives for an app come from the proxy that serves it: its
 * listeners and the host names its table routes to the app.
 */
class PublicAddressesTest {

    private static final AppName SHOP = AppName.of("shop");

    @TempDir
    Path home;

    private AppCatalog apps;
    private Certificates certificates;
    private RouteManager routes;
    private PlatformFacts platform;

    /** A proxy that serves what it is given and reports fixed listeners. */
    private static final class ListeningProxy implements Proxy {
        private final List<URI> listeners;
        private volatile RouteTable table = RouteTable.empty();

        ListeningProxy(List<URI> listeners) {
            this.listeners = listeners;
        }

        @Override
        public String name() {
            return "test";
        }

        @Override
        public void apply(RouteTable next) {
            table = next;
        }

        @Override
        public RouteTable serving() {
            return table;
        }

        @Override
        public List<URI> listeners() {
            return listeners;
        }
    }

    @BeforeEach
    void start() throws Exception {
        PlatformSettings settings = new PlatformSettings(home, "example.com", "0.0.0.0", 2222, 8000, 8443);
        apps = new AppCatalog(settings, Clock.systemUTC());
        apps.create(SHOP);
        RuntimeDocument runtime = new RuntimeDocument(Map.of("web", "./web"), Map.of(), List.of(), List.of(), null, null, List.of());
        apps.update(SHOP, d -> d.withRelease(new ReleaseDocument(1, 1, "abc", "generic", "Deploy", Instant.EPOCH, Map.of(),
                Map.of("web", 1), runtime)).withUpstreams(List.of(5001)).withDomains(List.of("www.shop.org")));
        apps.create(AppName.of("idle"));
        certificates = new Certificates(apps, home, Clock.systemUTC(), "");
        routes = new RouteManager(apps, certificates);
        routes.activate(RouteManagerTest.config("", "example.com"));
        platform = new PlatformFacts(settings, routes);
    }

    @AfterEach
    void stop() {
        routes.deactivate();
        certificates.deactivate(); // no issuance writes into the temporary directory while it is removed
    }

    private void serveThrough(ListeningProxy proxy) throws Exception {
        routes.addProxy(proxy, Map.of(Proxy.NAME_PROPERTY, "test"));
        routes.awaitRefreshes();
    }

    @Test
    void withoutAProxyAnAppHasNoAddress() {
        assertEquals(List.of(), platform.publicAddresses(SHOP));
    }

    @Test
    void theAddressesFollowTheListenersTheProxyReports() throws Exception {
        serveThrough(new ListeningProxy(List.of(URI.create("http://:8081"), URI.create("https://:8444"))));

        // no certificate yet: HTTPS is not an address of the app
        assertEquals(List.of(URI.create("http://shop.example.com:8081/"), URI.create("http://www.shop.org:8081/")),
                platform.publicAddresses(SHOP));
    }

    @Test
    void thePortIsLeftOutWhereItIsTheSchemesOwn() throws Exception {
        serveThrough(new ListeningProxy(List.of(URI.create("http://:80"))));

        assertEquals(URI.create("http://shop.example.com/"), platform.publicAddresses(SHOP).get(0));
    }

    @Test
    void aProxyThatDoesNotReportListenersIsTakenToListenOnThePlatformsHttpPort() throws Exception {
        serveThrough(new ListeningProxy(List.of()));

        assertEquals(List.of(URI.create("http://shop.example.com:8000/"), URI.create("http://www.shop.org:8000/")),
                platform.publicAddresses(SHOP));
    }

    @Test
    void anAppThatIsNotServedHasNoAddress() throws Exception {
        serveThrough(new ListeningProxy(List.of(URI.create("http://:8081"))));

        assertEquals(List.of(), platform.publicAddresses(AppName.of("idle")));
        assertEquals(List.of(), platform.publicAddresses(AppName.of("nothere")));
    }

    @Test
    void withACertificateTheHttpsAddressesFollowTheHttpOnes() throws Exception {
        certificates.addIssuer(new CertificateIssuer() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public IssuedCertificate issue(Set<HostName> hosts, Path directory) throws CertificateException {
                try {
                    Files.writeString(directory.resolve("chain.pem"), "chain");
                    Files.writeString(directory.resolve("key.pem"), "key");
                } catch (IOException e) {
                    throw new CertificateException("cannot write", e);
                }
                return new IssuedCertificate(hosts, directory.resolve("chain.pem"), directory.resolve("key.pem"),
                        Instant.now().plus(Duration.ofDays(90)));
            }
        }, Map.of(CertificateIssuer.NAME_PROPERTY, "test"));
        serveThrough(new ListeningProxy(List.of(URI.create("https://:8444"), URI.create("http://:8081"))));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (certificates.serving(SHOP).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        routes.refresh();

        assertEquals(List.of(URI.create("http://shop.example.com:8081/"), URI.create("http://www.shop.org:8081/"),
                URI.create("https://shop.example.com:8444/"), URI.create("https://www.shop.org:8444/")),
                platform.publicAddresses(SHOP));
    }
}
