package cloud.hop3.proxy.caddy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.HostName;
import cloud.hop3.api.proxy.Route;
import cloud.hop3.api.proxy.TlsCertificate;
import cloud.hop3.api.proxy.Upstream;
import cloud.hop3.plugin.testkit.ProxyFixtures;

/** Settings and routes for the tests; certificates come from the testkit's {@link ProxyFixtures}. */
final class CaddyFixture {

    private CaddyFixture() {
    }

    static CaddySettings settings(Path directory) throws IOException {
        return new CaddySettings("caddy", directory, "127.0.0.1", ProxyFixtures.freePort(), ProxyFixtures.freePort(), Duration.ofSeconds(2),
                Duration.ofSeconds(30), 16384, 1024L * 1024L, Duration.ofSeconds(10), Duration.ofSeconds(20));
    }

    static Route route(String app, List<Upstream> upstreams) {
        return new Route(AppName.of(app), List.of(HostName.of(app + ".test")), upstreams, Map.of(), Optional.empty(), false);
    }

    static Route route(String app, List<Upstream> upstreams, Map<String, Path> statics) {
        return new Route(AppName.of(app), List.of(HostName.of(app + ".test")), upstreams, statics, Optional.empty(), false);
    }
}
