package cloud.hop3.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A plain HTTP/1.1 GET with any Host header, over a fresh connection, as curl -H Host: does. */
final class Http {

    /**
     * An answer.
     *
     * @param status the status code
     * @param body   the body as text (chunked bodies are decoded)
     * @param head   the status line and headers as sent
     */
    record Response(int status, String body, String head) {

        /** The first value of a header, by case-insensitive name; null when absent. */
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).strip();
                }
            }
            return null;
        }
    }

    private Http() {
    }

    static Response get(int port, String host, String path) throws IOException {
        return get(port, host, path, 30_000);
    }

    /** The same, waiting at most {@code timeoutMillis} for the answer to begin and for each part of it. */
    static Response get(int port, String host, String path, int timeoutMillis) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] all = in.readAllBytes();
            String text = new String(all, StandardCharsets.UTF_8);
            int headerEnd = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/1.") || headerEnd < 0) {
                throw new IOException("Not an HTTP answer: " + text);
            }
            int status = Integer.parseInt(text.substring(9, 12));
            String headers = text.substring(0, headerEnd).toLowerCase();
            String body = text.substring(headerEnd + 4);
            if (headers.contains("transfer-encoding: chunked")) {
                body = dechunk(body);
            }
            return new Response(status, body, text.substring(0, headerEnd));
        }
    }

    private static String dechunk(String body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < body.length()) {
            int eol = body.indexOf("\r\n", i);
            int size = Integer.parseInt(body.substring(i, eol).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.writeBytes(body.substring(eol + 2, eol + 2 + size).getBytes(StandardCharsets.UTF_8));
            i = eol + 2 + size + 2;
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
