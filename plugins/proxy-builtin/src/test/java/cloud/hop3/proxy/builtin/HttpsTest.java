package cloud.hop3.proxy.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.HostName;
import cloud.hop3.api.proxy.ProxyException;
import cloud.hop3.api.proxy.Route;
import cloud.hop3.api.proxy.TlsCertificate;
import cloud.hop3.api.proxy.Upstream;
import cloud.hop3.plugin.testkit.ProxyFixtures;
import cloud.hop3.plugin.testkit.TestUpstream;

/**
 * HTTPS: each host served with its own certificate by SNI, unknown names refused, plain HTTP
 * redirected except ACME challenges, and certificates that change or break between applies.
 */
class HttpsTest extends ProxyFixture {

    @TempDir
    Path temp;
    private TestCertificates ca;

    @BeforeEach
    void makeCa() throws Exception {
        ca = new TestCertificates(temp);
    }

    static Route tlsRoute(String app, String host, Upstream upstream, TlsCertificate certificate, boolean redirect) {
        return new Route(AppName.of(app), List.of(HostName.of(host)), List.of(upstream), Map.of(), Optional.of(certificate), redirect);
    }

    private RawClient https(BuiltinProxy proxy, String serverName) throws Exception {
        SSLSocket socket = ca.connect(proxy.httpsPort(), serverName);
        RawClient client = new RawClient(socket);
        return client;
    }

    @Test
    void eachHostIsServedWithItsOwnCertificateAndForwardedAsHttps() throws Exception {
        TestUpstream shop = upstream("shop");
        TestUpstream blog = upstream("blog");
        BuiltinProxy proxy = serving(
                tlsRoute("shop", "shop.example.org", shop.upstream(), ca.issue("shop", "shop.example.org"), false),
                tlsRoute("blog", "blog.example.org", blog.upstream(), ca.issue("blog", "blog.example.org"), false));
        assertEquals(List.of(java.net.URI.create("http://:" + proxy.port()), java.net.URI.create("https://:" + proxy.httpsPort())),
                proxy.listeners());

        for (String app : List.of("shop", "blog")) {
            try (SSLSocket socket = ca.connect(proxy.httpsPort(), app + ".example.org");
                 RawClient client = new RawClient(socket)) {
                // the client checked the chain against the test CA and the name against the certificate
                assertEquals("CN=" + app + ".example.org", TestCertificates.peer(socket).getSubjectX500Principal().getName());
                assertEquals("http/1.1", socket.getApplicationProtocol(), "ALPN offers HTTP/1.1 only");
                assertEquals("hello from " + app, client.get(app + ".example.org", "/").text());
                String headers = client.get(app + ".example.org", "/headers").text();
                assertTrue(headers.contains("x-forwarded-proto: https"), headers);
                assertTrue(headers.contains("x-forwarded-port: " + proxy.httpsPort()), headers);
            }
        }
        // plain HTTP still says http
        String plain = client(proxy).get("shop.example.org", "/headers").text();
        assertTrue(plain.contains("x-forwarded-proto: http\n") || plain.endsWith("x-forwarded-proto: http"), plain);
    }

    @Test
    void staticFilesAreServedOverHttpsWholeAndUnchanged() throws Exception {
        Path site = java.nio.file.Files.createDirectories(temp.resolve("site"));
        java.nio.file.Files.writeString(site.resolve("index.html"), "<h1>static over tls</h1>");
        byte[] large = new byte[1_000_003];
        new java.util.Random(7).nextBytes(large);
        java.nio.file.Files.write(site.resolve("large.bin"), large);
        BuiltinProxy proxy = serving(new Route(AppName.of("site"), List.of(HostName.of("site.example.org")), List.of(),
                Map.of("/", site), Optional.of(ca.issue("site", "site.example.org")), false));

        try (SSLSocket socket = ca.connect(proxy.httpsPort(), "site.example.org");
             RawClient client = new RawClient(socket)) {
            assertEquals("<h1>static over tls</h1>", client.get("site.example.org", "/").text());
            RawClient.Response big = client.get("site.example.org", "/large.bin");
            assertEquals(200, big.status());
            assertTrue(java.util.Arrays.equals(large, big.body()), "the large file arrives whole");
            // and the connection serves the next request
            assertEquals("<h1>static over tls</h1>", client.get("site.example.org", "/index.html").text());
        }
    }

