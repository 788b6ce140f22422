package cloud.hop3.proxy.nginx;

import java.nio.file.Path;
import java.time.Duration;

import cloud.hop3.plugin.testkit.ProxyBench;

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
        ProxyBench.checkArguments("BenchNginx", args);
        NginxSettings settings = new NginxSettings(Path.of(args[3]).toAbsolutePath(), "nginx", "127.0.0.1",
                Integer.parseInt(args[0]), Integer.parseInt(args[1]), "auto", Duration.ofSeconds(5),
                Duration.ofSeconds(60), 100, Duration.ofSeconds(10), false);
        NginxProxy proxy = new NginxProxy(settings);
        ProxyBench.serve(proxy, proxy::deactivate, args);
    }
}
