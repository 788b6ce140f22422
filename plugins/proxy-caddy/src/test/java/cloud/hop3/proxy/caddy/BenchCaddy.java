package cloud.hop3.proxy.caddy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.HostName;
import cloud.hop3.api.proxy.Route;
import cloud.hop3.api.proxy.RouteTable;
import cloud.hop3.api.proxy.TlsCertificate;
import cloud.hop3.api.proxy.Upstream;

/**
 * Not a test: the Caddy plugin outside Karaf for {@code scripts/bench-proxies}. Writes the
 * configuration the platform writes for one route, {@code app.bench} to the upstream port, served
 * over HTTP and HTTPS (no redirect), then prints "ready" and serves until killed; a shutdown hook
 * stops caddy. Settings are the plugin's defaults, loopback only.
 * <p>
 * Arguments: HTTP port, HTTPS port, upstream port, work directory, certificate chain (PEM), key (PEM).
 */
public final class BenchCaddy {

    private BenchCaddy() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            throw new IllegalArgumentException("usage: BenchCaddy <http port> <https port> <upstream port> <work dir> <chain.pem> <key.pem>");
        }
        CaddySettings settings = new CaddySettings("caddy", Path.of(args[3]).toAbsolutePath(), "127.0.0.1",
                Integer.parseInt(args[0]), Integer.parseInt(args[1]), Duration.ofSeconds(5), Duration.ofSeconds(60),
                16384, 100L * 1024 * 1024, Duration.ofSeconds(10), Duration.ofSeconds(30));
        CaddyProxy proxy = new CaddyProxy(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(proxy::deactivate));
        TlsCertificate tls = new TlsCertificate(Path.of(args[4]).toAbsolutePath(), Path.of(args[5]).toAbsolutePath());
        proxy.apply(new RouteTable(1, List.of(new Route(AppName.of("app"), List.of(HostName.of("app.bench")),
                List.of(new Upstream("127.0.0.1", Integer.parseInt(args[2]))), Map.of(), Optional.of(tls), false))));
        System.out.println("ready");
        new CountDownLatch(1).await();
    }
}
