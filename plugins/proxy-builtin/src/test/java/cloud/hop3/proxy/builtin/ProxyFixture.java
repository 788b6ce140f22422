package cloud.hop3.proxy.builtin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.HostName;
import cloud.hop3.api.proxy.ProxyException;
import cloud.hop3.api.proxy.Route;
import cloud.hop3.api.proxy.RouteTable;
import cloud.hop3.api.proxy.Upstream;
import cloud.hop3.plugin.testkit.CleanUps;
import cloud.hop3.plugin.testkit.RequestLoad;
import cloud.hop3.plugin.testkit.TestUpstream;

/** Starts proxies and upstreams on free loopback ports, and stops them after each test, pass or fail. */
abstract class ProxyFixture {

    private final CleanUps resources = new CleanUps();

    static ProxySettings settings() {
        return settings(0);
    }

    /** The test settings, on loopback port {@code port} (0: a free one). */
    static ProxySettings settings(int port) {
        return new ProxySettings(port, "127.0.0.1", Duration.ofSeconds(2), Duration.ofSeconds(30), 16 * 1024,
                100L * 1024 * 1024, Duration.ofSeconds(2));
    }

    BuiltinProxy proxy() {
        return proxy(settings());
    }

    BuiltinProxy proxy(ProxySettings settings) {
        BuiltinProxy proxy = new BuiltinProxy(settings, Transport.best());
        resources.add(proxy::deactivate);
        return proxy;
    }

    TestUpstream upstream(String name) throws Exception {
        TestUpstream upstream = new TestUpstream(name);
        resources.add(upstream);
        return upstream;
    }

    RawClient client(BuiltinProxy proxy) throws Exception {
        RawClient client = new RawClient(proxy.port());
        resources.add(client);
        return client;
    }

    static Route route(String app, List<String> hosts, List<Upstream> upstreams) {
        return new Route(AppName.of(app), hosts.stream().map(HostName::of).toList(), upstreams, Map.of(), Optional.empty(), false);
    }

    static Route route(String app, List<String> hosts, List<Upstream> upstreams, Map<String, Path> statics) {
        return new Route(AppName.of(app), hosts.stream().map(HostName::of).toList(), upstreams, statics, Optional.empty(), false);
    }

    /** Route of app shop, at shop.example.org, to these upstreams. */
    static Route shop(Upstream... upstreams) {
        return route("shop", List.of("shop.example.org"), List.of(upstreams));
    }

    /** A proxy with the test settings, serving these routes as route table 1. */
    BuiltinProxy serving(Route... routes) throws ProxyException {
        return serving(proxy(), routes);
    }

    /** Has the proxy serve these routes as route table 1; returns the proxy. */
    static BuiltinProxy serving(BuiltinProxy proxy, Route... routes) throws ProxyException {
        return serving(proxy, table(1, routes));
    }

    /** Has the proxy serve this route table; returns the proxy. */
    static BuiltinProxy serving(BuiltinProxy proxy, RouteTable table) throws ProxyException {
        proxy.apply(table);
        return proxy;
    }

    static RouteTable table(long generation, Route... routes) {
        return new RouteTable(generation, List.of(routes));
    }

    /** Route table {@code generation} with one route: app {@code app}, at app.example.org, to {@code upstream}. */
    static RouteTable appTable(long generation, TestUpstream upstream) {
        return table(generation, route("app", List.of("app.example.org"), List.of(upstream.upstream())));
    }

    /** Whether {@code answer} is the whole answer of {@link #appTable}'s app to a GET of {@code /}. */
    static boolean fromApp(String answer) {
        return answer.startsWith("HTTP/1.1 200") && answer.endsWith("hello from app");
    }

    /**
     * Four clients that each ask for {@code /} of app.example.org on {@code port}, on a new connection
     * each time; an answer other than {@link #fromApp the app's} is a failure, told by its status line.
     */
    static RequestLoad appLoad(int port) {
        return RequestLoad.start(4, () -> {
            String answer = get(port, "app.example.org");
            return fromApp(answer) ? Optional.empty() : Optional.of(answer.lines().findFirst().orElse("(empty answer)"));
        });
    }

    /** A request to {@code host} on its own connection, closed after the answer. */
    static byte[] request(String host) {
        return ("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Asks for {@code /} of {@code host} on a new connection to the port; the whole answer, head and body. */
    static String get(int port, String host) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request(host));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(out);
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * A GET of {@code path} from {@code host} through the proxy, on its own connection on another
     * thread: a request that stays in flight while the test drains or stops the proxy.
     */
    static CompletableFuture<RawClient.Response> getInBackground(BuiltinProxy proxy, String host, String path) {
        return CompletableFuture.supplyAsync(() -> {
            try (RawClient client = new RawClient(proxy.port())) {
                return client.get(host, path);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Waits, 20 seconds at the most, until the count reaches {@code atLeast}. */
    static void awaitCount(AtomicInteger count, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (count.get() < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + count.get() + " answers, expected " + atLeast);
            }
            Thread.sleep(10);
        }
    }

    /** Starts the instance that takes over from another, serving {@link #appTable} 2. */
    @FunctionalInterface
    interface Successor {
        BuiltinProxy start() throws Exception;
    }

    /**
     * Replaces {@code first}, which serves {@link #appTable} on {@code port}, under {@link #appLoad}:
     * 50 answers from it, then it stops, {@code successor} starts the next instance, and 50 answers
     * more; then the load and the next instance stop. Asserts that no request failed across the
     * handover, and returns the next instance.
     */
    static BuiltinProxy handOverUnderLoad(int port, BuiltinProxy first, Successor successor) throws Exception {
        RequestLoad load = appLoad(port);
        BuiltinProxy next = null;
        try {
            load.awaitMore(50, Duration.ofSeconds(20));
            first.deactivate();
            next = successor.start();
            load.awaitMore(50, Duration.ofSeconds(20));
        } finally {
            load.stop();
            if (next != null) {
                next.deactivate();
            }
        }
        assertEquals(List.of(), load.failures(), "failed requests across the handover (" + load.served() + " succeeded)");
        return next;
    }

    @AfterEach
    void closeAll() throws Exception {
        resources.close();
    }
}
