package cloud.hop3.plugin.support.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ThreadLocalRandom;

/**
 * TCP ports for servers the platform (or a test) starts and binds a moment later. A port is chosen
 * at random below the kernel's ephemeral range ({@code net.ipv4.ip_local_port_range}), so an
 * outgoing connection, which takes its local port from that range, cannot take it between the
 * choice and the bind; it is free on every address when chosen; and this class does not hand the
 * same port out again for its next few hundred choices.
 */
public final class FreePorts {

    /** The lowest port handed out: well above the ports services are known by. */
    static final int LOWEST = 10000;

    private static final Path EPHEMERAL = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int REMEMBERED = 512;
    private static final Deque<Integer> RECENT = new ArrayDeque<>();

    private FreePorts() {
    }

    /** A port free on every address now, outside the ephemeral range. */
    public static int any() throws IOException {
        int[] range = range(EPHEMERAL);
        synchronized (RECENT) {
            for (int attempt = 0; attempt < 200; attempt++) {
                int port = ThreadLocalRandom.current().nextInt(range[0], range[1] + 1);
                if (!RECENT.contains(port) && free(port)) {
                    RECENT.addLast(port);
                    if (RECENT.size() > REMEMBERED) {
                        RECENT.removeFirst();
                    }
                    return port;
                }
            }
        }
        throw new IOException("No free TCP port between " + range[0] + " and " + range[1]);
    }

    /**
     * The ports to choose from, {@code [lowest, highest]}: below the ephemeral range given in
     * {@code file} ("32768 60999"), or above it when too little is left below; the ports from
     * {@link #LOWEST} up when the file cannot be read.
     */
    static int[] range(Path file) {
        int low = 32768;
        int high = 60999;
        // one read from the start: the kernel answers a read of a numeric sysctl at an offset past 0
        // with the end of the file, and Files.readString reads one byte first for a file of size 0
        // (as /proc's are), which gave "3" and the ports above the range instead of those below
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[128];
            int read = in.read(buffer);
            String[] bounds = new String(buffer, 0, Math.max(read, 0), StandardCharsets.US_ASCII)
                    .strip().split("\\s+");
            int first = Integer.parseInt(bounds[0]);
            int second = Integer.parseInt(bounds[1]);
            low = first;
            high = second;
        } catch (IOException | RuntimeException e) {
            // not Linux or not readable: Linux's default range
        }
        if (low - 1 - LOWEST >= 1000) {
            return new int[] {LOWEST, low - 1};
        }
        if (65535 - high - 1 >= 1000) {
            return new int[] {high + 1, 65535};
        }
        return new int[] {LOWEST, 65535};
    }

    /** Whether nothing listens on, or is bound to, {@code port} on any address. */
    static boolean free(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(false);
            probe.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
