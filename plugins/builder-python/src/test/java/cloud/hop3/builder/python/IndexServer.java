package cloud.hop3.builder.python;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A package index over HTTP for tests: serves a directory in the PEP 503 layout
 * ({@code simple/<project>/index.html} and the files it links) and records every request, so that
 * a test can tell whether pip asked it anything.
 */
final class IndexServer implements AutoCloseable {

    private final HttpServer server;
    private final Path root;
    private final List<String> requests = new ArrayList<>();

    IndexServer(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::serve);
        server.start();
    }

    /** The index URL to give pip ({@code http://127.0.0.1:<port>/simple}). */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/simple";
    }

    /** The paths requested so far, in order. */
    synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        synchronized (this) {
            requests.add(path);
        }
        Path file = root.resolve(path.substring(1)).normalize();
        if (Files.isDirectory(file)) {
            file = file.resolve("index.html");
        }
        try (exchange; OutputStream body = exchange.getResponseBody()) {
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] content = Files.readAllBytes(file);
            exchange.getResponseHeaders().set("Content-Type",
                    file.toString().endsWith(".html") ? "text/html" : "application/octet-stream");
            exchange.sendResponseHeaders(200, content.length);
            body.write(content);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
