package cloud.hop3.proxy.caddy;

import java.nio.file.Path;
import java.time.Duration;

import cloud.hop3.plugin.testkit.ProxyBench;

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
        ProxyBench.checkArguments("BenchCaddy", args);
        CaddySettings settings = new CaddySettings("caddy", Path.of(args[3]).toAbsolutePath(), "127.0.0.1",
                Integer.parseInt(args[0]), Integer.parseInt(args[1]), Duration.ofSeconds(5), Duration.ofSeconds(60),
                16384, 100L * 1024 * 1024, Duration.ofSeconds(10), Duration.ofSeconds(30));
        CaddyProxy proxy = new CaddyProxy(settings);
        ProxyBench.serve(proxy, proxy::deactivate, args);
    }
}
