package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cloud.hop3.itests.Command.Result;

/**
 * The platform's metrics, driven from outside: an app pushed with git answers 200, 404 and 500
 * through the built-in proxy; {@code /metrics} passes Prometheus' own checker (promtool) and
 * shows its requests by status class and their latency; the JSON series of the REST API show the
 * same counts, and its process's memory; after {@code bin/hop3 restart} the series still hold
 * them. A viewer's token reads; no token is refused with 401, a user without a role with 403.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String APP = "mshop";
    private static final int OK = 40;
    private static final int MISSING = 10;
    private static final int FAILED = 5;

    private static Distribution platform;
    private static String admin;
    private static String viewer;
    private static String nobody;

    @BeforeAll
    static void start() throws Exception {
        platform = new Distribution();
        platform.removesAccounts(List.of("hop3-" + APP));
        platform.hop3Ok("start");
        String created = platform.hop3Ok("token", "create", "admin");
        admin = created.lines().filter(l -> l.startsWith("hop3_")).findFirst().orElseThrow(() -> new AssertionError(created));
        ProxyMetrics.push(platform, APP);
        call("POST", "/api/v1/users", admin, "{\"name\": \"vic\"}", 201);
        call("POST", "/api/v1/users/vic/grants", admin, "{\"role\": \"viewer\"}", 200);
        viewer = JSON.readTree(call("POST", "/api/v1/tokens", admin, "{\"user\": \"vic\"}", 201)).get("secret").asText();
        call("POST", "/api/v1/users", admin, "{\"name\": \"nobody\"}", 201);
        nobody = JSON.readTree(call("POST", "/api/v1/tokens", admin, "{\"user\": \"nobody\"}", 201)).get("secret").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    private static String call(String method, String path, String token, String body, int status) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + platform.apiPort + path))
                .timeout(Duration.ofMinutes(1))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(status, r.statusCode(), method + " " + path + ": " + r.body());
        return r.body();
    }

    @Test
    @Order(1)
    void metricsShowTheRequestsByStatusClassAndPassPromtool() throws Exception {
        for (int i = 0; i < OK; i++) {
            assertEquals(200, Http.get(platform.httpPort, APP + ".localhost", "/").status());
        }
        for (int i = 0; i < MISSING; i++) {
            assertEquals(404, Http.get(platform.httpPort, APP + ".localhost", "/missing").status());
        }
        for (int i = 0; i < FAILED; i++) {
            assertEquals(500, Http.get(platform.httpPort, APP + ".localhost", "/boom").status());
        }
        String text = call("GET", "/metrics", viewer, null, 200);
        Path file = platform.work.resolve("metrics.txt");
        Files.writeString(file, text);
        Result check = Command.run(platform.work, Map.of(), Duration.ofMinutes(1), "sh", "-c", "promtool check metrics < " + file);
        assertEquals(0, check.exit(), "promtool check metrics: " + check.output());

        String labels = "app=\"" + APP + "\",process_type=\"web\"";
        assertEquals(MISSING, sample(text, "hop3_app_requests_total{" + labels + ",status=\"4xx\"}"), text);
        assertEquals(FAILED, sample(text, "hop3_app_requests_total{" + labels + ",status=\"5xx\"}"), text);
        assertTrue(sample(text, "hop3_app_requests_total{" + labels + ",status=\"2xx\"}") >= OK, text);
        assertTrue(sample(text, "hop3_app_request_duration_seconds_count{" + labels + "}") >= OK + MISSING + FAILED, text);
        assertTrue(sample(text, "hop3_app_request_duration_seconds_sum{" + labels + "}") > 0, text);
        assertTrue(text.contains("hop3_app_request_duration_seconds_bucket{" + labels + ",le=\"0.1\"}"), text);
        assertTrue(text.contains("jvm_memory_used_bytes"), text);
        assertTrue(text.contains("hop3_plugin_problems"), text);
    }

    @Test
    @Order(2)
    void theJsonSeriesShowTheSameCountsAndTheProcessMemory() throws Exception {
        Duration wait = Duration.ofSeconds(40);
        long end = System.nanoTime() + wait.toNanos();
        JsonNode web;
        do {
            web = JSON.readTree(call("GET", "/api/v1/apps/" + APP + "/metrics?since=1h", viewer, null, 200)).at("/processTypes/web");
            if (max(web, "rssBytes") > 0) {
                break;
            }
            Thread.sleep(1000);
        } while (System.nanoTime() < end);
        assertTrue(max(web, "rssBytes") > 1 << 20, "the web process's memory was sampled: " + web);
        assertSeries(web);
        JsonNode platformSeries = JSON.readTree(call("GET", "/api/v1/metrics/platform?since=PT10M", viewer, null, 200));
        assertTrue(platformSeries.at("/minutes/0/heapUsedBytes").asLong() > 0, platformSeries.toString());
    }

    @Test
    @Order(3)
    void aViewerReadsAndNoTokenOrNoRoleIsRefused() throws Exception {
        call("GET", "/metrics", null, null, 401);
        call("GET", "/metrics", nobody, null, 403);
        call("GET", "/metrics", "hop3_not-a-token", null, 401);
        call("GET", "/api/v1/apps/" + APP + "/metrics", null, null, 401);
        call("GET", "/api/v1/apps/" + APP + "/metrics", nobody, null, 403);
        call("GET", "/api/v1/metrics/platform", nobody, null, 403);
        call("GET", "/api/v1/apps/" + APP + "/metrics?since=tomorrow", viewer, null, 400);
        call("GET", "/api/v1/apps/nosuchapp/metrics", viewer, null, 404);
    }

    @Test
    @Order(4)
    void theSeriesSurviveARestartOfThePlatform() throws Exception {
        platform.hop3Ok("restart");
        String path = "/api/v1/apps/" + APP + "/metrics?since=1h";
        // the API's servlet registers a moment after bin/hop3 restart returns
        long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (status(path, viewer) != 200 && System.nanoTime() < end) {
            Thread.sleep(500);
        }
        JsonNode web = JSON.readTree(call("GET", path, viewer, null, 200)).at("/processTypes/web");
        assertSeries(web);
        assertTrue(Files.exists(platform.home.resolve("metrics/apps/" + APP + ".bin")));
    }

    private static int status(String path, String token) throws Exception {
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + platform.apiPort + path))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static void assertSeries(JsonNode web) {
        assertEquals(MISSING, sum(web, "4xx"), web.toString());
        assertEquals(FAILED, sum(web, "5xx"), web.toString());
        assertTrue(sum(web, "2xx") >= OK, web.toString());
        boolean latency = false;
        for (JsonNode m : web) {
            latency |= m.at("/latencyMs/p50").isNumber() && m.at("/latencyMs/p99").asDouble() >= m.at("/latencyMs/p50").asDouble();
        }
        assertTrue(latency, "a minute has its latency percentiles: " + web);
    }

    private static long sum(JsonNode minutes, String statusClass) {
        long n = 0;
        for (JsonNode m : minutes) {
            n += m.at("/requests/" + statusClass).asLong();
        }
        return n;
    }

    private static long max(JsonNode minutes, String field) {
        long n = 0;
        for (JsonNode m : minutes) {
            n = Math.max(n, m.path(field).asLong());
        }
        return n;
    }

    /** The value of one sample line of the text format, or -1 when it is not there. */
    private static double sample(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
