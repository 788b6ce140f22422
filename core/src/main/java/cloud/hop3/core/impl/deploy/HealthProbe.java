package cloud.hop3.core.impl.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();

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
            last = probe(port, path, check);
            if (last == null) {
                return null;
            }
            Thread.sleep(pause);
            pause = Math.min(pause + 10, MAX_PAUSE_MILLIS);
        }
        return "did not become healthy within " + timeout.toSeconds() + " s (" + last + ")";
    }

    private String probe(int port, String path, HealthCheck check) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).GET().build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (check == null) {
                return null;
            }
            if (response.statusCode() >= 400) {
                return "GET " + path + " answered " + response.statusCode();
            }
            String expected = check.expectedContent();
            if (expected != null && !expected.isEmpty() && !response.body().contains(expected)) {
                return "GET " + path + " did not contain '" + expected + "'";
            }
            return null;
        } catch (IOException e) {
            return "no answer on port " + port;
        }
    }
}
