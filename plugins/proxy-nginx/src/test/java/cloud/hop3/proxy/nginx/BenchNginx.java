package cloud.hop3.proxy.nginx;

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
 * Not a test: the nginx plugin outside Karaf for {@code scripts/bench-proxies}. Writes the
 * configuration the platform writes for one route, {@code app.bench} to the upstream port, served
 * over HTTP and HTTPS (no redirect), then prints "ready" and serves until killed; a shutdown hook
 * stops nginx. Settings are the plugin's defaults (worker processes "auto", 5 s connect timeout,
 * 60 s idle timeout, 100 MB bodies), loopback only, except that the access log is off, as no other
 * proxy in the comparison writes one.
 * <p>
 * Arguments: HTTP port, HTTPS port, upstream port, work directory, certificate chain (PEM), key (PEM).
 */
public final class BenchNginx {

    private BenchNginx() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            throw new IllegalArgumentException("usage: BenchNginx <http port> <https port> <upstream port> <work dir> <chain.pem> <key.pem>");
        }
        NginxSettings settings = new NginxSettings(Path.of(args[3]).toAbsolutePath(), "nginx", "127.0.0.1",
                Integer.parseInt(args[0]), Integer.parseInt(args[1]), "auto", Duration.ofSeconds(5),
                Duration.ofSeconds(60), 100, Duration.ofSeconds(10), false);
        NginxProxy proxy = new NginxProxy(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(proxy::deactivate));
        TlsCertificate tls = new TlsCertificate(Path.of(args[4]).toAbsolutePath(), Path.of(args[5]).toAbsolutePath());
        proxy.apply(new RouteTable(1, List.of(new Route(AppName.of("app"), List.of(HostName.of("app.bench")),
                List.of(new Upstream("127.0.0.1", Integer.parseInt(args[2]))), Map.of(), Optional.of(tls), false))));
        System.out.println("ready");
        new CountDownLatch(1).await();
    }
}
