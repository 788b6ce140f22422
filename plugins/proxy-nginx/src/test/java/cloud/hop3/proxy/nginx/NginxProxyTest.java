package cloud.hop3.proxy.nginx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.component.ComponentConstants;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.HostName;
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

/** The proxy driving the real nginx on free loopback ports. */
class NginxProxyTest {

    @TempDir
    Path dir;
    int httpPort;
    int httpsPort;
    NginxProxy proxy;
    final List<TestUpstream> upstreams = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        httpPort = freePort();
        httpsPort = freePort();
        proxy = new NginxProxy(NginxSettings.forTest(dir.resolve("nginx"), httpPort, httpsPort));
    }

    @AfterEach
    void stop() {
        proxy.deactivate();
        upstreams.forEach(TestUpstream::close);
    }

    @Test
    void startsNginxOnlyOnTheFirstApplyAndStopsIt() throws Exception {
        assertTrue(proxy.server().running().isEmpty());
        assertEquals(List.of(), proxy.listeners(), "an unused proxy listens nowhere");
        assertThrows(ConnectException.class, () -> OneShotHttp.get(httpPort, "x.test", "/"));

        proxy.apply(table(1, route("shop", List.of("shop.test"), upstream("a"))));
        ProcessHandle master = proxy.server().running().orElseThrow();
        assertEquals(List.of(java.net.URI.create("http://:" + httpPort)), proxy.listeners());
        assertEquals(200, OneShotHttp.get(httpPort, "shop.test", "/").status());

        proxy.deactivate();
        assertFalse(master.isAlive());
        assertThrows(ConnectException.class, () -> OneShotHttp.get(httpPort, "shop.test", "/"));
    }

    @Test
    void routesByHostRoundRobinAndAnswers404ForUnknownHosts() throws Exception {
        TestUpstream a1 = upstream("a1");
        TestUpstream a2 = upstream("a2");
        TestUpstream b = upstream("b");
        proxy.apply(table(1,
                route("shop", List.of("shop.test", "Www.Shop.Test."), a1, a2),
                route("blog", List.of("blog.test"), b)));

        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            seen.add(OneShotHttp.get(httpPort, "shop.test:" + httpPort, "/x").body());
        }
        assertEquals(Set.of("hello from a1 GET /x", "hello from a2 GET /x"), seen);
        assertEquals("hello from a1 GET /", OneShotHttp.get(httpPort, "WWW.shop.test", "/").body().replace("a2", "a1"));
        assertEquals("hello from b GET /", OneShotHttp.get(httpPort, "blog.test", "/").body());

        OneShotHttp.Response unknown = OneShotHttp.get(httpPort, "nothing.test", "/");
        assertEquals(404, unknown.status());
        assertTrue(unknown.body().contains("404 Not Found"), unknown.body());
        assertFalse(unknown.body().toLowerCase().contains("nginx"), unknown.body());
        assertFalse(unknown.headers().getOrDefault("server", "").contains("/"), "no version in Server");
    }

    @Test
    void forwardsClientAddressProtocolAndHost() throws Exception {
        proxy.apply(table(1, route("shop", List.of("shop.test"), upstream("a"))));

        String headers = OneShotHttp.get(httpPort, "shop.test:" + httpPort, "/headers").body();

        assertTrue(headers.contains("x-forwarded-for: 127.0.0.1\n"), headers);
        assertTrue(headers.contains("x-forwarded-proto: http\n"), headers);
        assertTrue(headers.contains("x-forwarded-host: shop.test\n"), headers);
        assertTrue(headers.contains("host: shop.test:" + httpPort + "\n"), headers);
    }

    @Test
    void servesStaticFilesAndHandsMissingOnesToTheApp() throws Exception {
        Path site = ProxyFixtures.staticSite(dir);
        Path docs = site.resolve("docs");

        TestUpstream app = upstream("app");
        proxy.apply(table(1,
                new Route(AppName.of("shop"), List.of(HostName.of("shop.test")), List.of(app.upstream()),
                        Map.of("/static", site), Optional.empty(), false),
                new Route(AppName.of("docs"), List.of(HostName.of("docs.test")), List.of(), Map.of("/", docs), Optional.empty(), false)));

        OneShotHttp.Response css = OneShotHttp.get(httpPort, "shop.test", "/static/app.css");
        assertEquals(200, css.status());
        assertEquals("body{}", css.body());
        assertEquals("text/css", css.header("content-type"));
        assertEquals("<p>docs</p>", OneShotHttp.get(httpPort, "shop.test", "/static/docs/").body());
        OneShotHttp.Response dirRedirect = OneShotHttp.get(httpPort, "shop.test", "/static/docs");
        assertEquals(301, dirRedirect.status());
        assertEquals("/static/docs/", dirRedirect.header("location"));
        assertEquals("proof", OneShotHttp.get(httpPort, "shop.test", "/static/.well-known/token").body());
        // hidden files, links out of the directory, traversal and missing files are not served from disk
        assertEquals("hello from app GET /static/.env", OneShotHttp.get(httpPort, "shop.test", "/static/.env").body());
        assertEquals("hello from app GET /static/link.txt", OneShotHttp.get(httpPort, "shop.test", "/static/link.txt").body());
        assertNotEquals("outside", OneShotHttp.get(httpPort, "shop.test", "/static/../secret.txt").body());
        assertNotEquals("outside", OneShotHttp.get(httpPort, "shop.test", "/static/%2e%2e/secret.txt").body());
        assertEquals("hello from app GET /static/none.js", OneShotHttp.get(httpPort, "shop.test", "/static/none.js").body());
        assertEquals("hello from app POST /static/app.css",
                OneShotHttp.send(httpPort, "POST", "shop.test", "/static/app.css", Map.of(), null).body());
        assertEquals("hello from app GET /api", OneShotHttp.get(httpPort, "shop.test", "/api").body());

        // a static site without processes
        assertEquals("<p>docs</p>", OneShotHttp.get(httpPort, "docs.test", "/").body());
        OneShotHttp.Response missing = OneShotHttp.get(httpPort, "docs.test", "/nothing.html");
        assertEquals(404, missing.status());
        assertFalse(missing.body().toLowerCase().contains("nginx"), missing.body());
    }

    @Test
    void servesTlsRoutesBySniAndRedirectsTheirPlainRequests() throws Exception {
        TlsCertificate secure = ProxyFixtures.selfSigned(dir.resolve("certs"), "secure.test");
        TlsCertificate other = ProxyFixtures.selfSigned(dir.resolve("certs"), "other.test");
        proxy.apply(table(1,
                new Route(AppName.of("secure"), List.of(HostName.of("secure.test")), List.of(upstream("s").upstream()), Map.of(),
                        Optional.of(secure), true),
                new Route(AppName.of("other"), List.of(HostName.of("other.test")), List.of(upstream("o").upstream()), Map.of(),
                        Optional.of(other), false),
                route("plain", List.of("plain.test"), upstream("p"))));

        OneShotHttp.Response s = OneShotHttp.getTls(httpsPort, "secure.test", "/headers");
        assertEquals(200, s.status());
        assertTrue(s.body().contains("x-forwarded-proto: https\n"), s.body());
        assertTrue(s.certificate().getSubjectX500Principal().getName().contains("CN=secure.test"));
        OneShotHttp.Response o = OneShotHttp.getTls(httpsPort, "other.test", "/");
        assertEquals("hello from o GET /", o.body());
        assertTrue(o.certificate().getSubjectX500Principal().getName().contains("CN=other.test"));

        OneShotHttp.Response redirect = OneShotHttp.get(httpPort, "secure.test", "/a?b=c");
        assertEquals(308, redirect.status());
        assertEquals("https://secure.test:" + httpsPort + "/a?b=c", redirect.header("location"));
        assertEquals("hello from o GET /", OneShotHttp.get(httpPort, "other.test", "/").body());
        assertEquals("hello from p GET /", OneShotHttp.get(httpPort, "plain.test", "/").body());
        // a route without a certificate is not served over TLS
        assertThrows(IOException.class, () -> OneShotHttp.getTls(httpsPort, "plain.test", "/"));
    }

    @Test
    void anAcmeChallengeIsServedOverPlainHttpWhereOtherRequestsAreRedirected() throws Exception {
        TestUpstream s = upstream("s");
        TlsCertificate secure = ProxyFixtures.selfSigned(dir.resolve("certs"), "secure.test");
        proxy.apply(table(1, new Route(AppName.of("secure"), List.of(HostName.of("secure.test")), List.of(s.upstream()), Map.of(),
                Optional.of(secure), true)));

        OneShotHttp.Response challenge = OneShotHttp.get(httpPort, "secure.test", "/.well-known/acme-challenge/tok_en-1");
        assertEquals(200, challenge.status());
        assertEquals("hello from s GET /.well-known/acme-challenge/tok_en-1", challenge.body());
        assertEquals(308, OneShotHttp.get(httpPort, "secure.test", "/.well-known/other").status());
        assertEquals(308, OneShotHttp.get(httpPort, "secure.test", "/x/.well-known/acme-challenge/t").status());
    }

    @Test
    void retireStopsListeningAfterAnsweringTheRequestInFlightAndTheNextApplyStartsAgain() throws Exception {
        TestUpstream a = upstream("a");
        RouteTable table = table(1, route("shop", List.of("shop.test"), a));
        proxy.apply(table);
        ProcessHandle master = proxy.server().running().orElseThrow();
        var inFlight = OneShotHttp.getInBackground(httpPort, "shop.test", "/sleep");
        while (a.requests.get() == 0) {
            Thread.sleep(10);
        }

        proxy.retire();

        assertFalse(master.isAlive());
        assertEquals(RouteTable.empty(), proxy.serving());
        assertEquals("hello from a GET /sleep", inFlight.get().body());
        assertThrows(ConnectException.class, () -> OneShotHttp.get(httpPort, "shop.test", "/"));
        proxy.apply(table);
        assertEquals("hello from a GET /", OneShotHttp.get(httpPort, "shop.test", "/").body());
    }

    @Test
    void asecondProxyListensOnTheSamePortsAndServesAloneOnceTheFirstRetires() throws Exception {
        TestUpstream a = upstream("a");
        TlsCertificate cert = ProxyFixtures.selfSigned(dir.resolve("certs"), "shop.test");
        RouteTable table = table(1, new Route(AppName.of("shop"), List.of(HostName.of("shop.test")), List.of(a.upstream()), Map.of(),
                Optional.of(cert), false));
        proxy.apply(table);
        NginxProxy next = new NginxProxy(NginxSettings.forTest(dir.resolve("nginx-next"), httpPort, httpsPort));
        try {
            next.apply(table);
            ProcessHandle second = next.server().running().orElseThrow();
            assertTrue(second.isAlive(), "the second nginx could bind the same ports");

            proxy.retire();

            for (int i = 0; i < 20; i++) {
                assertEquals("hello from a GET /", OneShotHttp.get(httpPort, "shop.test", "/").body());
                assertEquals("hello from a GET /", OneShotHttp.getTls(httpsPort, "shop.test", "/").body());
            }
        } finally {
            next.deactivate();
        }
    }

    @Test
    void aStoppedInstanceLeavesAloneTheNginxOfTheInstanceThatReplacedIt() throws Exception {
        // a change of the plugin's configuration: SCR stops this instance and starts one on the same directory
        RouteTable table = table(1, route("shop", List.of("shop.test"), upstream("a")));
        proxy.apply(table);
        proxy.deactivate();
        NginxProxy next = new NginxProxy(NginxSettings.forTest(dir.resolve("nginx"), httpPort, httpsPort));
        try {
            next.apply(table);
            ProcessHandle master = next.server().running().orElseThrow();

            proxy.retire(); // core retires the instance that served before, late

            assertTrue(master.isAlive(), "the replacement's nginx still runs");
            assertEquals("hello from a GET /", OneShotHttp.get(httpPort, "shop.test", "/").body());
        } finally {
            next.deactivate();
        }
    }

    @Test
    void aReplacedInstanceLeavesNginxServingAndItsReplacementTakesItOverWithoutARefusedConnection() throws Exception {
        proxy.apply(table(1, route("shop", List.of("shop.test"), upstream("a"))));
        ProcessHandle master = proxy.server().running().orElseThrow();
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean requesting = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger served = new java.util.concurrent.atomic.AtomicInteger();
        Thread client = new Thread(() -> {
            while (requesting.get()) {
                try {
                    OneShotHttp.get(httpPort, "shop.test", "/");
                    served.incrementAndGet();
                } catch (IOException e) {
                    failures.add(e.toString());
                }
            }
        });
        client.start();
        NginxProxy next = null;
        try {
            // SCR replaces the component whose configuration changed: this instance goes, a new one comes
            proxy.deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_MODIFIED);
            assertTrue(master.isAlive(), "nginx keeps serving for the next instance");
            next = new NginxProxy(NginxSettings.forTest(dir.resolve("nginx"), httpPort, httpsPort));
            next.apply(table(2, route("shop", List.of("shop.test"), upstream("b"))));

            assertEquals(master.pid(), next.server().running().orElseThrow().pid(), "the same master, reloaded");
            assertEquals("hello from b GET /", OneShotHttp.get(httpPort, "shop.test", "/").body());
            int before = served.get();
            while (served.get() < before + 20) {
                Thread.sleep(10);
            }
        } finally {
            requesting.set(false);
            client.join();
            if (next != null) {
                next.deactivate();
            }
        }
        assertEquals(List.of(), failures);
        assertFalse(master.isAlive(), "the instance that took nginx over stops it for good");
    }

    @Test
    void aRefusedConfigurationLeavesThePreviousOneServing() throws Exception {
        TestUpstream a = upstream("a");
        RouteTable good = table(1, route("shop", List.of("shop.test"), a));
        proxy.apply(good);
        Path missingCert = dir.resolve("no-such-cert.pem");
        RouteTable bad = table(2, route("shop", List.of("shop.test"), a),
                new Route(AppName.of("broken"), List.of(HostName.of("broken.test")), List.of(a.upstream()), Map.of(),
                        Optional.of(new TlsCertificate(missingCert, dir.resolve("no-such-key.pem"))), false));

        ProxyException e = assertThrows(ProxyException.class, () -> proxy.apply(bad));

        assertTrue(e.getMessage().contains("[emerg]") && e.getMessage().contains(missingCert.toString()), e.getMessage());
        assertEquals(good, proxy.serving());
        assertEquals("hello from a GET /", OneShotHttp.get(httpPort, "shop.test", "/").body());
        assertEquals(404, OneShotHttp.get(httpPort, "broken.test", "/").status());
        assertTrue(Files.readString(dir.resolve("nginx/nginx.conf.rejected")).contains("broken.test"));
        assertFalse(Files.readString(dir.resolve("nginx/nginx.conf")).contains("broken.test"));
    }

    @Test
    void reloadsUnderContinuousRequestsWithoutAFailedRequest() throws Exception {
        TestUpstream a = upstream("a");
        TestUpstream b = upstream("b");
        proxy.apply(table(1, route("shop", List.of("shop.test"), a)));
        RequestLoad load = RequestLoad.start(4, RequestLoad.get(httpPort, "shop.test", ""));
        for (int generation = 2; generation <= 11; generation++) {
            proxy.apply(table(generation, route("shop", List.of("shop.test"), generation % 2 == 0 ? b : a)));
            assertTrue(proxy.drain(List.of(), Duration.ofSeconds(10)), "old workers finished");
        }
        load.stop();
        assertEquals(List.of(), load.failures());
        assertTrue(load.served() > 100, "requests served: " + load.served());
        assertTrue(a.requests.get() > 0 && b.requests.get() > 0);
    }

    @Test
    void aNewRouteServesEveryRequestOnceApplyReturns() throws Exception {
        TestUpstream a = upstream("a");
        List<Route> routes = new ArrayList<>();
        routes.add(route("app0", List.of("app0.test"), a));
        proxy.apply(new RouteTable(1, routes));
        for (int i = 1; i <= 15; i++) {
            routes.add(route("app" + i, List.of("app" + i + ".test"), a));
            proxy.apply(new RouteTable(i + 1, routes));
            for (int r = 0; r < 5; r++) {
                OneShotHttp.Response response = OneShotHttp.get(httpPort, "app" + i + ".test", "/");
                assertEquals(200, response.status(), "request " + r + " after apply " + i);
            }
        }
    }

    @Test
    void restartsNginxWhenItDies() throws Exception {
        proxy.apply(table(1, route("shop", List.of("shop.test"), upstream("a"))));
        ProcessHandle first = proxy.server().running().orElseThrow();

        first.destroyForcibly();
        first.onExit().join();

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Optional<ProcessHandle> next = Optional.empty();
        while (System.nanoTime() < deadline) {
            next = proxy.server().running().filter(p -> p.pid() != first.pid()).filter(p -> p.children().findAny().isPresent());
            if (next.isPresent()) {
                break;
            }
            Thread.sleep(50);
        }
        assertTrue(next.isPresent(), "nginx restarted");
        assertEquals("hello from a GET /", OneShotHttp.get(httpPort, "shop.test", "/").body());
    }

    @Test
    void countsTheRequestsOfEachAppFromNginxsRequestLogAndKeepsThatLogPrivate() throws Exception {
        RecordingRequestMetrics metrics = new RecordingRequestMetrics();
        proxy.setRequestMetrics(metrics);
        Route gone = new Route(AppName.of("gone"), List.of(HostName.of("gone.test")),
                List.of(new Upstream("127.0.0.1", freePort())), Map.of(), Optional.empty(), false);
        proxy.apply(table(1, route("shop", List.of("shop.test", "www.shop.test"), upstream("a")), gone));

        assertEquals(200, OneShotHttp.get(httpPort, "shop.test", "/").status());
        assertEquals(200, OneShotHttp.get(httpPort, "WWW.Shop.Test:" + httpPort, "/").status());
        assertEquals(502, OneShotHttp.get(httpPort, "gone.test", "/").status());
        assertEquals(404, OneShotHttp.get(httpPort, "unknown.test", "/").status());

        assertEquals(List.of("gone web 502", "shop web 200", "shop web 200"), metrics.await(3));
        assertTrue(metrics.nanos().stream().allMatch(n -> n >= 0 && n < 10_000_000_000L), metrics.nanos().toString());
        Path log = dir.resolve("nginx/logs/requests.log");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(log)));

        proxy.unsetRequestMetrics(metrics);
        assertEquals(200, OneShotHttp.get(httpPort, "shop.test", "/").status());
        assertEquals(3, metrics.settled().size(), "no metrics service: nothing counted");
    }

    @Test
    void saysHowToInstallNginxWhenItIsMissing() throws Exception {
        NginxSettings s = NginxSettings.forTest(dir.resolve("other"), httpPort, httpsPort);
        NginxProxy missing = new NginxProxy(new NginxSettings(s.directory(), dir.resolve("no/nginx").toString(),
                s.bindAddress(), s.httpPort(), s.httpsPort(), s.workerProcesses(), s.connectTimeout(), s.idleTimeout(),
                s.maxBodyMegabytes(), s.drainTimeout(), s.accessLog()));
        try {
            ProxyException e = assertThrows(ProxyException.class,
                    () -> missing.apply(table(1, route("shop", List.of("shop.test"), upstream("a")))));
            assertTrue(e.getMessage().contains("apt-get install nginx"), e.getMessage());
            assertEquals(RouteTable.empty(), missing.serving());
        } finally {
            missing.deactivate();
        }
    }

    @Test
    void refusesToStartWhenItsPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(httpPort, 10, java.net.InetAddress.getByName("127.0.0.1"))) {
            ProxyException e = assertThrows(ProxyException.class,
                    () -> proxy.apply(table(1, route("shop", List.of("shop.test"), upstream("a")))));
            assertTrue(e.getMessage().contains("Address already in use"), e.getMessage());
        }
    }

    private TestUpstream upstream(String name) throws IOException {
        TestUpstream upstream = TestUpstream.echoing(name);
        upstreams.add(upstream);
        return upstream;
    }

    private static Route route(String app, List<String> hosts, TestUpstream... processes) {
        List<Upstream> list = new ArrayList<>();
        for (TestUpstream p : processes) {
            list.add(p.upstream());
        }
        return new Route(AppName.of(app), hosts.stream().map(HostName::of).toList(), list, Map.of(), Optional.empty(), false);
    }

    private static RouteTable table(long generation, Route... routes) {
        return new RouteTable(generation, List.of(routes));
    }

    static int freePort() throws IOException {
        return ProxyFixtures.freePort();
    }
}
