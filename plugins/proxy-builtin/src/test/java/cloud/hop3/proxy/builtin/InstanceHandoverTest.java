package cloud.hop3.proxy.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.proxy.SocketKeeper;
import cloud.hop3.plugin.testkit.TestUpstream;

/**
 * One proxy instance replaced by the next on a socket kept outside both, as happens when the
 * bundle is updated: clients that connect meanwhile wait and are served by the new instance.
 */
class InstanceHandoverTest extends ProxyFixture {

    /**
     * Keeps sockets by address, as core does (bound with SO_REUSEPORT; a closed one is forgotten,
     * so the next claim binds afresh), and counts what the proxies did with them.
     */
    static final class OneSocketKeeper implements SocketKeeper {
        private final Map<InetSocketAddress, ServerSocketChannel> sockets = new HashMap<>();
        private final Map<Integer, Integer> claims = new HashMap<>();
        private final Map<Integer, Integer> releases = new HashMap<>();
        private final Map<Integer, Integer> closes = new HashMap<>();

        @Override
        public synchronized ServerSocketChannel claim(InetSocketAddress address, int backlog) throws IOException {
            ServerSocketChannel socket = address.getPort() == 0 ? null : sockets.get(address);
            if (socket == null || !socket.isOpen()) {
                socket = ServerSocketChannel.open();
                socket.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                socket.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                socket.bind(address, backlog);
                InetSocketAddress bound = (InetSocketAddress) socket.getLocalAddress();
                sockets.put(new InetSocketAddress(address.getAddress(), bound.getPort()), socket);
            }
            claims.merge(port(socket), 1, Integer::sum);
            return socket;
        }

        @Override
        public synchronized void release(ServerSocketChannel s) {
            releases.merge(port(s), 1, Integer::sum);
        }

        @Override
        public synchronized void close(ServerSocketChannel s) {
            closes.merge(port(s), 1, Integer::sum);
            sockets.values().remove(s);
            try {
                s.close();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        synchronized int claims(int port) {
            return claims.getOrDefault(port, 0);
        }

        synchronized int releases(int port) {
            return releases.getOrDefault(port, 0);
        }

        synchronized int closes(int port) {
            return closes.getOrDefault(port, 0);
        }

        /** Closes every socket still kept (the end of a test). */
        synchronized void closeAll() throws IOException {
            for (ServerSocketChannel s : sockets.values()) {
                s.close();
            }
            sockets.clear();
        }

        private static int port(ServerSocketChannel s) {
            try {
                return ((InetSocketAddress) s.getLocalAddress()).getPort();
            } catch (IOException e) {
                return -1; // closed
            }
        }
    }

    @Test
    void replacingTheInstanceUnderLoadFailsNoRequestAndServesTheNewRoutes() throws Exception {
        TestUpstream app = upstream("app");
        int port = KeptPort.free();
        ProxySettings settings = settings(port);
        OneSocketKeeper keeper = new OneSocketKeeper();
        BuiltinProxy first = new BuiltinProxy(settings, Transport.best(), keeper);
        first.apply(appTable(1, app));

        try {
            handOverUnderLoad(port, first, () -> serving(new BuiltinProxy(settings, Transport.best(), keeper),
                    appTable(2, app)));
        } finally {
            keeper.closeAll();
        }

        assertEquals(2, keeper.claims(port));
        assertEquals(2, keeper.releases(port));
    }

    @Test
    void aNewInstanceAcceptsOnlyOnceItHasItsRoutes() throws Exception {
        TestUpstream app = upstream("app");
        int port = KeptPort.free();
        ProxySettings settings = settings(port);
        OneSocketKeeper keeper = new OneSocketKeeper();
        BuiltinProxy proxy = new BuiltinProxy(settings, Transport.best(), keeper);
        try (Socket early = new Socket("127.0.0.1", port)) {
            early.setSoTimeout(300);
            early.getOutputStream().write(request("app.example.org"));
            assertThrowsTimeout(early.getInputStream());

            proxy.apply(appTable(1, app));
            early.setSoTimeout(10_000);
            String answer = new String(early.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(fromApp(answer), answer);
        } finally {
            proxy.deactivate();
            keeper.closeAll();
        }
    }

    private static void assertThrowsTimeout(InputStream in) throws IOException {
        try {
            int b = in.read();
            assertFalse(true, "an instance without routes answered: " + b);
        } catch (java.net.SocketTimeoutException expected) {
            // nothing accepted yet: the connection waits in the queue
        }
    }

    /** A free port for a test that needs to know it before binding. */
    static final class KeptPort {
        static int free() throws IOException {
            try (ServerSocketChannel s = ServerSocketChannel.open()) {
                s.bind(new InetSocketAddress("127.0.0.1", 0));
                return ((InetSocketAddress) s.getLocalAddress()).getPort();
            }
        }
    }
}
