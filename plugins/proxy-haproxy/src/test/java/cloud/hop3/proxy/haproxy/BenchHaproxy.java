package cloud.hop3.proxy.haproxy;

import java.nio.file.Path;
import java.time.Duration;

import cloud.hop3.plugin.testkit.ProxyBench;

/**
 * Not a test: the HAProxy plugin outside Karaf for {@code scripts/bench-proxies}. Writes the
 * configuration the platform writes for one route, {@code app.bench} to the upstream port, served
 * over HTTP and HTTPS (no redirect), then prints "ready" and serves until killed; a shutdown hook
 * stops HAProxy. Settings are the plugin's defaults, loopback only.
 * <p>
 * Arguments: HTTP port, HTTPS port, upstream port, work directory, certificate chain (PEM), key (PEM).
 */
public final class BenchHaproxy {

    private BenchHaproxy() {
    }

    public static void main(String[] args) throws Exception {
        ProxyBench.checkArguments("BenchHaproxy", args);
        HaproxySettings settings = new HaproxySettings(HaproxySettings.binary("haproxy", System.getenv("PATH")),
                Path.of(args[3]).toAbsolutePath(), "127.0.0.1", Integer.parseInt(args[0]), Integer.parseInt(args[1]),
                0, Duration.ofSeconds(5), Duration.ofSeconds(60), 100L * 1024 * 1024, Duration.ofSeconds(30));
        HaproxyProxy proxy = new HaproxyProxy(settings);
        ProxyBench.serve(proxy, proxy::deactivate, args);
    }
}
