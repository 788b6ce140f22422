package cloud.hop3.proxy.caddy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import cloud.hop3.api.proxy.Upstream;

/**
 * An app process for the tests: the JDK's HTTP server on a free loopback port. {@code /headers}
 * answers the request headers (one {@code name: value} line each, names lower case), {@code /slow}
 * waits for {@link #release()}, anything else answers {@code hello from <name>}.
 */
final class TestUpstream implements AutoCloseable {

    final String name;
    final AtomicInteger requests = new AtomicInteger();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch slowEntered = new CountDownLatch(1);
    private final CountDownLatch slowRelease = new CountDownLatch(1);

    TestUpstream(String name) throws IOException {
        this.name = name;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    Upstream upstream() {
        return new Upstream("127.0.0.1", server.getAddress().getPort());
    }

    void awaitSlowRequest() throws InterruptedException {
        if (!slowEntered.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the slow request never reached " + name);
        }
    }

    void release() {
        slowRelease.countDown();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            String body;
            switch (exchange.getRequestURI().getPath()) {
                case "/headers" -> {
                    Map<String, String> headers = new TreeMap<>();
                    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
                    StringBuilder text = new StringBuilder();
                    headers.forEach((k, v) -> text.append(k).append(": ").append(v).append('\n'));
                    body = text.toString();
                }
                case "/slow" -> {
                    slowEntered.countDown();
                    try {
                        slowRelease.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    body = "slow from " + name;
                }
                default -> body = "hello from " + name;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
    }
}
