package cloud.hop3.tls.acme;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;

import cloud.hop3.api.tls.TlsSupport;

/**
 * Core's side of {@link TlsSupport} for the tests: state directories under a temporary
 * directory, and the published challenge answers served over plain HTTP by the JDK's HttpServer
 * on every address of this machine, where Pebble validates them. Can be told to answer wrongly.
 */
final class ChallengeServer implements TlsSupport, AutoCloseable {

    private volatile Path stateRoot;
    private final HttpServer server;
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    final List<String> published = new CopyOnWriteArrayList<>();
    final List<String> withdrawn = new CopyOnWriteArrayList<>();
    /** Tokens the authority has asked for (before any stall). */
    final List<String> requested = new CopyOnWriteArrayList<>();
    volatile boolean answerWrongly;
    /** While set, requests for challenges wait until it is counted down (an unresponsive host). */
    volatile CountDownLatch stall;

    ChallengeServer(Path stateRoot) throws IOException {
        this.stateRoot = stateRoot;
        this.server = HttpServer.create(new InetSocketAddress(0), 16);
        server.createContext(CHALLENGE_PATH, exchange -> {
            String token = exchange.getRequestURI().getPath().substring(CHALLENGE_PATH.length());
            requested.add(token);
            CountDownLatch gate = stall;
            if (gate != null) {
                try {
                    gate.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String answer = answers.get(token);
            byte[] body = (answer == null ? "no such challenge" : answerWrongly ? "not-the-key-authorization" : answer)
                    .getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(answer == null ? 404 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    /** Where the next state directories go (a fresh platform). */
    void useStateRoot(Path root) {
        this.stateRoot = root;
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public Path stateDirectory(String issuer) {
        if (!issuer.matches("[A-Za-z0-9-]+")) {
            throw new IllegalArgumentException("Not a plain name: " + issuer);
        }
        try {
            return Files.createDirectories(stateRoot.resolve(issuer));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void publishChallenge(String token, String content) {
        if (!token.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("Not a base64url token: " + token);
        }
        answers.put(token, content);
        published.add(token);
    }

    @Override
    public void withdrawChallenge(String token) {
        answers.remove(token);
        withdrawn.add(token);
    }

    /** Tokens still served. */
    Map<String, String> served() {
        return Map.copyOf(answers);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
