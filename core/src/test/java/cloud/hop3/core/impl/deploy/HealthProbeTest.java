package cloud.hop3.core.impl.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import cloud.hop3.api.build.HealthCheck;

class HealthProbeTest {

    private static final Duration SHORT = Duration.ofSeconds(1);

    private HttpServer server;
    private int port;
    private final List<String> requested = new CopyOnWriteArrayList<>();
    private final HealthProbe probe = new HealthProbe();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.start();
        port = server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    /** Every request gets this status and body. */
    private void answer(int status, String body) {
        server.createContext("/", exchange -> respond(exchange, status, body));
    }

    private void respond(HttpExchange exchange, int status, String body) throws IOException {
        requested.add(exchange.getRequestURI().getPath());
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String noFailure() {
        return null;
    }

    @Test
    void withoutACheckAnyAnswerOnSlashIsHealthy() throws InterruptedException {
        answer(500, "Internal Server Error");

        assertNull(probe.await(port, null, HealthProbeTest::noFailure));
        assertEquals(List.of("/"), requested);
    }

    @Test
    void withACheckAnErrorStatusIsNotHealthy() throws InterruptedException {
        answer(503, "starting");

        String problem = probe.await(port, new HealthCheck("/healthz", "", SHORT), HealthProbeTest::noFailure);

        assertEquals("did not become healthy within 1 s (GET /healthz answered 503)", problem);
        assertTrue(requested.size() > 1, "polled more than once: " + requested);
        assertTrue(requested.stream().allMatch("/healthz"::equals), requested.toString());
    }

    @Test
    void withACheck404IsNotHealthy() throws InterruptedException {
        answer(404, "no such page");

        assertEquals("did not become healthy within 1 s (GET /health answered 404)",
                probe.await(port, new HealthCheck("/health", null, SHORT), HealthProbeTest::noFailure));
    }

    @Test
    void withACheckA2xxOr3xxAnswerIsHealthy() throws InterruptedException {
        answer(204, "");
        assertNull(probe.await(port, new HealthCheck("/healthz", "", SHORT), HealthProbeTest::noFailure));

        server.removeContext("/");
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Location", "/login");
            respond(exchange, 302, "");
        });
        assertNull(probe.await(port, new HealthCheck("/healthz", null, SHORT), HealthProbeTest::noFailure),
                "a redirect is an answer; it is not followed");
    }

    @Test
    void expectedContentThatIsMissingIsNotHealthy() throws InterruptedException {
        answer(200, "{\"status\":\"starting\"}");

        assertEquals("did not become healthy within 1 s (GET /status did not contain '\"status\":\"up\"')",
                probe.await(port, new HealthCheck("/status", "\"status\":\"up\"", SHORT), HealthProbeTest::noFailure));
    }

    @Test
    void expectedContentThatIsThereIsHealthy() throws InterruptedException {
        answer(200, "{\"status\":\"up\",\"db\":\"ok\"}");

        assertNull(probe.await(port, new HealthCheck("/status", "\"status\":\"up\"", SHORT), HealthProbeTest::noFailure));
        assertEquals(List.of("/status"), requested);
    }

    @Test
    void aBlankPathMeansSlash() throws InterruptedException {
        answer(200, "ok");

        assertNull(probe.await(port, new HealthCheck(" ", "ok", SHORT), HealthProbeTest::noFailure));
        assertEquals(List.of("/"), requested);
    }

    @Test
    void aProcessThatBecomesHealthyWhilePolledPasses() throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();
        server.createContext("/", exchange -> {
            if (calls.incrementAndGet() < 4) {
                respond(exchange, 503, "warming up");
            } else {
                respond(exchange, 200, "ready");
            }
        });

        assertNull(probe.await(port, new HealthCheck("/ready", "ready", Duration.ofSeconds(10)), HealthProbeTest::noFailure));
        assertEquals(4, calls.get());
    }

    @Test
    void aFailureStopsWaitingAtOnce() throws InterruptedException {
        answer(503, "starting");
        long start = System.nanoTime();

        String problem = probe.await(port, new HealthCheck("/healthz", "", Duration.ofSeconds(30)),
                () -> requested.size() >= 2 ? "web.1 exited with status 1" : null);

        assertEquals("web.1 exited with status 1", problem);
        assertEquals(2, requested.size());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0);
    }

    @Test
    void aFailureKnownBeforeTheFirstRequestIsReportedWithoutARequest() throws InterruptedException {
        answer(200, "ok");

        assertEquals("web.1 could not start: ./web: not found",
                probe.await(port, null, () -> "web.1 could not start: ./web: not found"));
        assertEquals(List.of(), requested);
    }

    /** Answers 200 "ok" and records each request's target as it came, percent-encoding and query included. */
    private List<String> answerOkRecordingRawTargets() {
        List<String> targets = new CopyOnWriteArrayList<>();
        server.createContext("/", exchange -> {
            targets.add(exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
            respond(exchange, 200, "ok");
        });
        return targets;
    }

    @Test
    void theQueryOfTheCheckedPathIsSentAsGiven() throws InterruptedException {
        List<String> targets = answerOkRecordingRawTargets();

        assertNull(probe.await(port, new HealthCheck("/status?full=1&db=yes", "ok", SHORT), HealthProbeTest::noFailure));
        assertEquals(List.of("/status?full=1&db=yes"), targets);
    }

    @Test
    void aPathWithNonAsciiCharactersIsSentPercentEncoded() throws InterruptedException {
        List<String> targets = answerOkRecordingRawTargets();

        assertNull(probe.await(port, new HealthCheck("/santé", "ok", SHORT), HealthProbeTest::noFailure));
        assertEquals(List.of("/sant%C3%A9"), targets);
    }

    /** A server of its own on a raw socket: answers every connection with {@code answer}, then closes. */
    private static ServerSocket rawServer(String answer) throws IOException {
        ServerSocket raw = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread thread = new Thread(() -> {
            while (!raw.isClosed()) {
                try (Socket client = raw.accept()) {
                    client.getInputStream().read(new byte[4096]);
                    client.getOutputStream().write(answer.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    return;
                }
            }
        });
        thread.setDaemon(true);
        thread.start();
        return raw;
    }

    @Test
    void aBodyWithoutLengthIsReadToTheCloseForTheExpectedContent() throws Exception {
        // an HTTP/1.0 answer, as many small servers give: no Content-Length, the end is the close
        try (ServerSocket raw = rawServer("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall systems up\n")) {
            assertNull(probe.await(raw.getLocalPort(), new HealthCheck("/", "systems up", SHORT), HealthProbeTest::noFailure));
        }
    }

    @Test
    void anAnswerThatIsNotHttpIsNotHealthy() throws Exception {
        try (ServerSocket raw = rawServer("220 smtp.example ESMTP ready\r\n")) {
            assertEquals("did not become healthy within 1 s (GET / on port " + raw.getLocalPort() + " did not answer in HTTP)",
                    probe.await(raw.getLocalPort(), new HealthCheck("/", "", SHORT), HealthProbeTest::noFailure));
        }
    }

    @Test
    void aProcessThatTakesTheConnectionAndSaysNothingFailsWithinTheChecksTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            long start = System.nanoTime();

            String problem = probe.await(silent.getLocalPort(), new HealthCheck("/", "", SHORT), HealthProbeTest::noFailure);

            assertEquals("did not become healthy within 1 s (port " + silent.getLocalPort()
                    + " took the connection and gave no answer)", problem);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "the 5 s read timeout is cut to the check's: " + took);
        }
    }

    @Test
    void nothingListeningTimesOutWithNoAnswer() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = socket.getLocalPort();
        }
        long start = System.nanoTime();

        String problem = probe.await(closed, new HealthCheck("/", "", Duration.ofSeconds(2)), HealthProbeTest::noFailure);

        assertEquals("did not become healthy within 2 s (no answer on port " + closed + ")", problem);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(Duration.ofSeconds(2)) >= 0 && took.compareTo(Duration.ofSeconds(10)) < 0, took.toString());
    }
}
