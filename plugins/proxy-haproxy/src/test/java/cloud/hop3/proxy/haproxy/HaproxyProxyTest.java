package cloud.hop3.proxy.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.component.ComponentConstants;

import cloud.hop3.api.proxy.ProxyException;
import cloud.hop3.api.proxy.Route;
import cloud.hop3.api.proxy.RouteTable;
import cloud.hop3.api.proxy.TlsCertificate;
import cloud.hop3.api.proxy.Upstream;
import cloud.hop3.plugin.testkit.RecordingRequestMetrics;
import cloud.hop3.plugin.testkit.TestUpstream;
import cloud.hop3.plugin.testkit.OneShotHttp;
import cloud.hop3.plugin.testkit.RequestLoad;
import cloud.hop3.plugin.testkit.ProxyFixtures;

/** The plugin driving the machine's real HAProxy, on free ports, in front of JDK HTTP servers. */
class HaproxyProxyTest {

    @TempDir
    Path dir;
    private TestUpstream a;
    private TestUpstream b;
    private HaproxySettings settings;
    private HaproxyProxy proxy;

    @BeforeEach
    void start() throws IOException {
        a = new TestUpstream("a");
        b = new TestUpstream("b");
        settings = Fixture.settings(dir.resolve("haproxy"));
        proxy = new HaproxyProxy(settings);
    }

    @AfterEach
    void stop() {
        proxy.deactivate();
        a.close();
        b.close();
    }

    private RouteTable table(long generation, Route... routes) {
        return new RouteTable(generation, List.of(routes));
    }

    @Test
    void bindsNothingBeforeTheFirstApply() {
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", settings.httpPort()).close());
        assertEquals(-1, proxy.staticPort());
        assertFalse(Files.exists(settings.configFile()));
    }

