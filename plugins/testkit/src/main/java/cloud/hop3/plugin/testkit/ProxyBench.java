package cloud.hop3.plugin.testkit;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.HostName;
import cloud.hop3.api.proxy.Proxy;
import cloud.hop3.api.proxy.Route;
import cloud.hop3.api.proxy.RouteTable;
import cloud.hop3.api.proxy.TlsCertificate;
import cloud.hop3.api.proxy.Upstream;

/**
 * The shared part of the proxy plugins' benchmark mains for {@code scripts/bench-proxies}: one
 * route, {@code app.bench} to the upstream port, over HTTP and HTTPS (no redirect); prints
 * "ready" and serves until the process is killed, when {@code stop} stops the proxy.
 * <p>
 * Arguments, as every benchmark main takes them: HTTP port, HTTPS port, upstream port, work
 * directory, certificate chain (PEM), key (PEM).
 */
public final class ProxyBench {

    private ProxyBench() {
    }

    /** Checks the six arguments; {@code main} names the benchmark in the usage message. */
    public static void checkArguments(String main, String[] args) {
        if (args.length != 6) {
            throw new IllegalArgumentException("usage: " + main
                    + " <http port> <https port> <upstream port> <work dir> <chain.pem> <key.pem>");
        }
    }

    /** Applies the benchmark's route to {@code proxy}, then serves until killed. */
    public static void serve(Proxy proxy, Runnable stop, String[] args) throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(stop));
        TlsCertificate tls = new TlsCertificate(Path.of(args[4]).toAbsolutePath(), Path.of(args[5]).toAbsolutePath());
        proxy.apply(new RouteTable(1, List.of(new Route(AppName.of("app"), List.of(HostName.of("app.bench")),
                List.of(new Upstream("127.0.0.1", Integer.parseInt(args[2]))), Map.of(), Optional.of(tls), false))));
        System.out.println("ready");
        new CountDownLatch(1).await();
    }
}
