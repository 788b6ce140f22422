package cloud.hop3.core.impl.deploy;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;

import cloud.hop3.api.build.HealthCheck;

/**
 * Decides whether a new web process is ready: an HTTP request on its port answers, and, when
 * the app gives a health check, with a 2xx or 3xx status and the expected content.
 */
final class HealthProbe {

    /** Default when the app gives none: any HTTP answer on "/" within 30 s. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** The longest pause between two probes: an app that is slow to start is found healthy within it. */
    static final long MAX_PAUSE_MILLIS = 50;

    /** How long a probe waits for the connection, then for each read of the answer. */
    static final int CONNECT_MILLIS = 2_000;
    static final int READ_MILLIS = 5_000;
    static final int MIN_READ_MILLIS = 100;
    /** The most of an answer read to look for the expected content. */
    static final int MAX_BODY_BYTES = 1 << 20;

    /**
     * Polls until the process is healthy.
     *
     * @param failure tells, while polling, why waiting is pointless (the process crashed), or null
     * @return null when healthy, else why not
     */
    String await(int port, HealthCheck check, Supplier<String> failure) throws InterruptedException {
        String path = check == null || check.path() == null || check.path().isBlank() ? "/" : check.path();
        Duration timeout = check == null || check.timeout() == null ? DEFAULT_TIMEOUT : check.timeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        // most apps answer within a few hundred milliseconds: polling often then is what makes a
        // redeploy quick, and a refused connection on loopback costs microseconds
        long pause = 10;
        while (System.nanoTime() < deadline) {
            String problem = failure.get();
            if (problem != null) {
                return problem;
            }
            last = probe(port, path, check, deadline);
            if (last == null) {
                return null;
            }
            Thread.sleep(pause);
            pause = Math.min(pause + 10, MAX_PAUSE_MILLIS);
        }
        return "did not become healthy within " + timeout.toSeconds() + " s (" + last + ")";
    }

    /**
     * One GET over HTTP/1.0 on loopback, as HAProxy's health checks do: the app answers without
     * chunks and closes, so the answer is read to its end with a plain socket. (The JDK's HTTP
     * client, which this replaced, set up TLS and a selector thread in the platform at boot.)
     */
    private String probe(int port, String path, HealthCheck check, long deadline) {
        // non-ASCII characters of the path go out percent-encoded, as a browser sends them
        URI target = URI.create(URI.create("http://127.0.0.1:" + port + path).toASCIIString());
        String resource = target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
        String request = "GET " + resource + " HTTP/1.0\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "User-Agent: hop3-health-check\r\n"
                + "Accept: */*\r\n\r\n";
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_MILLIS);
            // a read waits no longer than the check has left, so that its timeout is the one that counts
            long left = (deadline - System.nanoTime()) / 1_000_000;
            socket.setSoTimeout((int) Math.max(MIN_READ_MILLIS, Math.min(READ_MILLIS, left)));
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String head = readHead(in);
            int status = status(head);
            if (status < 0) {
                return "GET " + path + " on port " + port + " did not answer in HTTP";
            }
            // read the answer to its end before closing, so that the app does not see its write
            // to a closed connection fail (a traceback in its log at every deploy)
            String body = readBody(in, contentLength(head));
            if (check == null) {
                return null;
            }
            if (status >= 400) {
                return "GET " + path + " answered " + status;
            }
            String expected = check.expectedContent();
            if (expected != null && !expected.isEmpty() && !body.contains(expected)) {
                return "GET " + path + " did not contain '" + expected + "'";
            }
            return null;
        } catch (SocketTimeoutException e) {
            return "port " + port + " took the connection and gave no answer";
        } catch (IOException e) {
            return "no answer on port " + port;
        }
    }

    /** The status line and headers, up to the empty line that ends them (at most 64 KB). */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last = 0; // the last four bytes read, the latest lowest
        while (head.size() < 65_536) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            last = last << 8 | b;
            if (last == 0x0d0a0d0a || (last & 0xffff) == 0x0a0a) {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** The status code of {@code head} ("HTTP/1.x NNN ..."), or -1 when it is not an HTTP answer. */
    static int status(String head) {
        if (!head.startsWith("HTTP/1.") || head.length() < 12 || head.charAt(8) != ' ') {
            return -1;
        }
        String code = head.substring(9, 12);
        if (!code.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Integer.parseInt(code);
    }

    /** The Content-Length of {@code head}, or -1 when it gives none (the body ends when the app closes). */
    private static long contentLength(String head) {
        for (String line : head.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                try {
                    return Long.parseLong(line.substring(colon + 1).trim());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /**
     * The body, up to {@code length} bytes (to the close when -1) and at most {@link #MAX_BODY_BYTES};
     * an app that keeps the connection open after its answer gives what it sent within the read timeout.
     */
    private static String readBody(InputStream in, long length) throws IOException {
        long limit = length < 0 ? MAX_BODY_BYTES : Math.min(length, MAX_BODY_BYTES);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            while (body.size() < limit) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, limit - body.size()));
                if (read < 0) {
                    break;
                }
                body.write(buffer, 0, read);
            }
        } catch (SocketTimeoutException e) {
            // the answer's head came, and then no more: what came is the answer
        }
        return body.toString(StandardCharsets.UTF_8);
    }
}