    @Test
    void anUnknownServerNameOrNoneFailsTheHandshake() throws Exception {
        TestUpstream shop = upstream("shop");
        TestUpstream plain = upstream("plain");
        BuiltinProxy proxy = serving(
                tlsRoute("shop", "shop.example.org", shop.upstream(), ca.issue("shop", "shop.example.org"), false),
                route("plain", List.of("plain.example.org"), List.of(plain.upstream())));

        SSLException unknown = assertThrows(SSLException.class, () -> ca.connect(proxy.httpsPort(), "other.example.org"));
        assertTrue(unknown.getMessage().contains("unrecognized_name"), unknown.getMessage());
        SSLException noCertificate = assertThrows(SSLException.class,
                () -> ca.connect(proxy.httpsPort(), "plain.example.org"));
        assertTrue(noCertificate.getMessage().contains("unrecognized_name"), noCertificate.getMessage());
        assertThrows(SSLException.class, () -> ca.connect(proxy.httpsPort(), null));
        // and the proxy goes on serving the names it knows
        try (RawClient client = https(proxy, "shop.example.org")) {
            assertEquals(200, client.get("shop.example.org", "/").status());
        }
    }

    @Test
    void plainHttpIsRedirectedToTheHttpsPortWithPathAndQuery() throws Exception {
        TestUpstream shop = upstream("shop");
        BuiltinProxy proxy = serving(
                tlsRoute("shop", "shop.example.org", shop.upstream(), ca.issue("shop", "shop.example.org"), true));

        RawClient client = client(proxy);
        RawClient.Response moved = client.get("Shop.Example.org:" + proxy.port(), "/cart/items?id=7&q=a%20b");
        assertEquals(308, moved.status());
        assertEquals("https://shop.example.org:" + proxy.httpsPort() + "/cart/items?id=7&q=a%20b",
                moved.header("location"));
        assertEquals(0, shop.requests.get(), "the app saw nothing of the plain request");
        // the same connection goes on (a POST keeps its method and body on a 308)
        assertEquals(308, client.get("shop.example.org", "/").status());

        try (RawClient secure = https(proxy, "shop.example.org")) {
            assertEquals("hello from shop", secure.get("shop.example.org", "/cart/items?id=7").text());
        }
    }

    @Test
    void acmeChallengesAreServedOverPlainHttpEvenWhenRedirecting() throws Exception {
        Path site = Files.createDirectories(temp.resolve("site/.well-known/acme-challenge"));
        Files.writeString(site.resolve("tok3n"), "tok3n.key-authorization");
        TestUpstream shop = upstream("shop");
        TestUpstream blog = upstream("blog");
        BuiltinProxy proxy = serving(new Route(AppName.of("shop"), List.of(HostName.of("shop.example.org")), List.of(shop.upstream()),
                        Map.of("/.well-known/acme-challenge/", site), Optional.of(ca.issue("shop", "shop.example.org")), true),
                tlsRoute("blog", "blog.example.org", blog.upstream(), ca.issue("blog", "blog.example.org"), true));

        RawClient client = client(proxy);
        RawClient.Response file = client.get("shop.example.org", "/.well-known/acme-challenge/tok3n");
        assertEquals(200, file.status());
        assertEquals("tok3n.key-authorization", file.text());
        RawClient.Response app = client.get("blog.example.org", "/.well-known/acme-challenge/other");
        assertEquals(200, app.status(), "routed to the app, not redirected");
        assertEquals("hello from blog", app.text());
        assertEquals(308, client.get("blog.example.org", "/.well-known/other").status());
    }

    @Test
    void anAppWithoutACertificateIsNeverRedirected() throws Exception {
        TestUpstream shop = upstream("shop");
        BuiltinProxy proxy = serving(new Route(AppName.of("shop"), List.of(HostName.of("shop.example.org")), List.of(shop.upstream()),
                Map.of(), Optional.empty(), true));

        assertEquals("hello from shop", client(proxy).get("shop.example.org", "/").text());
    }

    @Test
    void aTableWithAnUnusableCertificateIsRefusedAndThePreviousOneServes() throws Exception {
        TestUpstream shop = upstream("shop");
        BuiltinProxy proxy = proxy();
        TlsCertificate good = ca.issue("shop", "shop.example.org");
        proxy.apply(table(1, tlsRoute("shop", "shop.example.org", shop.upstream(), good, false)));

        Path missing = temp.resolve("missing.key");
        ProxyException unreadable = assertThrows(ProxyException.class, () -> proxy.apply(table(2,
                tlsRoute("shop", "shop.example.org", shop.upstream(), new TlsCertificate(good.certificateChain(), missing),
                        false))));
        assertTrue(unreadable.getMessage().contains("'shop'") && unreadable.getMessage().contains(missing.toString()),
                unreadable.getMessage());

        Path garbage = Files.writeString(temp.resolve("garbage.pem"), "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n"
                + "-----END CERTIFICATE-----\n");
        ProxyException invalid = assertThrows(ProxyException.class, () -> proxy.apply(table(3,
                tlsRoute("shop", "shop.example.org", shop.upstream(), new TlsCertificate(garbage, good.privateKey()),
                        false))));
        assertTrue(invalid.getMessage().contains("'shop'") && invalid.getMessage().contains(garbage.toString()),
                invalid.getMessage());

        TlsCertificate other = ca.issue("other", "shop.example.org");
        ProxyException mismatched = assertThrows(ProxyException.class, () -> proxy.apply(table(4,
                tlsRoute("shop", "shop.example.org", shop.upstream(),
                        new TlsCertificate(good.certificateChain(), other.privateKey()), false))));
        assertTrue(mismatched.getMessage().contains("does not belong"), mismatched.getMessage());

        assertEquals(1, proxy.serving().generation());
        try (RawClient client = https(proxy, "shop.example.org")) {
            assertEquals("hello from shop", client.get("shop.example.org", "/").text());
        }
    }

