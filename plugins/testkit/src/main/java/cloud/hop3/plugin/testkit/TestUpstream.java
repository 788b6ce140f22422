package cloud.hop3.plugin.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import cloud.hop3.api.proxy.Upstream;

/**
 * An app process for proxy tests: the JDK's HTTP server on a free loopback port. It counts the
 * requests and the connections they came on, and answers by path:
 * <ul>
 * <li>{@code /headers}: {@code method: <METHOD>}, then the request headers, one {@code name: value}
 * line each, names lower case;</li>
 * <li>{@code /sha}: reads the body, answers its length and SHA-256;</li>
 * <li>{@code /big?bytes=N}: N bytes of {@link #pattern(long)}, chunked;</li>
 * <li>{@code /slow}: waits for {@link #release()} first, then answers {@code slow from <name>};</li>
 * <li>{@code /sleep}: waits a second, then answers as for any other path;</li>
 * <li>anything else: {@code hello from <name>}, followed by the method and the path when made
 * with {@link #echoing(String)}.</li>
 * </ul>
 */
public final class TestUpstream implements AutoCloseable {

    public final String name;
    /** Requests received. */
    public final AtomicInteger requests = new AtomicInteger();
    /** Client ports of the connections the requests came on. */
    public final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    private final boolean echo;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch slowEntered = new CountDownLatch(1);
    private final CountDownLatch slowRelease = new CountDownLatch(1);
    /** Released by {@code /big} after its first megabyte; the test counts it down when it has read it. */
    public volatile CountDownLatch bigGate;
    /** Counted down by {@code /sha} when the first bytes of the body have arrived. */
    public final CountDownLatch uploadStarted = new CountDownLatch(1);

    /** An upstream that answers {@code hello from <name>}. */
    public TestUpstream(String name) throws IOException {
        this(name, false);
    }

    /** An upstream that answers {@code hello from <name> <METHOD> <path>}. */
    public static TestUpstream echoing(String name) throws IOException {
        return new TestUpstream(name, true);
    }

    private TestUpstream(String name, boolean echo) throws IOException {
        this.name = name;
        this.echo = echo;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public Upstream upstream() {
        return new Upstream("127.0.0.1", server.getAddress().getPort());
    }

    /** Waits until a {@code /slow} request has arrived. */
    public void awaitSlowRequest() throws InterruptedException {
        if (!slowEntered.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the slow request never reached " + name);
        }
    }

    /** Lets the {@code /slow} requests answer. */
    public void release() {
        slowRelease.countDown();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            clientPorts.add(exchange.getRemoteAddress().getPort());
            String path = exchange.getRequestURI().getPath();
            switch (path) {
                case "/headers" -> {
                    StringBuilder text = new StringBuilder("method: " + exchange.getRequestMethod() + "\n");
                    Map<String, List<String>> sorted = new TreeMap<>();
                    exchange.getRequestHeaders().forEach((k, v) -> sorted.put(k.toLowerCase(Locale.ROOT), v));
                    sorted.forEach((k, v) -> v.forEach(value -> text.append(k).append(": ").append(value).append('\n')));
                    exchange.getRequestBody().readAllBytes();
                    send(exchange, 200, text.toString());
                }
                case "/sha" -> {
                    MessageDigest sha = sha256();
                    long length = 0;
                    byte[] buffer = new byte[64 * 1024];
                    InputStream body = exchange.getRequestBody();
                    for (int n; (n = body.read(buffer)) > 0; ) {
                        sha.update(buffer, 0, n);
                        length += n;
                        uploadStarted.countDown();
                    }
                    send(exchange, 200, length + " " + HexFormat.of().formatHex(sha.digest()));
                }
                case "/big" -> {
                    long bytes = Long.parseLong(exchange.getRequestURI().getQuery().substring("bytes=".length()));
                    exchange.getRequestBody().readAllBytes();
                    exchange.sendResponseHeaders(200, 0);
                    try (OutputStream out = exchange.getResponseBody()) {
                        byte[] buffer = new byte[64 * 1024];
                        for (long sent = 0; sent < bytes; ) {
                            int n = (int) Math.min(buffer.length, bytes - sent);
                            fill(buffer, sent, n);
                            out.write(buffer, 0, n);
                            sent += n;
                            CountDownLatch gate = bigGate;
                            if (gate != null && sent == 1024 * 1024) {
                                out.flush();
                                gate.await(10, TimeUnit.SECONDS);
                            }
                        }
                    }
                }
                case "/slow" -> {
                    slowEntered.countDown();
                    slowRelease.await(30, TimeUnit.SECONDS);
                    send(exchange, 200, "slow from " + name);
                }
                default -> {
                    exchange.getRequestBody().readAllBytes();
                    if (path.equals("/sleep")) {
                        Thread.sleep(1000);
                    }
                    send(exchange, 200, "hello from " + name
                            + (echo ? " " + exchange.getRequestMethod() + " " + path : ""));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
    }

    /** The byte at {@code offset} of the {@code /big} body. */
    public static byte pattern(long offset) {
        return (byte) (offset * 31 + (offset >>> 11));
    }

    /** Fills {@code n} bytes of {@code buffer} with the {@code /big} body from {@code offset}. */
    public static void fill(byte[] buffer, long offset, int n) {
        for (int i = 0; i < n; i++) {
            buffer[i] = pattern(offset + i);
        }
    }

    /** A new SHA-256 digest. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        slowRelease.countDown();
        CountDownLatch gate = bigGate;
        if (gate != null) {
            gate.countDown();
        }
        server.stop(0);
        executor.shutdownNow();
    }
}
