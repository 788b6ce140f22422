package cloud.hop3.core.impl.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KeptSocketsTest {

    private final KeptSockets keeper = new KeptSockets(Duration.ofMillis(300));

    @AfterEach
    void stop() {
        keeper.deactivate();
    }

    private static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    private static int freePort() throws IOException {
        try (ServerSocketChannel s = ServerSocketChannel.open()) {
            s.bind(loopback(0));
            return ((InetSocketAddress) s.getLocalAddress()).getPort();
        }
    }

    @Test
    void aConnectionMadeBetweenTwoHoldersIsAcceptedByTheSecond() throws Exception {
        InetSocketAddress address = loopback(freePort());
        ServerSocketChannel first = keeper.claim(address, 16);
        keeper.release(first);

        try (Socket client = new Socket(address.getAddress(), address.getPort())) {
            OutputStream out = client.getOutputStream();
            out.write('x');
            out.flush();
            ServerSocketChannel second = keeper.claim(address, 16);
            assertSame(first, second, "the kept socket is handed over");
            try (SocketChannel accepted = second.accept()) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
                accepted.read(b);
                assertEquals('x', b.get(0));
                accepted.write(java.nio.ByteBuffer.wrap(new byte[] {'y'}));
            }
            InputStream in = client.getInputStream();
            assertEquals('y', in.read());
        }
    }

    @Test
    void aSocketNobodyTakesOverIsClosedAfterTheLinger() throws Exception {
        InetSocketAddress address = loopback(freePort());
        ServerSocketChannel socket = keeper.claim(address, 16);
        keeper.release(socket);

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (socket.isOpen() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(socket.isOpen());
        assertEquals(List.of(), keeper.kept());
        assertThrows(ConnectException.class, () -> new Socket(address.getAddress(), address.getPort()).close());
    }

    @Test
    void aClaimedSocketCannotBeClaimedTwice() throws Exception {
        InetSocketAddress address = loopback(freePort());
        keeper.claim(address, 16);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> keeper.claim(address, 16));
        assertTrue(e.getMessage().contains("already in use by another proxy instance"), e.getMessage());
    }

    @Test
    void closingFreesThePortAtOnce() throws Exception {
        InetSocketAddress address = loopback(freePort());
        ServerSocketChannel socket = keeper.claim(address, 16);
        keeper.close(socket);

        assertFalse(socket.isOpen());
        try (ServerSocketChannel other = ServerSocketChannel.open()) {
            other.bind(address);
        }
        assertNotSame(socket, keeper.claim(address, 16));
    }

    @Test
    void aSocketItsHolderClosedIsBoundAfresh() throws Exception {
        InetSocketAddress address = loopback(freePort());
        ServerSocketChannel socket = keeper.claim(address, 16);
        keeper.release(socket);
        socket.close();

        ServerSocketChannel fresh = keeper.claim(address, 16);
        assertNotSame(socket, fresh);
        assertTrue(fresh.isOpen());
    }

    @Test
    void portZeroBindsAFreePortEveryTime() throws Exception {
        ServerSocketChannel a = keeper.claim(loopback(0), 16);
        ServerSocketChannel b = keeper.claim(loopback(0), 16);
        assertNotSame(a, b);
        assertEquals(2, keeper.kept().size());
    }

    @Test
    void aTakenPortIsReportedAndKeepsNothing() throws Exception {
        try (ServerSocketChannel other = ServerSocketChannel.open()) {
            other.bind(loopback(0));
            InetSocketAddress taken = (InetSocketAddress) other.getLocalAddress();
            assertThrows(IOException.class, () -> keeper.claim(taken, 16));
            assertEquals(List.of(), keeper.kept());
        }
    }

    @Test
    void anotherServerCanListenOnAKeptPortAndTheKeptSocketStillAccepts() throws Exception {
        InetSocketAddress address = loopback(freePort());
        ServerSocketChannel kept = keeper.claim(address, 16);
        assertTrue(kept.getOption(java.net.StandardSocketOptions.SO_REUSEPORT), "kept sockets allow a second listener");
        try (ServerSocketChannel other = ServerSocketChannel.open()) {
            other.setOption(java.net.StandardSocketOptions.SO_REUSEPORT, true);
            other.bind(address, 16); // as nginx with "listen ... reuseport" does
            keeper.close(kept);
            // the port is the other server's alone now: it gets every new connection
            try (Socket client = new Socket(address.getAddress(), address.getPort());
                 SocketChannel accepted = other.accept()) {
                assertTrue(accepted.isConnected());
            }
        }
    }

    /** A socket kept for 0.0.0.0 listens on every IPv4 address, and not on IPv6. */
    @Test
    void theIpv4WildcardIsNotIpv6() throws Exception {
        ServerSocketChannel socket = keeper.claim(new InetSocketAddress("0.0.0.0", 0), 16);
        int port = ((InetSocketAddress) socket.getLocalAddress()).getPort();
        try (java.net.Socket v4 = new java.net.Socket()) {
            v4.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        }
        try (java.net.Socket v6 = new java.net.Socket()) {
            org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> v6.connect(new InetSocketAddress("::1", port), 2_000));
        } finally {
            keeper.close(socket);
        }
    }
}
