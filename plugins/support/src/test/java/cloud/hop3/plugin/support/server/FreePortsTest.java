package cloud.hop3.plugin.support.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FreePortsTest {

    @TempDir
    Path dir;

    @Test
    void portsAreChosenBelowTheEphemeralRangeOrAboveItWhenBelowIsTooSmall() throws Exception {
        Path file = dir.resolve("ip_local_port_range");
        Files.writeString(file, "32768\t60999\n");
        assertArrayEquals(new int[] {10000, 32767}, FreePorts.range(file));
        Files.writeString(file, "10500 50000\n");
        assertArrayEquals(new int[] {50001, 65535}, FreePorts.range(file));
        Files.writeString(file, "1024 65000\n");
        assertArrayEquals(new int[] {10000, 65535}, FreePorts.range(file));
        assertArrayEquals(new int[] {10000, 32767}, FreePorts.range(dir.resolve("missing")));
    }

    /** The kernel's own file, which reads differently from a regular one (size 0, no reads past the start). */
    @Test
    void theRangeIsReadFromTheKernelsFile() throws Exception {
        Path kernel = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(kernel), "not Linux");
        String[] bounds = Files.readAllLines(kernel).get(0).strip().split("\\s+");
        Path copy = Files.writeString(dir.resolve("copy"), bounds[0] + "\t" + bounds[1] + "\n");
        assertArrayEquals(FreePorts.range(copy), FreePorts.range(kernel), "the range of " + String.join(" ", bounds));
    }

    @Test
    void aChosenPortCanBeBoundAndIsNotChosenAgainSoon() throws Exception {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            int port = FreePorts.any();
            assertTrue(seen.add(port), "handed out twice: " + port);
        }
        int port = FreePorts.any();
        try (ServerSocket server = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(port, server.getLocalPort());
        }
    }

    @Test
    void aPortSomeoneListensOnIsNotFree() throws Exception {
        try (ServerSocket taken = new ServerSocket(FreePorts.any(), 1, InetAddress.getLoopbackAddress())) {
            assertFalse(FreePorts.free(taken.getLocalPort()));
        }
    }
}
