package cloud.hop3.proxy.caddy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import cloud.hop3.api.proxy.Upstream;

/**
 * The TCP connections a process has open to given addresses, read from Linux's {@code /proc}: the
 * socket inodes among the process's file descriptors, matched against the connections of
 * {@code /proc/net/tcp} and {@code tcp6}. Caddy reports the requests in flight only for the
 * upstreams of its current configuration; the ones a replaced configuration is still finishing
 * show here as connections (Caddy closes the idle ones of a replaced configuration).
 */
final class ProcessConnections {

    private static final Path PROC = Path.of("/proc");
    private static final Set<String> OPEN_STATES = Set.of("01", "02", "03"); // established, syn-sent, syn-received

    private ProcessConnections() {
    }

    /** Whether this machine's {@code /proc} can be read for {@code pid}. */
    static boolean available(long pid) {
        return Files.isReadable(PROC.resolve("net/tcp")) && Files.isDirectory(PROC.resolve(pid + "/fd"));
    }

    /** Connections of process {@code pid} to any of {@code upstreams}. */
    static int count(long pid, Collection<Upstream> upstreams) throws IOException {
        Set<String> remotes = new HashSet<>();
        for (Upstream upstream : upstreams) {
            remotes.add(hex(upstream));
        }
        Set<String> inodes = socketInodes(pid);
        int count = 0;
        for (String table : List.of("net/tcp", "net/tcp6")) {
            Path file = PROC.resolve(table);
            if (!Files.isReadable(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (int i = 1; i < lines.size(); i++) {
                String[] fields = lines.get(i).strip().split("\\s+");
                if (fields.length > 9 && remotes.contains(fields[2]) && OPEN_STATES.contains(fields[3])
                        && inodes.contains(fields[9])) {
                    count++;
                }
            }
        }
        return count;
    }

    private static Set<String> socketInodes(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC.resolve(pid + "/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException e) {
                    // the descriptor was closed meanwhile
                }
            }
        }
        return inodes;
    }

    /** The address as /proc/net/tcp writes it: each 32-bit word of the address in host (little-endian) order. */
    static String hex(Upstream upstream) throws UnknownHostException {
        byte[] address = InetAddress.getByName(upstream.host()).getAddress();
        StringBuilder text = new StringBuilder();
        for (int word = 0; word < address.length; word += 4) {
            for (int i = 3; i >= 0; i--) {
                text.append(String.format(Locale.ROOT, "%02X", address[word + i] & 0xff));
            }
        }
        return text + ":" + String.format(Locale.ROOT, "%04X", upstream.port());
    }
}
