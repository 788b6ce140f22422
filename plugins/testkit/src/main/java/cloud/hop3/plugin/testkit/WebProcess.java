package cloud.hop3.plugin.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import cloud.hop3.plugin.support.server.FreePorts;

/**
 * A web process of a built app, started the way Hop3's local driver starts one:
 * {@code /bin/sh -c <command>} in the slug, with the given environment over a minimal one (the
 * system PATH, a home directory, a UTF-8 locale) and a free {@code PORT}. Closing it stops it and
 * everything it started.
 */
public final class WebProcess implements AutoCloseable {

    /** The port the process was told to listen on. */
    public final int port;
    private final Process process;
    private final Path output;

    private WebProcess(Process process, int port, Path output) {
        this.process = process;
        this.port = port;
        this.output = output;
    }

    /**
     * Starts {@code command} in {@code slug}.
     *
     * @param env  variables for the process (the builder's runtime environment, say), over the minimal ones
     * @param home the process's {@code HOME}, where its output is kept too
     */
    public static WebProcess start(Path slug, String command, Map<String, String> env, Path home) throws IOException {
        int port = FreePorts.any();
        Map<String, String> all = new HashMap<>();
        all.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        all.put("HOME", home.toString());
        all.put("LANG", "C.UTF-8");
        all.putAll(env);
        all.put("PORT", String.valueOf(port));
        Path output = Files.createTempFile(home, "web", ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of("/bin/sh", "-c", command)).directory(slug.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().clear();
        builder.environment().putAll(all);
        return new WebProcess(builder.start(), port, output);
    }

    /** The first answer, whatever its status, to GET {@code path}, polled until {@code within} passes. */
    public HttpResponse<String> awaitAnswer(String path, Duration within) throws IOException, InterruptedException {
        return await(path, within, false);
    }

    /** The body of the first 200 answer to GET {@code path}, polled until {@code within} passes. */
    public String awaitBody(String path, Duration within) throws IOException, InterruptedException {
        return await(path, within, true).body();
    }

    private HttpResponse<String> await(String path, Duration within, boolean onlyOk)
            throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("The web process exited with status " + process.exitValue() + ": "
                        + Files.readString(output));
            }
            try {
                HttpResponse<String> answer = client.send(get, HttpResponse.BodyHandlers.ofString());
                if (!onlyOk || answer.statusCode() == 200) {
                    return answer;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("No answer on port " + port + " within " + within + ": " + Files.readString(output));
    }

    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
