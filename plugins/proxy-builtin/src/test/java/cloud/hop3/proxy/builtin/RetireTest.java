package cloud.hop3.proxy.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.proxy.RouteTable;
import cloud.hop3.plugin.testkit.RequestLoad;
import cloud.hop3.plugin.testkit.TestUpstream;

/**
 * {@code Proxy.retire()}: core switched to another proxy. The built-in one closes its kept
 * sockets, so another server that listens on the same port with SO_REUSEPORT gets every new
 * connection and none is refused; it finishes what it had accepted, and serves again when core
 * applies a table to it once more.
 */
class RetireTest extends ProxyFixture {

    @TempDir
    Path temp;

    private BuiltinProxy keptProxy(OneSocketKeeperHolder holder, int port, int httpsPort) {
        ProxySettings settings = new ProxySettings(port, httpsPort, "127.0.0.1", Duration.ofSeconds(2),
                Duration.ofSeconds(30), 16 * 1024, 1024 * 1024, Duration.ofSeconds(5));
        BuiltinProxy proxy = new BuiltinProxy(settings, Transport.best(), holder.keeper);
        holder.proxy = proxy;
        return proxy;
    }

    /** The keeper and the proxy of a test, closed at its end. */
    private final class OneSocketKeeperHolder implements AutoCloseable {
        final InstanceHandoverTest.OneSocketKeeper keeper = new InstanceHandoverTest.OneSocketKeeper();
        BuiltinProxy proxy;

        @Override
        public void close() throws IOException {
            if (proxy != null) {
                proxy.deactivate();
            }
            keeper.closeAll();
        }
    }

    @Test
    void aRetiredProxyNoLongerListensAndServesAgainAfterTheNextApply() throws Exception {
        TestCertificates ca = new TestCertificates(temp);
        TestUpstream app = upstream("app");
        int port = InstanceHandoverTest.KeptPort.free();
        int httpsPort = InstanceHandoverTest.KeptPort.free();
        try (OneSocketKeeperHolder holder = new OneSocketKeeperHolder()) {
            BuiltinProxy proxy = keptProxy(holder, port, httpsPort);
            RouteTable table = table(1, HttpsTest.tlsRoute("app", "app.example.org", app.upstream(),
                    ca.issue("app", "app.example.org"), false));
            proxy.apply(table);
            assertServes(ca, port, httpsPort);

            proxy.retire();
            assertEquals(RouteTable.empty(), proxy.serving(), "the table is forgotten");
            assertEquals(1, holder.keeper.closes(port), "the HTTP socket is closed, not given back");
            assertEquals(1, holder.keeper.closes(httpsPort), "the HTTPS socket is closed, not given back");
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", httpsPort).close());
            proxy.retire(); // twice is harmless

            proxy.apply(table);
            assertEquals(table, proxy.serving());
            assertServes(ca, port, httpsPort);
            assertEquals(2, holder.keeper.claims(port));
            assertEquals(2, holder.keeper.claims(httpsPort));
        }
    }

