package cloud.hop3.proxy.caddy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.osgi.service.component.ComponentConstants;

import cloud.hop3.api.proxy.ProxyException;
import cloud.hop3.api.proxy.RouteTable;
import cloud.hop3.api.proxy.Upstream;
import cloud.hop3.plugin.testkit.OneShotHttp;
import cloud.hop3.plugin.testkit.ProxyFixtures;
import cloud.hop3.plugin.testkit.RecordingRequestMetrics;

/** The Caddy proxy with the real caddy, on free ports: routing, forwarding, statics, errors, lifecycle. */
class CaddyProxyTest extends CaddyProxyTestCase {

    private int port() {
        return settings.httpPort();
    }

    @Test
    void bindsNoPortBeforeTheFirstApply() {
        assertThrows(ConnectException.class, () -> new Socket().connect(new InetSocketAddress("127.0.0.1", port()), 2000));
        assertFalse(Files.exists(settings.directory().resolve(CaddyFiles.ADMIN_SOCKET)));
    }

    @Test
    void routesByHostAndAnswers404ToUnknownHosts() throws Exception {
        proxy.apply(new RouteTable(1, List.of(CaddyFixture.route("shop", List.of(a.upstream())),
                CaddyFixture.route("blog", List.of(b.upstream())))));

        assertEquals("hello from a", OneShotHttp.get(port(), "shop.test", "/").body());
        assertEquals("hello from b", OneShotHttp.get(port(), "blog.test", "/").body());
        assertEquals("hello from a", OneShotHttp.get(port(), "SHOP.test:" + port(), "/").body());
        OneShotHttp.Response unknown = OneShotHttp.get(port(), "nothing.test", "/");
        assertEquals(404, unknown.status());
        assertTrue(unknown.body().contains("There is nothing at this address."), unknown.body());
        assertFalse(unknown.body().toLowerCase().contains("caddy"), unknown.body());
        assertEquals(1, proxy.serving().generation());
        assertTrue(Files.readString(settings.directory().resolve(CaddyFiles.CONFIG)).contains("shop.test"));
    }

