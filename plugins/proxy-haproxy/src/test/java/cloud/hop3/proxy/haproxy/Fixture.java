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

/** Settings and routes for the tests. */
final class Fixture {

    private Fixture() {
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
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
        return new Route(AppName.of(app), hosts.stream().map(HostName::of).toList(), upstreams, Map.of(), Optional.empty(), false);
    }

    static Route withStatics(Route r, Map<String, Path> statics) {
        return new Route(r.app(), r.hosts(), r.upstreams(), statics, r.tls(), r.httpsRedirect());
    }

    static Route withTls(Route r, TlsCertificate tls, boolean redirect) {
        return new Route(r.app(), r.hosts(), r.upstreams(), r.statics(), Optional.of(tls), redirect);
    }
}
