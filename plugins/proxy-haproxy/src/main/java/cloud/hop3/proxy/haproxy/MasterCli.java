package cloud.hop3.proxy.haproxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * HAProxy's master command line on its UNIX socket ({@code -S}): one command per connection,
 * answered until the master closes it.
 */
final class MasterCli {

    /**
     * What {@code show proc} says.
     *
     * @param reloads    how often the master has reloaded
     * @param workers    pids of the current workers
     * @param oldWorkers pids of the workers still finishing requests from before a reload
     */
    record Processes(int reloads, List<Long> workers, List<Long> oldWorkers) {
    }

    private final Path socket;

    MasterCli(Path socket) {
        this.socket = socket;
    }

    String send(String command) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
            channel.shutdownOutput();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                out.write(buffer.array(), 0, buffer.limit());
                buffer.clear();
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    Processes showProc() throws IOException {
        return parse(send("show proc"));
    }

    /** Parses the answer of {@code show proc}. */
    static Processes parse(String text) {
        int reloads = -1;
        List<Long> workers = new ArrayList<>();
        List<Long> old = new ArrayList<>();
        List<Long> into = null;
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.startsWith("#")) {
                into = l.equals("# workers") ? workers : l.equals("# old workers") ? old : null;
                continue;
            }
            String[] fields = l.split("\\s+");
            if (fields.length < 3) {
                continue;
            }
            try {
                if (fields[1].equals("master")) {
                    reloads = Integer.parseInt(fields[2]);
                } else if (into != null && fields[1].equals("worker")) {
                    into.add(Long.parseLong(fields[0]));
                }
            } catch (NumberFormatException e) {
                // not a process line
            }
        }
        return new Processes(reloads, workers, old);
    }
}
