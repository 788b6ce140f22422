package cloud.hop3.core.impl.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class PortsTest {

    private static void assertBindable(int port) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertEquals(port, socket.getLocalPort());
        }
    }

    @Test
    void handsOutDistinctPortsThatCanBeBound() throws IOException {
        Ports ports = new Ports();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 256; i++) {
            int port = ports.allocate();
            assertTrue(port > 0 && port < 65536, "port " + port);
            assertTrue(seen.add(port), "port " + port + " handed out twice, at allocation " + i);
            assertBindable(port);
        }
    }

    @Test
    void concurrentAllocationsNeverShareAPort() throws Exception {
        Ports ports = new Ports();
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                futures.add(pool.submit(ports::allocate));
            }
            for (Future<Integer> f : futures) {
                int port = f.get();
                assertTrue(seen.add(port), "port " + port + " handed out twice");
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(200, seen.size());
    }

    @Test
    void aPortIsFreeWhenHandedOut() throws IOException {
        Ports ports = new Ports();
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 50; i++) {
                int port = ports.allocate();
                assertTrue(port != busy.getLocalPort(), "a port in use was handed out");
                assertBindable(port);
            }
        }
    }
}
