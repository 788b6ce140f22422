package cloud.hop3.rest;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.metrics.AppMinute;
import cloud.hop3.api.metrics.AppSeries;
import cloud.hop3.api.metrics.MetricsService;
import cloud.hop3.api.metrics.PlatformMinute;
import cloud.hop3.api.metrics.PlatformSeries;

/**
 * The metrics: an app's minute series, the platform's, and (for the {@code /metrics} servlet)
 * every current metric in Prometheus' text format. Reading them is {@link Permission#READ}, on the
 * app or on every app's lists.
 */
final class MetricsRoutes {

    /** The span shown when {@code since} is not given. */
    static final Duration DEFAULT_SPAN = Duration.ofHours(1);

    private final Services services;

    MetricsRoutes(Services services) {
        this.services = services;
    }

    List<Route> routes() {
        return List.of(
                new Route("GET", "/apps/{app}/metrics", Permission.READ, Route.Scope.PATH_APP, this::app),
                new Route("GET", "/metrics/platform", Permission.READ, Route.Scope.PLATFORM, this::platform));
    }

    /** The route of {@code /metrics}, outside {@code /api/v1}: Prometheus' text format. */
    Route prometheus() {
        return new Route("GET", "/metrics", Permission.READ, Route.Scope.PLATFORM, call -> {
            call.onlyQuery();
            ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
            services.metricsService().writePrometheus(out);
            return Reply.ok(out.toByteArray()).header("Content-Type", MetricsService.PROMETHEUS_CONTENT_TYPE);
        });
    }

    private Object app(Call call) {
        call.onlyQuery("since");
        if (services.appService().find(call.app()).isEmpty()) {
            throw Problem.notFound("app-not-found", "App '" + call.app() + "' does not exist.");
        }
        AppSeries s = services.metricsService().app(call.app(), since(call));
        Map<String, Object> types = new LinkedHashMap<>();
        s.types().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> types.put(e.getKey(), e.getValue().stream().map(MetricsRoutes::point).toList()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("app", s.app().value());
        body.put("from", s.from().toString());
        body.put("to", s.to().toString());
        body.put("resolution", s.resolution().toString());
        body.put("processTypes", types);
        return body;
    }

    private Object platform(Call call) {
        call.onlyQuery("since");
        PlatformSeries s = services.metricsService().platform(since(call));
        List<Object> minutes = new ArrayList<>();
        for (PlatformMinute m : s.minutes()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("minute", m.minute().toString());
            p.put("heapUsedBytes", m.heapUsedBytes());
            p.put("heapMaxBytes", m.heapMaxBytes());
            p.put("threads", m.threads());
            p.put("deploys", m.deploys());
            p.put("deployFailures", m.deployFailures());
            p.put("deploySecondsMax", m.deploySecondsMax());
            p.put("certificatesFailing", m.certificatesFailing());
            p.put("backupsFailing", m.backupsFailing());
            p.put("pluginProblems", m.pluginProblems());
            minutes.add(p);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", s.from().toString());
        body.put("to", s.to().toString());
        body.put("resolution", s.resolution().toString());
        body.put("minutes", minutes);
        return body;
    }

    private static Map<String, Object> point(AppMinute m) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("minute", m.minute().toString());
        Map<String, Long> requests = new LinkedHashMap<>();
        requests.put("1xx", m.status1xx());
        requests.put("2xx", m.status2xx());
        requests.put("3xx", m.status3xx());
        requests.put("4xx", m.status4xx());
        requests.put("5xx", m.status5xx());
        p.put("requests", requests);
        p.put("requestsPerSecond", m.requests() / 60.0);
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("p50", value(m.p50()));
        latency.put("p95", value(m.p95()));
        latency.put("p99", value(m.p99()));
        p.put("latencyMs", latency);
        p.put("cpuCores", m.cpu());
        p.put("rssBytes", m.rssBytes());
        p.put("restarts", m.restarts());
        p.put("crashes", m.crashes());
        return p;
    }

    private static Double value(OptionalDouble d) {
        return d.isPresent() ? d.getAsDouble() : null;
    }

    /**
     * {@code since}: an instant ({@code 2026-12-05T10:00:00Z}) or a span back from now
     * ({@code PT6H}, {@code 90m}, {@code 6h}); at most 24 hours back, an hour when not given.
     */
    static Instant since(Call call) {
        Optional<String> v = call.query("since");
        Instant now = Instant.now();
        if (v.isEmpty()) {
            return now.minus(DEFAULT_SPAN);
        }
        String text = v.get().strip();
        Instant since;
        try {
            if (text.matches("[0-9]{1,5}[mh]")) {
                long n = Long.parseLong(text.substring(0, text.length() - 1));
                since = now.minus(text.endsWith("h") ? Duration.ofHours(n) : Duration.ofMinutes(n));
            } else if (text.startsWith("P") || text.startsWith("p")) {
                since = now.minus(Duration.parse(text));
            } else {
                since = Instant.parse(text);
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            throw Problem.badRequest("invalid-query", "'since' is an instant (2026-12-05T10:00:00Z) or a span back from"
                    + " now (90m, 6h, PT6H), not '" + Texts.shown(text) + "'.");
        }
        if (since.isAfter(now)) {
            throw Problem.badRequest("invalid-query", "'since' (" + since + ") is in the future.");
        }
        Instant oldest = now.minus(MetricsService.HISTORY);
        return since.isBefore(oldest) ? oldest : since;
    }
}