    @Test
    void countsTheRequestsOfEachAppFromCaddysRequestLogWhichHoldsNoUriNorHeader() throws Exception {
        RecordingRequestMetrics metrics = new RecordingRequestMetrics();
        proxy.setRequestMetrics(metrics);
        Upstream nothing = new Upstream("127.0.0.1", ProxyFixtures.freePort());
        proxy.apply(new RouteTable(1, List.of(CaddyFixture.route("shop", List.of(a.upstream())),
                CaddyFixture.route("gone", List.of(nothing)))));

        assertEquals(200, OneShotHttp.get(port(), "shop.test", "/?token=secret").status());
        assertEquals(200, OneShotHttp.get(port(), "SHOP.test:" + port(), "/").status());
        assertEquals(502, OneShotHttp.get(port(), "gone.test", "/").status());
        assertEquals(404, OneShotHttp.get(port(), "nothing.test", "/").status());

        assertEquals(List.of("gone web 502", "shop web 200", "shop web 200"), metrics.await(3));
        assertTrue(metrics.nanos().stream().allMatch(n -> n > 0 && n < 10_000_000_000L), metrics.nanos().toString());
        Path log = settings.directory().resolve(CaddyFiles.REQUESTS);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(log)));
        String logged = Files.readString(log);
        assertFalse(logged.contains("secret") || logged.contains("127.0.0.1") || logged.contains("User-Agent"), logged);
        assertFalse(Files.readString(settings.directory().resolve(CaddyFiles.LOG)).contains("handled request"),
                "the requests are not in Caddy's own log");

        proxy.unsetRequestMetrics(metrics);
        assertEquals(200, OneShotHttp.get(port(), "shop.test", "/").status());
        assertEquals(3, metrics.settled().size(), "no metrics service: nothing counted");
    }

    @Test
    void spreadsRequestsOverTheUpstreamsAndSetsForwardingHeaders() throws Exception {
        proxy.apply(new RouteTable(1, List.of(CaddyFixture.route("shop", List.of(a.upstream(), b.upstream())))));

        for (int i = 0; i < 6; i++) {
            assertEquals(200, OneShotHttp.get(port(), "shop.test", "/").status());
        }
        assertEquals(3, a.requests.get());
        assertEquals(3, b.requests.get());
        String headers = OneShotHttp.get(port(), "shop.test", "/headers").body();
        assertTrue(headers.contains("x-forwarded-for: 127.0.0.1\n"), headers);
        assertTrue(headers.contains("x-forwarded-proto: http\n"), headers);
        assertTrue(headers.contains("x-forwarded-host: shop.test\n"), headers);
        assertTrue(headers.contains("x-forwarded-port: " + port() + "\n"), headers);
    }

    @Test
    void servesStaticFilesAndSendsTheRestToTheApp() throws Exception {
        Path site = Files.createDirectories(temp.resolve("site"));
        Files.writeString(site.resolve("style.css"), "body {}");
        Files.writeString(Files.createDirectories(site.resolve(".git")).resolve("config"), "secret");
        Files.writeString(Files.createDirectories(site.resolve(".well-known")).resolve("token"), "proof");
        Files.writeString(Files.createDirectories(site.resolve("docs")).resolve("index.html"), "docs index");
        proxy.apply(new RouteTable(1, List.of(CaddyFixture.route("shop", List.of(a.upstream()), Map.of("/static", site)),
                CaddyFixture.route("site", List.of(), Map.of("/", site)))));

        assertEquals("body {}", OneShotHttp.get(port(), "shop.test", "/static/style.css").body());
        assertEquals("docs index", OneShotHttp.get(port(), "shop.test", "/static/docs/").body());
        OneShotHttp.Response directory = OneShotHttp.get(port(), "shop.test", "/static/docs");
        assertTrue(directory.status() == 301 || directory.status() == 308, "status " + directory.status());
        assertEquals("/static/docs/", directory.header("Location"));
        assertEquals("proof", OneShotHttp.get(port(), "shop.test", "/static/.well-known/token").body());
        assertEquals(0, a.requests.get(), "files are served without the app");
        assertEquals("hello from a", OneShotHttp.get(port(), "shop.test", "/static/.git/config").body());
        assertEquals("hello from a", OneShotHttp.get(port(), "shop.test", "/static/missing.css").body());
        assertEquals("hello from a", OneShotHttp.send(port(), "POST", "shop.test", "/static/style.css", Map.of(), null).body());
        assertEquals("hello from a", OneShotHttp.get(port(), "shop.test", "/staticx").body());

        assertEquals("body {}", OneShotHttp.get(port(), "site.test", "/style.css").body());
        assertEquals("docs index", OneShotHttp.get(port(), "site.test", "/docs/").body());
        assertEquals(404, OneShotHttp.get(port(), "site.test", "/.git/config").status());
        assertEquals(404, OneShotHttp.get(port(), "site.test", "/%2egit/config").status());
        assertEquals(404, OneShotHttp.get(port(), "site.test", "/missing.css").status());
        OneShotHttp.Response post = OneShotHttp.send(port(), "POST", "site.test", "/style.css", Map.of(), null);
        assertEquals(405, post.status());
        assertEquals("GET, HEAD", post.header("Allow"));
    }

    @Test
    void aRefusedConfigurationLeavesThePreviousOneServing() throws Exception {
        RouteTable good = new RouteTable(1, List.of(CaddyFixture.route("shop", List.of(a.upstream()))));
        proxy.apply(good);
        var missing = new cloud.hop3.api.proxy.TlsCertificate(temp.resolve("none.crt"), temp.resolve("none.key"));
        RouteTable bad = new RouteTable(2, List.of(new cloud.hop3.api.proxy.Route(
                cloud.hop3.api.app.AppName.of("shop"), List.of(cloud.hop3.api.app.HostName.of("shop.test")), List.of(b.upstream()), Map.of(),
                java.util.Optional.of(missing), false)));

        ProxyException refused = assertThrows(ProxyException.class, () -> proxy.apply(bad));

        assertTrue(refused.getMessage().contains("none.crt"), refused.getMessage());
        assertTrue(refused.getMessage().contains("no such file"), refused.getMessage());
        assertEquals(good, proxy.serving());
        assertEquals("hello from a", OneShotHttp.get(port(), "shop.test", "/").body());
        assertTrue(Files.readString(settings.directory().resolve(CaddyFiles.REJECTED)).contains("none.crt"));
        assertFalse(Files.readString(settings.directory().resolve(CaddyFiles.CONFIG)).contains("none.crt"));
    }

    @Test
    void drainWaitsForTheRequestsInFlightToTheOldUpstreams() throws Exception {
        proxy.apply(new RouteTable(1, List.of(CaddyFixture.route("shop", List.of(a.upstream())))));
        var slow = OneShotHttp.getInBackground(port(), "shop.test", "/slow");
        a.awaitSlowRequest();

        long before = System.nanoTime();
        proxy.apply(new RouteTable(2, List.of(CaddyFixture.route("shop", List.of(b.upstream())))));
        long applyMillis = (System.nanoTime() - before) / 1_000_000;

        assertEquals("hello from b", OneShotHttp.get(port(), "shop.test", "/").body());
        assertFalse(proxy.drain(List.of(a.upstream()), java.time.Duration.ofMillis(300)));
        a.release();
        assertTrue(proxy.drain(List.of(a.upstream()), java.time.Duration.ofSeconds(10)));
        OneShotHttp.Response finished = slow.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals("slow from a", finished.body());
        assertTrue(applyMillis < 5000, "the reload waited " + applyMillis + " ms for the old request");
    }

    @Test
    void restartsCaddyWhenItDiesAndStopsItOnDeactivate() throws Exception {
        proxy.apply(new RouteTable(1, List.of(CaddyFixture.route("shop", List.of(a.upstream())))));
        long first = proxy.server().pid().orElseThrow();
        ProcessHandle killed = ProcessHandle.of(first).orElseThrow();
        killed.destroyForcibly();
        killed.onExit().get();

        long deadline = System.nanoTime() + 15_000_000_000L;
        String body = null;
        while (System.nanoTime() < deadline) {
            try {
                body = OneShotHttp.get(port(), "shop.test", "/").body();
                break;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        assertEquals("hello from a", body);
        // the new caddy may answer a moment before the supervisor records it
        Optional<Long> restarted = proxy.server().pid();
        while (restarted.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            restarted = proxy.server().pid();
        }
        long second = restarted.orElseThrow(() -> new AssertionError("no caddy is supervised after the restart"));
        assertNotEquals(first, second);

        proxy.deactivate();
        assertFalse(ProcessHandle.of(second).map(ProcessHandle::isAlive).orElse(false));
        assertThrows(ConnectException.class, () -> new Socket().connect(new InetSocketAddress("127.0.0.1", port()), 2000));
    }

    @Test
    void aReplacedInstanceLeavesCaddyServingAndItsReplacementTakesItOver() throws Exception {
        proxy.apply(new RouteTable(1, List.of(CaddyFixture.route("shop", List.of(a.upstream())))));
        long first = proxy.server().pid().orElseThrow();

        // SCR replaces the component whose configuration changed: this instance goes, a new one comes
        proxy.deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_MODIFIED);
        assertEquals("hello from a", OneShotHttp.get(port(), "shop.test", "/").body(), "caddy keeps serving meanwhile");
        CaddyProxy next = new CaddyProxy(settings);
        try {
            next.apply(new RouteTable(2, List.of(CaddyFixture.route("shop", List.of(b.upstream())))));

            assertEquals(Optional.of(first), next.server().pid(), "the same caddy, with the new configuration");
            assertEquals("hello from b", OneShotHttp.get(port(), "shop.test", "/").body());
        } finally {
            next.deactivate();
        }
        assertFalse(ProcessHandle.of(first).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void aPortInUseIsReportedAndTheNextApplyStartsCaddy() throws Exception {
        RouteTable table = new RouteTable(1, List.of(CaddyFixture.route("shop", List.of(a.upstream()))));
        try (java.net.ServerSocket taken = new java.net.ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", port()));
            ProxyException refused = assertThrows(ProxyException.class, () -> proxy.apply(table));
            assertTrue(refused.getMessage().contains("Caddy could not start"), refused.getMessage());
            assertTrue(refused.getMessage().contains("address already in use"), refused.getMessage());
        }
        proxy.apply(table);
        assertEquals("hello from a", OneShotHttp.get(port(), "shop.test", "/").body());
    }

    @Test
    void tunnelsWebSocketUpgrades() throws Exception {
        try (java.net.ServerSocket echo = new java.net.ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (Socket upstream = echo.accept()) {
                    var in = upstream.getInputStream();
                    StringBuilder head = new StringBuilder();
                    while (!head.toString().endsWith("\r\n\r\n")) {
                        head.append((char) in.read());
                    }
                    var out = upstream.getOutputStream();
                    out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                    out.flush();
                    byte[] buffer = new byte[4];
                    int read = in.readNBytes(buffer, 0, 4);
                    out.write(buffer, 0, read);
                    out.flush();
                } catch (IOException e) {
                    // the test fails on its side
                }
            });
            server.start();
            proxy.apply(new RouteTable(1, List.of(CaddyFixture.route("chat",
                    List.of(new cloud.hop3.api.proxy.Upstream("127.0.0.1", echo.getLocalPort()))))));

            try (Socket client = new Socket("127.0.0.1", port())) {
                client.setSoTimeout(10_000);
                client.getOutputStream().write(("GET /socket HTTP/1.1\r\nHost: chat.test\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                var in = client.getInputStream();
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) {
                    head.append((char) in.read());
                }
                assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
                client.getOutputStream().write("ping".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                assertEquals("ping", new String(in.readNBytes(4), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            server.join(10_000);
        }
    }
}
