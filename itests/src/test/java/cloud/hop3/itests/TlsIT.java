package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import cloud.hop3.itests.Command.Result;

/**
 * HTTPS end to end with the embedded defaults: an app pushed with git gets a certificate from the
 * local CA, the built-in proxy serves it by SNI on the HTTPS port, clients that trust the exported
 * CA verify it, the redirect is an app setting, a new domain gets a new certificate, cert:renew
 * replaces it, and without an issuer renewal fails loudly while the old certificate keeps serving.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TlsIT {

    private static final String APP_PY = """
            import http.server, os

            class Handler(http.server.BaseHTTPRequestHandler):
                protocol_version = "HTTP/1.1"

                def do_GET(self):
                    body = ("secure hello, proto=%s, path=%s" % (
                        self.headers.get("X-Forwarded-Proto"), self.path)).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)

                def log_message(self, *args):
                    pass

            http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
            """;

    private static Distribution platform;
    private static int httpsPort;
    private static Path caFile;

    @BeforeAll
    static void start() throws Exception {
        platform = new Distribution();
        httpsPort = Integer.parseInt(platform.environment().get("HOP3_HTTPS_PORT"));
        Result start = platform.hop3("start");
        assertEquals(0, start.exit(), start.toString());
        AppSource app = new AppSource(platform, "secure");
        app.writeAll(Map.of("Procfile", "web: python3 app.py\n", "app.py", APP_PY));
        Result push = app.commitAndPush("first");
        assertEquals(0, push.exit(), push.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void aPushedAppGetsACertificateFromTheLocalCa() throws Exception {
        await("secure has a certificate", () -> certRow("secure").contains("selfsigned"));
        String row = certRow("secure");
        assertTrue(row.contains("secure.localhost") && row.contains("valid; renews from"), row);
        String info = platform.hop3Ok("app", "info", "secure");
        assertTrue(info.contains("TLS:       selfsigned certificate for secure.localhost, expires "), info);

        String ca = platform.hop3Ok("cert", "ca");
        assertTrue(ca.strip().startsWith("-----BEGIN CERTIFICATE-----"), ca);
        caFile = platform.work.resolve("hop3-ca.pem");
        Files.writeString(caFile, ca.strip() + "\n");
    }

    @Test
    @Order(2)
    void theBuiltInProxyServesItOverHttpsToClientsThatTrustTheCa() throws Exception {
        Https.Answer answer = https("secure.localhost", "/hello?x=1");
        assertEquals(200, answer.status(), answer.text());
        assertTrue(answer.text().endsWith("secure hello, proto=https, path=/hello?x=1"), answer.text());
        assertTrue(answer.certificate().getSubjectX500Principal().getName().contains("secure.localhost"),
                answer.certificate().toString());

        // the real curl, as a user would check it
        Result curl = Command.run(platform.work, Map.of(), Distribution.TIMEOUT, "curl", "-sS", "--cacert", caFile.toString(),
                "--resolve", "secure.localhost:" + httpsPort + ":127.0.0.1", "https://secure.localhost:" + httpsPort + "/c");
        assertEquals(0, curl.exit(), curl.toString());
        assertTrue(curl.output().contains("secure hello, proto=https, path=/c"), curl.toString());

        // the distribution ships Netty's OpenSSL (BoringSSL) build, and the proxy's TLS uses it
        String log = Files.readString(platform.directory().resolve("data/log/karaf.log"));
        assertTrue(log.contains("(HTTPS with OPENSSL TLS"), "the built-in proxy's HTTPS runs on OpenSSL");

        // plain HTTP is not redirected by default (a self-signed certificate would make browsers warn)
        Http.Response plain = Http.get(platform.httpPort, "secure.localhost", "/");
        assertEquals(200, plain.status());
        assertTrue(plain.body().contains("proto=http,"), plain.body());
    }

    @Test
    @Order(3)
    void theRedirectIsAnAppSetting() throws Exception {
        Result bad = platform.hop3("app", "config-set", "secure", "HOP3_HTTPS_REDIRECT=maybe");
        assertNotEquals(0, bad.exit(), bad.toString());
        assertTrue(bad.output().contains("HOP3_HTTPS_REDIRECT must be true or false"), bad.toString());

        platform.hop3Ok("app", "config-set", "secure", "HOP3_HTTPS_REDIRECT=true");
        await("plain HTTP is redirected", () -> status("/") == 308);
        Http.Response redirect = Http.get(platform.httpPort, "secure.localhost", "/a/b?c=d");
        assertEquals(308, redirect.status());
        assertEquals("https://secure.localhost:" + httpsPort + "/a/b?c=d", redirect.header("location"));
        // ACME answers its HTTP-01 challenges over plain HTTP: never redirected
        assertNotEquals(308, status("/.well-known/acme-challenge/some-token"));
        assertEquals(200, https("secure.localhost", "/").status());

        platform.hop3Ok("app", "config-set", "secure", "HOP3_HTTPS_REDIRECT=false");
        await("the redirect is off", () -> status("/") == 200);
    }

    @Test
    @Order(4)
    void aNewDomainGetsANewCertificateAndRenewReplacesIt() throws Exception {
        BigInteger first = https("secure.localhost", "/").certificate().getSerialNumber();
        platform.hop3Ok("domain", "add", "secure", "www.secure.test");
        await("the certificate covers www.secure.test", () -> certRow("secure").contains("www.secure.test"));
        await("www.secure.test is served over HTTPS", () -> {
            try {
                return https("www.secure.test", "/").status() == 200;
            } catch (IOException e) {
                return false;
            }
        });
        BigInteger second = https("secure.localhost", "/").certificate().getSerialNumber();
        assertNotEquals(first, second);

        String renewed = platform.hop3Ok("cert", "renew", "secure");
        assertTrue(renewed.contains("issued by selfsigned"), renewed);
        await("the renewed certificate serves", () -> {
            try {
                return !https("secure.localhost", "/").certificate().getSerialNumber().equals(second);
            } catch (IOException e) {
                return false;
            }
        });
    }

    @Test
    @Order(5)
    void withoutAnIssuerRenewalFailsLoudlyAndTheCertificateKeepsServing() throws Exception {
        BigInteger serving = https("secure.localhost", "/").certificate().getSerialNumber();
        platform.hop3Ok("bundle", "stop", "cloud.hop3.tls-selfsigned");
        Result renew = platform.hop3("cert", "renew", "secure");
        assertNotEquals(0, renew.exit(), renew.toString());
        assertTrue(renew.output().contains("No certificate issuer is installed"), renew.toString());
        assertEquals(serving, https("secure.localhost", "/").certificate().getSerialNumber());
        String row = certRow("secure");
        assertTrue(row.contains("FAILING since"), row);
        assertTrue(platform.hop3Ok("app", "info", "secure").contains("FAILING since"));
        Result unknown = platform.hop3("cert", "renew", "nope");
        assertNotEquals(0, unknown.exit());
        assertTrue(unknown.output().contains("App 'nope' does not exist"), unknown.toString());
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static String certRow(String app) {
        try {
            return platform.hop3Ok("cert", "list", "--no-format", app);
        } catch (IOException | InterruptedException e) {
            return e.toString();
        }
    }

    private static int status(String path) {
        try {
            return Http.get(platform.httpPort, "secure.localhost", path).status();
        } catch (IOException e) {
            return -1;
        }
    }

    private static Https.Answer https(String host, String path) throws IOException {
        return Https.get(httpsPort, host, path, List.of(Https.certificate(caFile)));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(200);
        }
    }
}