    @Test
    void aRequestInFlightWhenTheProxyRetiresIsAnswered() throws Exception {
        TestUpstream app = upstream("app");
        int port = InstanceHandoverTest.KeptPort.free();
        try (OneSocketKeeperHolder holder = new OneSocketKeeperHolder()) {
            BuiltinProxy proxy = keptProxy(holder, port, 0);
            proxy.apply(appTable(1, app));
            RawClient client = client(proxy);
            client.send("GET", "app.example.org", "/slow", null);
            app.awaitSlowRequest();

            proxy.retire();
            app.release();
            RawClient.Response answer = client.read(false);
            assertEquals(200, answer.status());
            assertEquals("close", answer.header("connection"), "the connection ends with its answer");
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void anotherServerOnTheSamePortTakesOverWithoutRefusingAConnection() throws Exception {
        TestUpstream app = upstream("app");
        int port = InstanceHandoverTest.KeptPort.free();
        try (OneSocketKeeperHolder holder = new OneSocketKeeperHolder();
             OtherProxy other = new OtherProxy(port)) {
            BuiltinProxy proxy = keptProxy(holder, port, 0);
            proxy.apply(appTable(1, app));

            AtomicLong retireBegan = new AtomicLong();
            AtomicLong retireEnded = new AtomicLong();
            AtomicInteger fromBuiltin = new AtomicInteger();
            AtomicInteger fromOther = new AtomicInteger();
            RequestLoad load = RequestLoad.start(4, () -> {
                try {
                    String answer = get(port, "app.example.org");
                    if (answer.endsWith("hello from app")) {
                        fromBuiltin.incrementAndGet();
                    } else if (answer.endsWith("from other")) {
                        fromOther.incrementAndGet();
                    } else {
                        return Optional.of(answer.lines().findFirst().orElse("(empty answer)"));
                    }
                    return Optional.empty();
                } catch (IOException e) {
                    long now = System.nanoTime();
                    long began = retireBegan.get();
                    long ended = retireEnded.get();
                    return Optional.of(e + (began == 0 ? " before the retire"
                            : " " + (now - began) / 1000 + " us after the retire began"
                            + (ended == 0 ? ", while it ran" : ", " + (now - ended) / 1000 + " us after it returned")));
                }
            });
            int builtinAfterRetire;
            try {
                awaitCount(fromBuiltin, 50);
                other.start(); // both listen now, as when core starts nginx before retiring this proxy
                awaitCount(fromOther, 20);
                retireBegan.set(System.nanoTime());
                proxy.retire();
                retireEnded.set(System.nanoTime());
                builtinAfterRetire = fromBuiltin.get();
                awaitCount(fromOther, fromOther.get() + 200);
            } finally {
                load.stop();
            }
            List<String> failures = load.failures();
            String counts = " (" + fromBuiltin.get() + " by the built-in proxy, " + fromOther.get() + " by the other one)";
            List<String> refusedOrWrong = failures.stream().filter(f -> !isResetWhileRetiring(f)).toList();
            assertEquals(List.of(), refusedOrWrong, "failed requests across the takeover" + counts);
            // Linux resets a connection whose handshake was under way on a listening socket when it
            // closes, unless net.ipv4.tcp_migrate_req=1 hands it to the other listener: on a loaded
            // machine that is one connection now and then, and never more than a few
            assertTrue(failures.size() <= (migratesHandshakes() ? 0 : 2), "connections reset" + counts + ": " + failures);
            assertTrue(fromBuiltin.get() - builtinAfterRetire <= 4, "at most the requests in flight finish on it");
        }
    }

    private static boolean isResetWhileRetiring(String failure) {
        return failure.startsWith("java.net.SocketException: Connection reset") && failure.contains("while it ran");
    }

    /** Whether the kernel hands the handshakes in progress of a closed listener to another one. */
    private static boolean migratesHandshakes() {
        try {
            return Files.readString(Path.of("/proc/sys/net/ipv4/tcp_migrate_req")).strip().equals("1");
        } catch (IOException e) {
            return false;
        }
    }

    private static void assertServes(TestCertificates ca, int port, int httpsPort) throws IOException {
        try (RawClient plain = new RawClient(port)) {
            assertEquals("hello from app", plain.get("app.example.org", "/").text());
        }
        try (SSLSocket socket = ca.connect(httpsPort, "app.example.org"); RawClient secure = new RawClient(socket)) {
            assertEquals("hello from app", secure.get("app.example.org", "/").text());
        }
    }

    /** Another proxy, as nginx with {@code listen ... reuseport}: answers "from other" to every request. */
    private static final class OtherProxy implements AutoCloseable {
        private final int port;
        private final ServerSocketChannel socket;
        private final CompletableFuture<Void> serving = new CompletableFuture<>();

        OtherProxy(int port) throws IOException {
            this.port = port;
            socket = ServerSocketChannel.open();
        }

        /** Binds the port next to the built-in proxy and serves. */
        void start() throws IOException {
            socket.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            socket.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            socket.bind(new InetSocketAddress("127.0.0.1", port), 1024);
            Thread t = new Thread(() -> {
                while (socket.isOpen()) {
                    try (SocketChannel connection = socket.accept()) {
                        answer(connection.socket());
                    } catch (IOException e) {
                        // closed at the end of the test, or a client gone
                    }
                }
                serving.complete(null);
            }, "other-proxy");
            t.setDaemon(true);
            t.start();
        }

        private static void answer(Socket connection) throws IOException {
            InputStream in = connection.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    return;
                }
                head.write(c);
            }
            connection.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 10\r\nConnection: close\r\n\r\n"
                    + "from other").getBytes(StandardCharsets.ISO_8859_1));
        }

        @Override
        public void close() throws Exception {
            boolean started = socket.getLocalAddress() != null;
            socket.close();
            if (started) {
                serving.get(5, TimeUnit.SECONDS);
            }
        }
    }
}
