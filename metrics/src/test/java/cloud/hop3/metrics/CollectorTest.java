package cloud.hop3.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.metrics.AppMinute;
import cloud.hop3.api.metrics.AppSeries;
import cloud.hop3.api.metrics.ProcessUsage;
import cloud.hop3.api.metrics.RequestMeter;

class CollectorTest {

    private static final AppName SHOP = AppName.of("shop");
    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

    @TempDir
    Path home;

    private final MutableClock clock = new MutableClock(T0);

    private Collector collector(boolean requests) {
        return new Collector(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), new HistoryFiles(home.resolve("metrics")),
                requests, clock);
    }

    @Test
    void aMinuteOfRequestsAndProcessesBecomesOnePointAndPrometheusText() throws IOException {
        Collector c = collector(true);
        RequestMeter web = c.meter(SHOP, "web");
        for (int i = 0; i < 90; i++) {
            web.record(200, 3_000_000L);
        }
        for (int i = 0; i < 7; i++) {
            web.record(404, 1_000_000L);
        }
        for (int i = 0; i < 3; i++) {
            web.record(503, 800_000_000L);
        }
        c.sample(List.of(new ProcessUsage("shop.web.1", SHOP, "web", 1_000_000_000L, 50L << 20, 0, 0)));
        clock.set(T0.plusSeconds(30));
        c.sample(List.of(new ProcessUsage("shop.web.1", SHOP, "web", 4_000_000_000L, 60L << 20, 1, 2)));
        clock.set(T0.plusSeconds(61));
        assertTrue(c.tick());

        AppSeries series = c.app(SHOP, T0.minusSeconds(3600));
        AppMinute m = series.types().get("web").get(0);
        assertEquals(T0, m.minute());
        assertEquals(90, m.status2xx());
        assertEquals(7, m.status4xx());
        assertEquals(3, m.status5xx());
        assertEquals(3.0, m.p50().getAsDouble(), 0.2);
        assertEquals(800.0, m.p99().getAsDouble(), 50);
        assertEquals(3.0 / 60, m.cpu(), 1e-9, "3 s of CPU in a minute is 0.05 core");
        assertEquals(60L << 20, m.rssBytes());
        assertEquals(1, m.restarts());
        assertEquals(2, m.crashes());

        String text = prometheus(c);
        assertTrue(text.contains("hop3_app_requests_total{app=\"shop\",process_type=\"web\",status=\"2xx\"} 90"), text);
        assertTrue(text.contains("hop3_app_requests_total{app=\"shop\",process_type=\"web\",status=\"5xx\"} 3"), text);
        assertTrue(text.contains("hop3_app_request_duration_seconds_count{app=\"shop\",process_type=\"web\"} 100"), text);
        // the latency histogram's buckets are cumulative: 97 within 5 ms, all 100 within 1 s
        assertTrue(text.contains("hop3_app_request_duration_seconds_bucket{app=\"shop\",process_type=\"web\",le=\"0.005\"} 97"), text);
        assertTrue(text.contains("hop3_app_request_duration_seconds_bucket{app=\"shop\",process_type=\"web\",le=\"0.5\"} 97"), text);
        assertTrue(text.contains("hop3_app_request_duration_seconds_bucket{app=\"shop\",process_type=\"web\",le=\"1.0\"} 100"), text);
        assertTrue(text.contains("# TYPE hop3_app_request_duration_seconds histogram"), text);
        assertTrue(text.contains("hop3_app_memory_rss_bytes{app=\"shop\",process_type=\"web\"} 6.291456E7"), text);
        assertTrue(text.contains("hop3_app_latency_last_minute_seconds{app=\"shop\",percentile=\"99\",process_type=\"web\"}"), text);
        assertTrue(text.contains("jvm_memory_used_bytes") || text.contains("hop3_deploy_duration_seconds"), text);
    }

    @Test
    void promtoolFindsNoProblemInTheExposition() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/promtool")),
                "promtool (Debian's prometheus package) is not installed");
        Collector c = collector(true);
        MetricsComponent.bindJvm(c.registry());
        c.meter(SHOP, "web").record(200, 1_000_000L);
        c.sample(List.of(new ProcessUsage("shop.web.1", SHOP, "web", 1, 1, 0, 0)));
        c.platformMeters().deployed(true, java.time.Duration.ofSeconds(3));
        Path file = home.resolve("metrics.txt");
        Files.writeString(file, prometheus(c));
        Process p = new ProcessBuilder("sh", "-c", "promtool check metrics < " + file).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }

    @Test
    void theNextMinuteCountsAfreshAndTheOpenMinuteIsShownSoFar() {
        Collector c = collector(true);
        RequestMeter web = c.meter(SHOP, "web");
        web.record(200, 1_000_000L);
        clock.set(T0.plusSeconds(60));
        c.tick();
        web.record(302, 1_000_000L);
        web.record(302, 1_000_000L);
        List<AppMinute> minutes = c.app(SHOP, T0).types().get("web");
        assertEquals(2, minutes.size());
        assertEquals(1, minutes.get(0).status2xx());
        assertEquals(0, minutes.get(1).status2xx());
        assertEquals(2, minutes.get(1).status3xx());
    }

    @Test
    void theSeriesSurviveARestartAndAMinuteCutByItAddsUp() {
        Collector before = collector(true);
        RequestMeter web = before.meter(SHOP, "web");
        web.record(200, 1_000_000L);
        clock.set(T0.plusSeconds(60));
        before.tick();
        web.record(500, 1_000_000L);
        clock.set(T0.plusSeconds(70));
        before.closeOpenMinute();
        before.save();

        Collector after = collector(true);
        after.load();
        after.meter(SHOP, "web").record(500, 1_000_000L);
        clock.set(T0.plusSeconds(120));
        after.tick();
        List<AppMinute> minutes = after.app(SHOP, T0).types().get("web");
        assertEquals(2, minutes.size(), minutes.toString());
        assertEquals(1, minutes.get(0).status2xx());
        assertEquals(2, minutes.get(1).status5xx(), "the minute the restart cut holds both parts");
    }

    @Test
    void aDamagedFileIsSetAsideAndChangesNothing() throws IOException {
        Collector before = collector(true);
        before.meter(SHOP, "web").record(200, 1_000_000L);
        clock.set(T0.plusSeconds(60));
        before.tick();
        before.save();
        Path file = home.resolve("metrics/apps/shop.bin");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 5));

        Collector after = collector(true);
        after.load();
        assertTrue(after.app(SHOP, T0).types().isEmpty());
        assertTrue(Files.exists(home.resolve("metrics/apps/shop.bin.bad")));
    }

    @Test
    void aDestroyedAppLosesItsSeriesItsMetersAndItsFile() throws IOException {
        Collector c = collector(true);
        c.meter(SHOP, "web").record(200, 1_000_000L);
        clock.set(T0.plusSeconds(60));
        c.tick();
        c.save();
        c.remove(SHOP);
        assertTrue(c.app(SHOP, T0).types().isEmpty());
        assertFalse(Files.exists(home.resolve("metrics/apps/shop.bin")));
        assertFalse(prometheus(c).contains("app=\"shop\""));
    }

    @Test
    void withRequestsOffTheProxyGetsAMeterThatCountsNothing() {
        Collector c = collector(false);
        assertEquals(RequestMeter.NONE, c.meter(SHOP, "web"));
    }

    @Test
    void aSinceInTheFutureIsRefused() {
        Collector c = collector(true);
        assertThrows(IllegalArgumentException.class, () -> c.app(SHOP, T0.plusSeconds(3600)));
    }

    @Test
    void olderThanADayIsNotKept() {
        Collector c = collector(true);
        RequestMeter web = c.meter(SHOP, "web");
        web.record(200, 1_000_000L);
        clock.set(T0.plusSeconds(60));
        c.tick();
        clock.set(T0.plusSeconds(60 + 24 * 3600));
        c.tick();
        web.record(200, 1_000_000L);
        List<AppMinute> minutes = c.app(SHOP, T0).types().get("web");
        assertEquals(1, minutes.size(), "only the open minute: the first is older than a day");
        assertEquals(T0.plusSeconds(60 + 24 * 3600), minutes.get(0).minute());
    }

    private static String prometheus(Collector c) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        c.writePrometheus(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant t) {
            now = t;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
