package cloud.hop3.proxy.haproxy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.HostName;
import cloud.hop3.api.proxy.Route;
import cloud.hop3.api.proxy.TlsCertificate;
import cloud.hop3.api.proxy.Upstream;
import cloud.hop3.plugin.testkit.ProxyFixtures;

/** Settings and routes for the tests. */
final class Fixture {

    private Fixture() {
    }

    static int freePort() throws IOException {
        return ProxyFixtures.freePort();
    }

    static HaproxySettings settings(Path directory) throws IOException {
        int http = freePort();
        int https = freePort();
        while (https == http) {
            https = freePort();
        }
        return new HaproxySettings("haproxy", directory, "127.0.0.1", http, https, 0, Duration.ofSeconds(5),
                Duration.ofSeconds(30), 1024 * 1024, Duration.ofSeconds(20));
    }

    static Route route(String app, List<String> hosts, List<Upstream> upstreams) {
        return ProxyFixtures.route(app, hosts, upstreams);
    }

    static Route withStatics(Route r, Map<String, Path> statics) {
        return ProxyFixtures.withStatics(r, statics);
    }

    static Route withTls(Route r, TlsCertificate tls, boolean redirect) {
        return ProxyFixtures.withTls(r, tls, redirect);
    }
}
