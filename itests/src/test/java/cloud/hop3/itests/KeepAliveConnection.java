package cloud.hop3.itests;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One persistent HTTP/1.1 connection used for request after request, as a browser does. When the
 * server closed the connection while it was idle (a proxy that stops, or its keep-alive timeout),
 * the request is sent again on a new connection, once, as browsers and HTTP clients do for GET
 * when no byte of the answer came (RFC 9112, 9.3.1); {@link #resent()} counts those.
 */
final class KeepAliveConnection implements AutoCloseable {

    private final int port;
    private final String host;
    private Socket socket;
    private InputStream in;
    private long resent;

    KeepAliveConnection(int port, String host) {
        this.port = port;
        this.host = host;
    }

    Http.Response get(String path) throws IOException {
        boolean reused = socket != null;
        if (socket == null) {
            connect();
        }
        int[] read = {0};
        try {
            return exchange(path, read);
        } catch (IOException e) {
            close();
            if (!reused || read[0] > 0) {
                throw e;
            }
            resent++;
            connect();
            return exchange(path, new int[] {0});
        }
    }

    long resent() {
        return resent;
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(30_000);
        in = new BufferedInputStream(socket.getInputStream());
    }

    private Http.Response exchange(String path, int[] read) throws IOException {
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        String status = line(read);
        if (!status.startsWith("HTTP/1.")) {
            throw new IOException("Not an HTTP answer: " + status);
        }
        long length = -1;
        boolean chunked = false;
        boolean closes = false;
        StringBuilder head = new StringBuilder(status).append("\r\n");
        for (String header = line(read); !header.isEmpty(); header = line(read)) {
            head.append(header).append("\r\n");
            String h = header.toLowerCase(Locale.ROOT);
            if (h.startsWith("content-length:")) {
                length = Long.parseLong(h.substring(15).strip());
            } else if (h.startsWith("transfer-encoding:") && h.contains("chunked")) {
                chunked = true;
            } else if (h.startsWith("connection:") && h.contains("close")) {
                closes = true;
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (long size = Long.parseLong(line(read).split(";")[0].strip(), 16); size > 0;
                    size = Long.parseLong(line(read).split(";")[0].strip(), 16)) {
                body.write(in.readNBytes((int) size));
                line(read);
            }
            line(read);
        } else if (length >= 0) {
            byte[] bytes = in.readNBytes((int) length);
            if (bytes.length < length) {
                throw new EOFException("The answer ended after " + bytes.length + " of " + length + " bytes");
            }
            body.write(bytes);
        } else {
            body.write(in.readAllBytes());
            closes = true;
        }
        if (closes) {
            close();
        }
        return new Http.Response(Integer.parseInt(status.substring(9, 12)), body.toString(StandardCharsets.UTF_8),
                head.toString());
    }

    private String line(int[] read) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException(read[0] == 0 ? "The connection was closed before an answer" : "The answer was cut");
            }
            read[0]++;
            if (c == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) c);
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing
            }
            socket = null;
            in = null;
        }
    }
}
