package cloud.hop3.proxy.haproxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import cloud.hop3.api.proxy.Upstream;

/**
 * An app process for the tests: the JDK's HTTP server on a free loopback port. {@code /headers}
 * answers the request headers (names lower case, one per line); a path under {@code /slow} is
 * answered after a second; anything else
 * {@code hello from <name>}.
 */
final class AppProcess implements AutoCloseable {

    final String name;
    final AtomicInteger requests = new AtomicInteger();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(16);

    AppProcess(String name) throws IOException {
        this.name = name;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    Upstream upstream() {
        return new Upstream("127.0.0.1", server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestURI().getPath().startsWith("/slow")) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String body;
            if (exchange.getRequestURI().getPath().equals("/headers")) {
                Map<String, String> headers = new TreeMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
                StringBuilder sb = new StringBuilder();
                headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append('\n'));
                body = sb.toString();
            } else {
                body = "hello from " + name;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
