package cloud.hop3.itests;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which process accepted a connection, read from the kernel (Linux {@code /proc}, as root): the
 * server side of the connection in {@code /proc/net/tcp[6]}, then the process holding that socket.
 * Tells the proxies apart whatever their answers look like.
 */
final class SocketOwner {

    private SocketOwner() {
    }

    /**
     * Opens a connection to {@code port}, has it answer one request, and names the proxy whose
     * process accepted it: {@code nginx}, {@code haproxy}, {@code caddy}, or {@code builtin} (the
     * platform's JVM); otherwise the process's command.
     */
    static String proxyAt(int port, String host) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] status = in.readNBytes(12);
            if (!new String(status, StandardCharsets.US_ASCII).startsWith("HTTP/1.")) {
                throw new IOException("Not an HTTP answer");
            }
            String inode = serverInode(port, socket.getLocalPort())
                    .orElseThrow(() -> new IOException("The connection is not in /proc/net/tcp"));
            String command = holder(inode).orElseThrow(() -> new IOException("No process holds socket " + inode));
            if (command.contains("nginx")) {
                return "nginx";
            } else if (command.contains("haproxy")) {
                return "haproxy";
            } else if (command.contains("caddy")) {
                return "caddy";
            } else if (command.contains("java")) {
                return "builtin";
            }
            return command;
        }
    }

    /** The inode of the established socket with local port {@code serverPort} and remote port {@code clientPort}. */
    private static Optional<String> serverInode(int serverPort, int clientPort) throws IOException {
        String local = String.format(":%04X", serverPort);
        String remote = String.format(":%04X", clientPort);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.strip().split("\\s+");
                if (f.length > 9 && f[1].endsWith(local) && f[2].endsWith(remote) && f[3].equals("01")) {
                    return Optional.of(f[9]);
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> holder(String inode) {
        String link = "socket:[" + inode + "]";
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> {
                    String name = c.toLowerCase(Locale.ROOT);
                    return name.contains("nginx") || name.contains("haproxy") || name.contains("caddy") || name.contains("java");
                }).orElse(false))
                .filter(p -> holds(p.pid(), link))
                .map(p -> p.info().command().orElse("?"))
                .findFirst();
    }

    private static boolean holds(long pid, String link) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals(link);
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