    @Test
    void aRenewedCertificateServesFromTheNextApply() throws Exception {
        TestUpstream shop = upstream("shop");
        BuiltinProxy proxy = proxy();
        TlsCertificate first = ca.issue("shop", "shop.example.org");
        proxy.apply(table(1, tlsRoute("shop", "shop.example.org", shop.upstream(), first, false)));
        String firstSerial;
        try (SSLSocket socket = ca.connect(proxy.httpsPort(), "shop.example.org")) {
            firstSerial = TestCertificates.peer(socket).getSerialNumber().toString();
        }

        // renewed in place: same paths, new contents (an EC key this time)
        ca.issueInto(first.certificateChain(), first.privateKey(), "ec", "shop.example.org");
        proxy.apply(table(2, tlsRoute("shop", "shop.example.org", shop.upstream(), first, false)));
        String inPlace;
        try (SSLSocket socket = ca.connect(proxy.httpsPort(), "shop.example.org")) {
            inPlace = TestCertificates.peer(socket).getSerialNumber().toString();
            assertEquals("EC", TestCertificates.peer(socket).getPublicKey().getAlgorithm());
        }
        assertNotEquals(firstSerial, inPlace);

        // renewed into new files
        TlsCertificate renewed = ca.issue("shop-2", "shop.example.org");
        proxy.apply(table(3, tlsRoute("shop", "shop.example.org", shop.upstream(), renewed, false)));
        try (SSLSocket socket = ca.connect(proxy.httpsPort(), "shop.example.org");
             RawClient client = new RawClient(socket)) {
            String serial = TestCertificates.peer(socket).getSerialNumber().toString();
            assertNotEquals(inPlace, serial);
            assertNotEquals(firstSerial, serial);
            assertEquals("hello from shop", client.get("shop.example.org", "/").text());
        }
    }

    @Test
    void aPkcs1RsaKeyIsRead() throws Exception {
        TestUpstream shop = upstream("shop");
        TlsCertificate certificate = ca.issue("shop", "shop.example.org");
        Path pkcs1 = temp.resolve("shop-rsa.key");
        ProxyFixtures.openssl("rsa", "-in", certificate.privateKey().toString(), "-traditional", "-out", pkcs1.toString());
        assertTrue(Files.readString(pkcs1).contains("BEGIN RSA PRIVATE KEY"));
        BuiltinProxy proxy = serving(
                tlsRoute("shop", "shop.example.org", shop.upstream(),
                new TlsCertificate(certificate.certificateChain(), pkcs1), false));
        try (RawClient client = https(proxy, "shop.example.org")) {
            assertEquals("hello from shop", client.get("shop.example.org", "/").text());
        }
    }

    @Test
    void aWebSocketUpgradeWorksOverTls() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"))) {
            CompletableFuture<String> handshake = CompletableFuture.supplyAsync(() -> UpgradeTest.upgradeAndShout(listener));
            Upstream upstream = new Upstream("127.0.0.1", listener.getLocalPort());
            BuiltinProxy proxy = serving(
                tlsRoute("chat", "chat.example.org", upstream, ca.issue("chat", "chat.example.org"),
                    true));
            try (RawClient client = https(proxy, "chat.example.org")) {
                client.send("GET", "chat.example.org", "/socket", null, "Connection: Upgrade",
                        "Upgrade: websocket", "Sec-WebSocket-Version: 13");
                assertEquals(101, client.read(true).status());
                assertTrue(handshake.get(10, TimeUnit.SECONDS).toLowerCase(Locale.ROOT).contains("x-forwarded-proto: https"));
                for (String word : List.of("secure", "socket")) {
                    client.write(word + "\n");
                    assertEquals(word.toUpperCase(Locale.ROOT) + "\n", UpgradeTest.readLine(client.input()));
                }
            }
        }
    }
}