    @Test
    void countsTheRequestsOfEachAppFromThePipeHaproxyLogsThemTo() throws Exception {
        RecordingRequestMetrics metrics = new RecordingRequestMetrics();
        proxy.setRequestMetrics(metrics);
        proxy.apply(table(1, Fixture.route("shop", List.of("shop.test", "www.shop.test"), List.of(a.upstream())),
                Fixture.route("gone", List.of("gone.test"), List.of(new Upstream("127.0.0.1", Fixture.freePort())))));

        assertEquals(200, OneShotHttp.get(settings.httpPort(), "shop.test", "/").status());
        assertEquals(200, OneShotHttp.get(settings.httpPort(), "WWW.shop.test:1234", "/").status());
        int failed = OneShotHttp.get(settings.httpPort(), "gone.test", "/").status();
        assertTrue(failed >= 500, "a dead upstream: " + failed);
        assertEquals(404, OneShotHttp.get(settings.httpPort(), "other.test", "/").status());

        assertEquals(List.of("gone web " + failed, "shop web 200", "shop web 200"), metrics.await(3));
        Path pipe = settings.requestLog();
        assertFalse(Files.isRegularFile(pipe), "a named pipe, nothing kept on disk");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pipe)));

        // a reload keeps the pipe as the workers' output
        proxy.apply(table(2, Fixture.route("shop", List.of("shop.test"), List.of(a.upstream()))));
        assertEquals(200, OneShotHttp.get(settings.httpPort(), "shop.test", "/").status());
        assertEquals(4, metrics.await(4).size(), metrics.requests().toString());
    }

    @Test
    void routesByHostAndAnswersUnknownHostsWith404() throws Exception {
        proxy.apply(table(1, Fixture.route("shop", List.of("shop.test"), List.of(a.upstream())),
                Fixture.route("blog", List.of("blog.test"), List.of(b.upstream()))));

        assertEquals("hello from a", OneShotHttp.get(settings.httpPort(), "SHOP.test:1234", "/").body());
        assertEquals("hello from a", OneShotHttp.get(settings.httpPort(), "shop.test.", "/").body());
        assertEquals("hello from b", OneShotHttp.get(settings.httpPort(), "blog.test", "/x").body());
        OneShotHttp.Response unknown = OneShotHttp.get(settings.httpPort(), "other.test", "/");
        assertEquals(404, unknown.status());
        assertTrue(unknown.body().contains("There is nothing at this address."));
        assertFalse(unknown.body().toLowerCase(Locale.ROOT).contains("haproxy"));
        assertEquals(404, OneShotHttp.get(settings.httpPort(), null, "/").status());
        assertEquals(1, proxy.serving().generation());
    }

    @Test
    void spreadsRequestsOverTheUpstreams() throws Exception {
        proxy.apply(table(1, Fixture.route("shop", List.of("shop.test"), List.of(a.upstream(), b.upstream()))));
        for (int i = 0; i < 6; i++) {
            assertEquals(200, OneShotHttp.get(settings.httpPort(), "shop.test", "/").status());
        }
        assertEquals(3, a.requests.get());
        assertEquals(3, b.requests.get());
    }

    @Test
    void tellsTheAppWhoAsked() throws Exception {
        proxy.apply(table(1, Fixture.route("shop", List.of("shop.test"), List.of(a.upstream()))));
        String headers = OneShotHttp.get(settings.httpPort(), "shop.test:" + settings.httpPort(), "/headers").body();
        assertTrue(headers.contains("x-forwarded-for: 127.0.0.1\n"), headers);
        assertTrue(headers.contains("x-forwarded-proto: http\n"), headers);
        assertTrue(headers.contains("x-forwarded-host: shop.test:" + settings.httpPort() + "\n"), headers);
    }

    @Test
    void servesStaticFilesSafely() throws Exception {
        Path site = ProxyFixtures.staticSite(dir);
        proxy.apply(table(1,
                Fixture.withStatics(Fixture.route("shop", List.of("shop.test"), List.of(a.upstream())),
                        Map.of("/static", site)),
                Fixture.route("blog", List.of("blog.test"), List.of(b.upstream()))));
        int port = settings.httpPort();

        OneShotHttp.Response css = OneShotHttp.get(port, "shop.test", "/static/app.css");
        assertEquals(200, css.status());
        assertEquals("body{}", css.body());
        assertEquals("text/css; charset=utf-8", css.header("content-type"));
        assertEquals("proof", OneShotHttp.get(port, "shop.test", "/static/.well-known/token").body());
        assertEquals("<p>docs</p>", OneShotHttp.get(port, "shop.test", "/static/docs/").body());
        assertEquals("/static/docs/", OneShotHttp.get(port, "shop.test", "/static/docs").header("location"));
        assertEquals(404, OneShotHttp.get(port, "shop.test", "/static/.env").status());
        assertEquals(404, OneShotHttp.get(port, "shop.test", "/static/missing.css").status());
        assertTrue(OneShotHttp.get(port, "shop.test", "/static/../secret.txt").status() >= 400);
        assertEquals(400, OneShotHttp.get(port, "shop.test", "/static/%2e%2e/secret.txt").status());
        assertEquals(405, OneShotHttp.send(port, "POST", "shop.test", "/static/app.css", Map.of("Content-Length", "0"), null).status());
        assertEquals("hello from a", OneShotHttp.get(port, "shop.test", "/staticky").body());
        assertEquals(0, a.requests.get() - 1, "only /staticky reached the app");
        // another app's client cannot borrow shop's files by naming it
        assertEquals("hello from b", OneShotHttp.send(port, "GET", "blog.test", "/static/app.css",
                Map.of(HaproxyConfigWriter.STATIC_HEADER, "shop"), null).body());
        proxy.apply(table(2, Fixture.withStatics(Fixture.route("files", List.of("files.test"), List.of()),
                Map.of("/static", site))));
        assertEquals("body{}", OneShotHttp.get(port, "files.test", "/static/app.css").body());
        OneShotHttp.Response outside = OneShotHttp.get(port, "files.test", "/elsewhere");
        assertEquals(404, outside.status(), "an app of files only has nothing outside its statics");
        assertTrue(outside.body().contains("There is nothing at this address."));
    }

    @Test
    void anAcmeChallengeIsServedOverPlainHttpWhereOtherRequestsAreRedirected() throws Exception {
        proxy.apply(table(1, Fixture.withTls(Fixture.route("secure", List.of("secure.test"), List.of(a.upstream())),
                certificate("secure.test"), true)));

        OneShotHttp.Response challenge = OneShotHttp.get(settings.httpPort(), "secure.test", "/.well-known/acme-challenge/tok_en-1");
        assertEquals(200, challenge.status());
        assertEquals("hello from a", challenge.body());
        assertEquals(301, OneShotHttp.get(settings.httpPort(), "secure.test", "/.well-known/other").status());
        assertEquals(301, OneShotHttp.get(settings.httpPort(), "secure.test", "/x/.well-known/acme-challenge/t").status());
    }

    @Test
    void retireStopsListeningAfterAnsweringTheRequestInFlightAndTheNextApplyStartsAgain() throws Exception {
        RouteTable table = table(1, Fixture.route("shop", List.of("shop.test"), List.of(a.upstream())));
        proxy.apply(table);
        long master = proxy.server().masterPid().orElseThrow();
        var inFlight = OneShotHttp.getInBackground(settings.httpPort(), "shop.test", "/sleep");
        while (a.requests.get() == 0) {
            Thread.sleep(10);
        }

        proxy.retire();

        assertFalse(ProcessHandle.of(master).map(ProcessHandle::isAlive).orElse(false));
        assertEquals(RouteTable.empty(), proxy.serving());
        assertEquals("hello from a", inFlight.get().body());
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", settings.httpPort()).close());
        proxy.apply(table);
        assertEquals("hello from a", OneShotHttp.get(settings.httpPort(), "shop.test", "/").body());
    }

    @Test
    void aSecondProxyListensOnTheSamePortsAndServesAloneOnceTheFirstRetires() throws Exception {
        RouteTable table = table(1, Fixture.withTls(Fixture.route("shop", List.of("shop.test"), List.of(a.upstream())),
                certificate("shop.test"), false));
        proxy.apply(table);
        HaproxySettings same = new HaproxySettings("haproxy", dir.resolve("haproxy-next"), "127.0.0.1", settings.httpPort(),
                settings.httpsPort(), 0, Duration.ofSeconds(5), Duration.ofSeconds(30), 1024 * 1024, Duration.ofSeconds(20));
        HaproxyProxy next = new HaproxyProxy(same);
        try {
            next.apply(table);
            assertTrue(next.server().running(), "the second HAProxy could bind the same ports");

            proxy.retire();

            for (int i = 0; i < 20; i++) {
                assertEquals("hello from a", OneShotHttp.get(settings.httpPort(), "shop.test", "/").body());
                assertEquals("hello from a", OneShotHttp.getTls(settings.httpsPort(), "shop.test", "/").body());
            }
        } finally {
            next.deactivate();
        }
    }

    @Test
    void servesHttpsBySniAndRedirectsPlainHttp() throws Exception {
        TlsCertificate secure = certificate("secure.test");
        TlsCertificate other = certificate("other.test");
        proxy.apply(table(1,
                Fixture.withTls(Fixture.route("secure", List.of("secure.test"), List.of(a.upstream())), secure, true),
                Fixture.withTls(Fixture.route("other", List.of("other.test"), List.of(b.upstream())), other, false),
                Fixture.route("plain", List.of("plain.test"), List.of(b.upstream()))));

        OneShotHttp.Response https = OneShotHttp.getTls(settings.httpsPort(), "secure.test", "/headers");
        assertEquals(200, https.status());
        assertEquals("CN=secure.test", https.peerSubject());
        assertTrue(https.body().contains("x-forwarded-proto: https\n"), https.body());
        OneShotHttp.Response second = OneShotHttp.getTls(settings.httpsPort(), "other.test", "/");
        assertEquals("CN=other.test", second.peerSubject());
        assertEquals("hello from b", second.body());

        OneShotHttp.Response redirect = OneShotHttp.get(settings.httpPort(), "secure.test:" + settings.httpPort(), "/a/b?c=1");
        assertEquals(301, redirect.status());
        assertEquals("https://secure.test:" + settings.httpsPort() + "/a/b?c=1", redirect.header("location"));
        assertEquals("hello from b", OneShotHttp.get(settings.httpPort(), "other.test", "/").body(), "no redirect asked");
        assertEquals("hello from b", OneShotHttp.get(settings.httpPort(), "plain.test", "/").body());
        assertEquals(404, OneShotHttp.getTls(settings.httpsPort(), "plain.test", "/").status(), "plain is HTTP only");

        try (var pems = Files.list(settings.tlsDirectory())) {
            Path generation = pems.findFirst().orElseThrow();
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(generation.resolve("secure.pem"))));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(generation)));
        }
    }

    @Test
    void reloadsUnderLoadWithoutAFailedRequest() throws Exception {
        Route toA = Fixture.route("shop", List.of("shop.test"), List.of(a.upstream()));
        Route toB = Fixture.route("shop", List.of("shop.test"), List.of(b.upstream()));
        proxy.apply(table(1, toA));
        RequestLoad load = RequestLoad.start(4, RequestLoad.get(settings.httpPort(), "shop.test", "hello from"));
        int reloads = 12;
        long applyNanos = 0;
        for (int i = 0; i < reloads; i++) {
            Thread.sleep(150);
            long t0 = System.nanoTime();
            proxy.apply(table(2 + i, i % 2 == 0 ? toB : toA));
            applyNanos += System.nanoTime() - t0;
            assertTrue(proxy.drain(List.of(), Duration.ofSeconds(10)), "old workers finished");
        }
        Thread.sleep(150);
        load.stop();
        List<String> failures = load.failures();
        assertTrue(failures.isEmpty(), failures.size() + " failed of " + (load.served() + failures.size()) + ": "
                + failures.stream().limit(5).toList());
        assertTrue(load.served() > 200, "requests served: " + load.served());
        assertTrue(a.requests.get() > 0 && b.requests.get() > 0);
        System.out.println("reload under load: " + load.served() + " requests, " + reloads + " reloads, 0 failed; apply"
                + " (check + reload) " + applyNanos / reloads / 1_000_000 + " ms on average");
    }

    @Test
    void keepsServingWhenACertificateOfTheNewTableIsBroken() throws Exception {
        RouteTable good = table(1, Fixture.route("shop", List.of("shop.test"), List.of(a.upstream())));
        proxy.apply(good);
        Path chain = Files.writeString(dir.resolve("bad.crt"),
                "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        Path key = Files.writeString(dir.resolve("bad.key"),
                "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
        RouteTable bad = table(2, Fixture.route("shop", List.of("shop.test"), List.of(b.upstream())),
                Fixture.withTls(Fixture.route("blog", List.of("blog.test"), List.of(b.upstream())),
                        new TlsCertificate(chain, key), false));

        ProxyException refused = assertThrows(ProxyException.class, () -> proxy.apply(bad));

        assertTrue(refused.getMessage().startsWith("The certificate chain of app 'blog' (" + chain + ") is unusable"),
                refused.getMessage());
        assertSame(good, proxy.serving());
        assertEquals("hello from a", OneShotHttp.get(settings.httpPort(), "shop.test", "/").body());
        assertFalse(Files.readString(settings.configFile()).contains("blog"));
    }

    @Test
    void tunnelsWebSocketUpgrades() throws Exception {
        try (java.net.ServerSocket echo = new java.net.ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (Socket s = echo.accept()) {
                    java.io.InputStream in = s.getInputStream();
                    String head = readHead(in);
                    if (!head.toLowerCase(Locale.ROOT).contains("upgrade: websocket")) {
                        return;
                    }
                    // the answer to the client's key, which HAProxy checks
                    String accept = java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest
                            .getInstance("SHA-1").digest(("dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
                    s.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                            + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                    byte[] buffer = new byte[4];
                    int n = in.readNBytes(buffer, 0, 4);
                    s.getOutputStream().write(buffer, 0, n);
                } catch (IOException | java.security.NoSuchAlgorithmException e) {
                    // the test fails on its side
                }
            });
            server.start();
            proxy.apply(table(1, Fixture.route("ws", List.of("ws.test"),
                    List.of(new Upstream("127.0.0.1", echo.getLocalPort())))));
            try (Socket client = new Socket("127.0.0.1", settings.httpPort())) {
                client.setSoTimeout(10_000);
                client.getOutputStream().write(("GET /socket HTTP/1.1\r\nHost: ws.test\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                String head = readHead(client.getInputStream());
                assertTrue(head.startsWith("HTTP/1.1 101"), head);
                client.getOutputStream().write("ping".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                assertEquals("ping", new String(client.getInputStream().readNBytes(4),
                        java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            server.join(10_000);
        }
    }

    private static String readHead(java.io.InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    @Test
    void saysHowToInstallHaproxyWhenItIsMissing() throws Exception {
        HaproxySettings missing = new HaproxySettings("/nonexistent/haproxy", dir.resolve("other"), "127.0.0.1",
                Fixture.freePort(), Fixture.freePort(), 0, Duration.ofSeconds(1), Duration.ofSeconds(1), 0,
                Duration.ofSeconds(5));
        HaproxyProxy without = new HaproxyProxy(missing);
        try {
            ProxyException e = assertThrows(ProxyException.class, () -> without.apply(
                    table(1, Fixture.route("shop", List.of("shop.test"), List.of(a.upstream())))));
            assertTrue(e.getMessage().contains("Cannot run HAProxy ('/nonexistent/haproxy')"), e.getMessage());
            assertTrue(e.getMessage().contains("apt-get install haproxy"), e.getMessage());
            assertEquals(0, without.serving().generation());
        } finally {
            without.deactivate();
        }
    }

    @Test
    void aReplacedInstanceLeavesHaproxyServingAndItsReplacementTakesItOver() throws Exception {
        proxy.apply(table(1, Fixture.route("shop", List.of("shop.test"), List.of(a.upstream()))));
        long master = proxy.server().masterPid().orElseThrow();

        // SCR replaces the component whose configuration changed: this instance goes, a new one comes
        proxy.deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_MODIFIED);
        assertEquals("hello from a", OneShotHttp.get(settings.httpPort(), "shop.test", "/").body(),
                "HAProxy keeps serving meanwhile");
        HaproxyProxy next = new HaproxyProxy(settings);
        try {
            next.apply(table(2, Fixture.route("shop", List.of("shop.test"), List.of(b.upstream()))));

            assertEquals(master, next.server().masterPid().orElseThrow(), "the same master, reloaded");
            assertEquals("hello from b", OneShotHttp.get(settings.httpPort(), "shop.test", "/").body());
        } finally {
            next.deactivate();
        }
        assertFalse(ProcessHandle.of(master).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void startsHaproxyAgainWhenItDies() throws Exception {
        proxy.apply(table(1, Fixture.route("shop", List.of("shop.test"), List.of(a.upstream()))));
        long pid = proxy.server().masterPid().orElseThrow();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String body = null;
        while (System.nanoTime() < deadline) {
            try {
                body = OneShotHttp.get(settings.httpPort(), "shop.test", "/").body();
                if (proxy.server().masterPid().orElse(pid) != pid) {
                    break;
                }
            } catch (IOException e) {
                // not yet back
            }
            Thread.sleep(50);
        }
        assertEquals("hello from a", body);
        assertTrue(proxy.server().masterPid().orElseThrow() != pid);
    }

    private TlsCertificate certificate(String host) throws IOException, InterruptedException {
        return ProxyFixtures.selfSigned(dir, host, "ec");
    }
}
