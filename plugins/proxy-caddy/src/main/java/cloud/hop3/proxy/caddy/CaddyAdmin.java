package cloud.hop3.proxy.caddy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A client of Caddy's admin API on its unix socket: one HTTP/1.1 request per connection. Caddy
 * accepts an empty {@code Host} header on a unix socket and nothing else by default.
 */
final class CaddyAdmin {

    /** An answer of the admin API. */
    record Answer(int status, String body) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "hop3-caddy-admin-timeout");
        thread.setDaemon(true);
        return thread;
    });

    private final Path socket;

    CaddyAdmin(Path socket) {
        this.socket = socket;
    }

    Answer get(String path, Duration timeout) throws IOException {
        return send("GET", path, null, timeout);
    }

    Answer post(String path, String json, Duration timeout) throws IOException {
        return send("POST", path, json, timeout);
    }

    /** Whether a caddy answers on the socket. */
    boolean answers() {
        try {
            return get("/config/", Duration.ofSeconds(2)).ok();
        } catch (IOException e) {
            return false;
        }
    }

    private Answer send(String method, String path, String json, Duration timeout) throws IOException {
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: \r\nConnection: close\r\n"
                + (json == null ? "" : "Content-Type: application/json\r\n")
                + "Content-Length: " + body.length + "\r\n\r\n";
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ScheduledFuture<?> deadline = TIMER.schedule(() -> {
                try {
                    channel.close();
                } catch (IOException e) {
                    // the read below fails anyway
                }
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
                ByteBuffer out = ByteBuffer.allocate(head.length() + body.length);
                out.put(head.getBytes(StandardCharsets.ISO_8859_1)).put(body).flip();
                while (out.hasRemaining()) {
                    channel.write(out);
                }
                ByteArrayOutputStream received = new ByteArrayOutputStream();
                ByteBuffer in = ByteBuffer.allocate(8192);
                while (channel.read(in) >= 0) {
                    received.write(in.array(), 0, in.position());
                    in.clear();
                }
                return parse(received.toString(StandardCharsets.UTF_8));
            } finally {
                deadline.cancel(false);
            }
        }
    }

    static Answer parse(String response) throws IOException {
        int lineEnd = response.indexOf("\r\n");
        String[] status = (lineEnd < 0 ? response : response.substring(0, lineEnd)).split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/")) {
            throw new IOException("Caddy's admin API gave no HTTP answer.");
        }
        int headEnd = response.indexOf("\r\n\r\n");
        String body = headEnd < 0 ? "" : response.substring(headEnd + 4);
        if (response.substring(0, Math.max(headEnd, 0)).toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
            body = unchunk(body);
        }
        try {
            return new Answer(Integer.parseInt(status[1]), body);
        } catch (NumberFormatException e) {
            throw new IOException("Caddy's admin API gave no HTTP status.");
        }
    }

    private static String unchunk(String body) {
        StringBuilder text = new StringBuilder();
        int at = 0;
        while (at < body.length()) {
            int end = body.indexOf("\r\n", at);
            if (end < 0) {
                break;
            }
            int size = Integer.parseInt(body.substring(at, end).split(";")[0].strip(), 16);
            if (size == 0) {
                break;
            }
            text.append(body, end + 2, Math.min(body.length(), end + 2 + size));
            at = end + 2 + size + 2;
        }
        return text.toString();
    }
}
