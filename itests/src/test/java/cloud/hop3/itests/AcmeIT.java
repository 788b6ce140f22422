package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.ResourceLock;

import cloud.hop3.itests.Command.Result;
import cloud.hop3.plugin.testkit.PebbleServer;

/**
 * Certificates from an ACME authority end to end: the real Pebble server (Debian's package)
 * validates HTTP-01 challenges against the platform's HTTP port, where the built-in proxy answers
 * them; the operator installs the ACME issuer and chooses it as a user would; every app moves to
 * an ACME certificate, plain HTTP is redirected, renewal works, and an authority that went away
 * makes renewal fail loudly while the certificate keeps serving.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ResourceLock(Distribution.SHOP_APPS)
class AcmeIT {

    private static Distribution platform;
    private static PebbleServer pebble;
    private static int httpsPort;
    private static X509Certificate pebbleRoot;

    @BeforeAll
    static void start() throws Exception {
        platform = new Distribution();
        httpsPort = Integer.parseInt(platform.environment().get("HOP3_HTTPS_PORT"));
        pebble = PebbleServer.start(platform.work.resolve("pebble"), platform.httpPort);
        // the issuer's settings, written before its feature is installed, as the user guide says
        Files.writeString(platform.directory().resolve("etc/cloud.hop3.tls.acme.cfg"),
                "directoryUrl = " + pebble.directoryUrl() + "\n"
                        + "trustStore = " + pebble.trustStore() + "\n"
                        + "email = ops@shop.example.com\n"
                        + "acceptTerms = true\n");
        pebbleRoot = pebble.root(); // read now: the last test stops Pebble
        Result start = platform.hop3("start");
        assertEquals(0, start.exit(), start.toString());
        AppSource site = new AppSource(platform, "shop");
        site.write("public/index.html", "<h1>shop over acme</h1>");
        Result push = site.commitAndPush("first");
        assertEquals(0, push.exit(), push.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (pebble != null) {
                pebble.close();
            }
        } finally {
            if (platform != null) {
                platform.close();
            }
        }
    }

    @Test
    @Order(1)
    void choosingTheAcmeIssuerGivesEveryAppACertificateFromTheAuthority() throws Exception {
        await("the self-signed certificate", () -> certRow().contains("selfsigned"));
        platform.hop3Ok("feature", "install", "hop3-tls-acme");
        Thread.sleep(500);
        assertTrue(certRow().contains("selfsigned"), "installing the ACME issuer alone changes no certificate");

        platform.hop3Ok("config", "property-set", "-p", "cloud.hop3.core", "issuer", "acme");
        await("the ACME certificate", () -> certRow().contains("acme"));
        assertTrue(certRow().contains("valid; renews from"), certRow());

        Https.Answer answer = https("shop.localhost");
        assertEquals(200, answer.status(), answer.text());
        assertTrue(answer.text().contains("<h1>shop over acme</h1>"), answer.text());
        assertEquals(pebble.intermediate().getSubjectX500Principal(), answer.certificate().getIssuerX500Principal());
    }

    @Test
    @Order(2)
    void plainHttpIsRedirectedExceptForAcmeChallenges() throws Exception {
        await("plain HTTP is redirected", () -> status("/") == 308);
        Http.Response redirect = Http.get(platform.httpPort, "shop.localhost", "/index.html?a=b");
        assertEquals("https://shop.localhost:" + httpsPort + "/index.html?a=b", redirect.header("location"));
        assertEquals(404, status("/.well-known/acme-challenge/no-such-token"));
    }

    @Test
    @Order(3)
    void renewGetsANewCertificateFromTheAuthority() throws Exception {
        BigInteger before = https("shop.localhost").certificate().getSerialNumber();
        String renewed = platform.hop3Ok("cert", "renew", "shop");
        assertTrue(renewed.contains("issued by acme"), renewed);
        await("the new certificate serves", () -> {
            try {
                return !https("shop.localhost").certificate().getSerialNumber().equals(before);
            } catch (IOException e) {
                return false;
            }
        });
    }

    @Test
    @Order(4)
    void whenTheAuthorityIsGoneRenewalFailsLoudlyAndTheCertificateKeepsServing() throws Exception {
        BigInteger serving = https("shop.localhost").certificate().getSerialNumber();
        pebble.close();
        Result renew = platform.hop3("cert", "renew", "shop");
        assertNotEquals(0, renew.exit(), renew.toString());
        assertTrue(renew.output().contains("could not be issued"), renew.toString());
        String info = platform.hop3Ok("app", "info", "shop");
        assertTrue(info.contains("FAILING since"), info);
        assertTrue(certRow().contains("FAILING since"), certRow());
        String log = Files.readString(platform.directory().resolve("data/log/karaf.log"));
        assertTrue(log.contains("ERROR") && log.contains("Certificate for app shop"), "the failure is in the log");
        assertEquals(serving, https("shop.localhost").certificate().getSerialNumber());
        assertEquals(200, https("shop.localhost").status());
    }

    private static Https.Answer https(String host) throws IOException {
        return Https.get(httpsPort, host, "/", List.of(pebbleRoot));
    }

    private static String certRow() {
        try {
            return platform.hop3Ok("cert", "list", "--no-format", "shop");
        } catch (IOException | InterruptedException e) {
            return e.toString();
        }
    }

    private static int status(String path) {
        try {
            return Http.get(platform.httpPort, "shop.localhost", path).status();
        } catch (IOException e) {
            return -1;
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what + "; platform log:\n" + logTail());
            }
            Thread.sleep(250);
        }
    }

    private static String logTail() {
        try {
            List<String> lines = Files.readAllLines(platform.directory().resolve("data/log/karaf.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
