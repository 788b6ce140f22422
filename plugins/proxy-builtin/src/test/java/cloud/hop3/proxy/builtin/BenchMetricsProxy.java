package cloud.hop3.proxy.builtin;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.HostName;
import cloud.hop3.api.metrics.RequestMetrics;
import cloud.hop3.api.proxy.Route;
import cloud.hop3.api.proxy.RouteTable;
import cloud.hop3.api.proxy.Upstream;

/**
 * Not a test: the built-in proxy outside Karaf for {@code scripts/bench-metrics}, with or without
 * a metrics service. Arguments: proxy port, upstream port, and the class of a {@link RequestMetrics}
 * with a public no-argument constructor (the metrics bundle's, from its test sources), or "none".
 * Serves {@code app.bench} until killed.
 */
public final class BenchMetricsProxy {

    private BenchMetricsProxy() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Upstream upstream = new Upstream("127.0.0.1", Integer.parseInt(args[1]));
        ProxySettings settings = new ProxySettings(port, 0, "127.0.0.1", Duration.ofSeconds(5),
                Duration.ofSeconds(60), 16 * 1024, 100L * 1024 * 1024, Duration.ofSeconds(1));
        BuiltinProxy proxy = new BuiltinProxy(settings, Transport.best(), new InstanceHandoverTest.OneSocketKeeper());
        if (!args[2].equals("none")) {
            proxy.setRequestMetrics((RequestMetrics) Class.forName(args[2]).getConstructor().newInstance());
        }
        proxy.apply(new RouteTable(1, List.of(new Route(AppName.of("app"), List.of(HostName.of("app.bench")),
                List.of(upstream), Map.of(), Optional.empty(), false))));
        Runtime.getRuntime().addShutdownHook(new Thread(proxy::deactivate));
        System.out.println("ready on " + proxy.port() + " with metrics: " + args[2]);
        new CountDownLatch(1).await();
    }
}
