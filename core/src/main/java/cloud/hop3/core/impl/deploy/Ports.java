package cloud.hop3.core.impl.deploy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Hands out free loopback ports for web processes. A port handed out is not handed out again
 * for the next few hundred allocations, so two processes started close together never race for
 * the same port.
 */
final class Ports {

    private static final int REMEMBERED = 256;
    private final Deque<Integer> recent = new ArrayDeque<>();

    synchronized int allocate() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            if (!recent.contains(port)) {
                recent.addLast(port);
                if (recent.size() > REMEMBERED) {
                    recent.removeFirst();
                }
                return port;
            }
        }
        throw new IOException("No free port on the loopback interface");
    }
}
