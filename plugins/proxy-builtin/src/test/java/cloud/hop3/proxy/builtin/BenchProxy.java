package cloud.hop3.proxy.builtin;

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
 * Not a test: the built-in proxy outside Karaf for {@code scripts/bench-proxy}. Serves
 * {@code app.bench} from the upstream port and {@code static.bench} from a directory until killed.
 * Arguments: proxy port, upstream port, static directory, where the listening sockets come from
 * ({@code held:<the holder's UNIX socket>}, {@code kept} or {@code own}), then optionally the
 * HTTPS port, a PEM certificate chain and its key: {@code app.bench} (and {@code localhost}, the
 * name wrk sends as SNI) is then served over HTTPS too.
 */
public final class BenchProxy {

    private BenchProxy() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Upstream upstream = new Upstream("127.0.0.1", Integer.parseInt(args[1]));
        Path statics = Path.of(args[2]);
        // "held:<socket>": the listening sockets come from bin/hop3-holder, as in the platform that
        // bin/hop3 starts (served with epoll); "kept": from a keeper in the JVM, as in a platform
        // started without the holder (served with NIO); "own": the proxy binds them itself (epoll)
        String sockets = args.length < 4 ? "kept" : args[3];
        int httpsPort = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        Optional<TlsCertificate> tls = args.length > 6
                ? Optional.of(new TlsCertificate(Path.of(args[5]), Path.of(args[6]))) : Optional.empty();
        ProxySettings settings = new ProxySettings(port, httpsPort, "127.0.0.1", Duration.ofSeconds(5),
                Duration.ofSeconds(60), 16 * 1024, 100L * 1024 * 1024, Duration.ofSeconds(1));
        Transport transport = Transport.best(); // loads Netty's native library, which the holder's client needs
        BuiltinProxy proxy;
        if (sockets.startsWith("held:")) {
            SocketHolder holder = new SocketHolder(Path.of(sockets.substring("held:".length())));
            if (!holder.answers()) {
                throw new IllegalStateException("No socket holder answers on " + holder.socket());
            }
            proxy = new BuiltinProxy(settings, transport, new InstanceHandoverTest.OneSocketKeeper(), holder);
        } else if (sockets.equals("kept")) {
            proxy = new BuiltinProxy(settings, transport, new InstanceHandoverTest.OneSocketKeeper());
        } else {
            proxy = new BuiltinProxy(settings, transport);
        }
        proxy.apply(new RouteTable(1, List.of(
                new Route(AppName.of("app"), List.of(HostName.of("app.bench"), HostName.of("localhost")), List.of(upstream), Map.of(), tls, false),
                new Route(AppName.of("static"), List.of(HostName.of("static.bench")), List.of(), Map.of("/", statics),
                        Optional.empty(), false))));
        Runtime.getRuntime().addShutdownHook(new Thread(proxy::deactivate));
        System.out.println("ready on " + proxy.port() + " (HTTPS " + proxy.httpsPort() + ")");
        new CountDownLatch(1).await();
    }
}
