package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cloud.hop3.itests.Command.Result;

/**
 * The request metrics of an app served through a proxy, checked from outside: an app pushed with
 * git answers 200, 404 and 500; after requests through the proxy's port, the platform's
 * {@code /metrics} (read with an admin's API token) shows that app's requests by status class and
 * their latency.
 */
final class ProxyMetrics {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final int OK = 12;
    private static final int MISSING = 4;
    private static final int FAILED = 3;

    private ProxyMetrics() {
    }

    /** Pushes {@code app}, which answers 404 on /missing, 500 on /boom and 200 elsewhere. */
    static void push(Distribution platform, String app) throws Exception {
        Result push = new AppSource(platform, app).writeAll(Map.of(
                "Procfile", "web: /usr/bin/python3 app.py\n",
                "app.py", "import os\n"
                        + "from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer\n"
                        + "class Handler(BaseHTTPRequestHandler):\n"
                        + "    def do_GET(self):\n"
                        + "        code = 404 if self.path == '/missing' else 500 if self.path == '/boom' else 200\n"
                        + "        body = b'answer'\n"
                        + "        self.send_response(code)\n"
                        + "        self.send_header('Content-Length', str(len(body)))\n"
                        + "        self.end_headers()\n"
                        + "        self.wfile.write(body)\n"
                        + "    def log_message(self, *args):\n"
                        + "        pass\n"
                        + "ThreadingHTTPServer(('127.0.0.1', int(os.environ['PORT'])), Handler).serve_forever()\n"))
                .commitAndPush("first");
        assertEquals(0, push.exit(), push.toString());
    }

    /**
     * Sends 200s, 404s and 500s to {@code app} through {@code port}, and some to an unknown host,
     * then waits until {@code /metrics} counts exactly the 404s and 500s for the app, at least the
     * 200s, and their latency.
     */
    static void assertCountedThrough(Distribution platform, int port, String app) throws Exception {
        String created = platform.hop3Ok("token", "create", "admin");
        String token = created.lines().filter(l -> l.startsWith("hop3_")).findFirst()
                .orElseThrow(() -> new AssertionError(created));
        String host = app + ".localhost";
        for (int i = 0; i < OK; i++) {
            assertEquals(200, Http.get(port, host, "/").status());
        }
        for (int i = 0; i < MISSING; i++) {
            assertEquals(404, Http.get(port, host, "/missing").status());
            assertEquals(404, Http.get(port, "no-such-app.localhost", "/missing").status());
        }
        for (int i = 0; i < FAILED; i++) {
            assertEquals(500, Http.get(port, host, "/boom").status());
        }
        String labels = "app=\"" + app + "\",process_type=\"web\"";
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String text;
        do {
            text = metrics(platform, token);
            if (sample(text, "hop3_app_requests_total{" + labels + ",status=\"5xx\"}") >= FAILED
                    && sample(text, "hop3_app_requests_total{" + labels + ",status=\"4xx\"}") >= MISSING
                    && sample(text, "hop3_app_request_duration_seconds_count{" + labels + "}") >= OK + MISSING + FAILED) {
                break;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        assertEquals(MISSING, sample(text, "hop3_app_requests_total{" + labels + ",status=\"4xx\"}"), text);
        assertEquals(FAILED, sample(text, "hop3_app_requests_total{" + labels + ",status=\"5xx\"}"), text);
        assertTrue(sample(text, "hop3_app_requests_total{" + labels + ",status=\"2xx\"}") >= OK, text);
        assertTrue(sample(text, "hop3_app_request_duration_seconds_count{" + labels + "}") >= OK + MISSING + FAILED, text);
        assertTrue(sample(text, "hop3_app_request_duration_seconds_sum{" + labels + "}") >= 0, text);
        assertTrue(text.contains("hop3_app_request_duration_seconds_bucket{" + labels + ",le=\"0.1\"}"), text);
        assertTrue(!text.contains("app=\"no-such-app\""), "an unknown host counts for no app");
    }

    private static String metrics(Distribution platform, String token) throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + platform.apiPort + "/metrics"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    /** The value of one sample line of the text format, or -1 when it is not there. */
    private static double sample(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
