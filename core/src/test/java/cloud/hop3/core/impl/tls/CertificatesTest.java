package cloud.hop3.core.impl.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.HostName;
import cloud.hop3.api.proxy.TlsCertificate;
import cloud.hop3.api.tls.CertificateException;
import cloud.hop3.api.tls.CertificateIssuer;
import cloud.hop3.api.tls.CertificateStatus;
import cloud.hop3.api.tls.IssuedCertificate;
import cloud.hop3.core.impl.app.AppCatalog;
import cloud.hop3.core.impl.platform.PlatformSettings;

class CertificatesTest {

    private static final AppName SHOP = AppName.of("shop");
    private static final List<String> HOSTS = List.of("shop.example.test", "www.shop.test");

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        volatile Instant now = Instant.parse("2026-11-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /**
     * An issuer that writes marker files and records what it was asked; it can be told to fail.
     * The real issuers (self-signed, ACME) are tested in their plugins and end to end.
     */
    private static final class TestIssuer implements CertificateIssuer {
        final String name;
        final boolean trusted;
        final List<Set<HostName>> requests = new ArrayList<>();
        volatile String failWith;
        volatile Duration lifetime = Duration.ofDays(90);
        final TestClock clock;

        TestIssuer(String name, boolean trusted, TestClock clock) {
            this.name = name;
            this.trusted = trusted;
            this.clock = clock;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean publiclyTrusted() {
            return trusted;
        }

        @Override
        public synchronized IssuedCertificate issue(Set<HostName> hosts, Path directory) throws CertificateException {
            requests.add(hosts);
            if (failWith != null) {
                throw new CertificateException(failWith);
            }
            try {
                Files.writeString(directory.resolve("chain.pem"), name + " " + hosts);
                Files.writeString(directory.resolve("key.pem"), "key " + requests.size());
            } catch (IOException e) {
                throw new CertificateException("cannot write", e);
            }
            return new IssuedCertificate(hosts, directory.resolve("chain.pem"), directory.resolve("key.pem"),
                    clock.now.plus(lifetime));
        }

        synchronized int count() {
            return requests.size();
        }
    }

    @TempDir
    Path home;

    private final TestClock clock = new TestClock();
    private AppCatalog apps;
    private Certificates certificates;
    private TestIssuer selfsigned;
    private final AtomicInteger issuedEvents = new AtomicInteger();

    @BeforeEach
    void setUp() throws IOException {
        apps = new AppCatalog(new PlatformSettings(home, "example.test"), clock);
        apps.create(SHOP);
        certificates = new Certificates(apps, home, clock, "");
        certificates.onIssued(issuedEvents::incrementAndGet);
        selfsigned = new TestIssuer("selfsigned", false, clock);
        certificates.addIssuer(selfsigned, Map.of(CertificateIssuer.NAME_PROPERTY, "selfsigned"));
    }

    @AfterEach
    void tearDown() {
        certificates.deactivate();
    }

    @Test
    void aServedAppGetsACertificateInTheBackgroundAndTheRoutesAreTold() throws Exception {
        assertTrue(certificates.serving(SHOP).isEmpty());
        certificates.routed(Map.of(SHOP, HOSTS));
        await(() -> certificates.serving(SHOP).isPresent());
        await(() -> issuedEvents.get() == 1);
        TlsCertificate cert = certificates.serving(SHOP).orElseThrow();
        assertEquals("selfsigned [shop.example.test, www.shop.test]", Files.readString(cert.certificateChain()));
        CertificateStatus status = certificates.status(SHOP);
        assertEquals("selfsigned", status.issuer().orElseThrow());
        assertEquals(HOSTS, status.hosts());
        assertEquals(clock.now.plus(Duration.ofDays(90)), status.notAfter().orElseThrow());
        assertEquals(clock.now.plus(Duration.ofDays(60)), status.renewAfter().orElseThrow());
        assertFalse(certificates.due(SHOP), "a fresh certificate is not due");
        assertEquals(1, selfsigned.count());
    }

    @Test
    void aNewHostNameOrAnotherIssuerOrTheRenewalPeriodMakesItDue() throws Exception {
        routedShop();
        assertFalse(certificates.due(SHOP));

        certificates.routed(Map.of(SHOP, List.of("shop.example.test", "www.shop.test", "api.shop.test")));
        await(() -> selfsigned.count() == 2);
        await(() -> certificates.status(SHOP).hosts().contains("api.shop.test"));

        clock.now = clock.now.plus(Duration.ofDays(59));
        assertFalse(certificates.due(SHOP), "59 days into 90, with renewal 30 days before expiry");
        clock.now = clock.now.plus(Duration.ofDays(2));
        assertTrue(certificates.due(SHOP), "within 30 days of expiry");

        TestIssuer acme = new TestIssuer("acme", true, clock);
        certificates.addIssuer(acme, Map.of(CertificateIssuer.NAME_PROPERTY, "acme", "service.ranking", 10));
        await(() -> acme.count() == 1);
        await(() -> "acme".equals(certificates.status(SHOP).issuer().orElse("")));
    }

    @Test
    void onlyTheServingAndThePreviousCertificateAreKept() throws Exception {
        routedShop();
        for (int i = 0; i < 4; i++) {
            clock.now = clock.now.plusSeconds(1);
            certificates.renew(SHOP);
        }
        try (var dirs = Files.list(home.resolve("apps/shop/tls"))) {
            assertEquals(2, dirs.filter(Files::isDirectory).count());
        }
        assertTrue(Files.readString(certificates.serving(SHOP).orElseThrow().privateKey()).endsWith(" 5"));
    }

    @Test
    void aFailureIsKeptShownAndRetriedLaterWhileThePreviousCertificateServes() throws Exception {
        routedShop();
        TlsCertificate before = certificates.serving(SHOP).orElseThrow();
        selfsigned.failWith = "Challenge for shop.example.test failed: connection refused";

        CertificateException e = assertThrows(CertificateException.class, () -> certificates.renew(SHOP));
        assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
        assertEquals(before, certificates.serving(SHOP).orElseThrow(), "the previous certificate keeps serving");
        CertificateStatus status = certificates.status(SHOP);
        assertEquals("Challenge for shop.example.test failed: connection refused", status.failure().orElseThrow());
        assertEquals(1, status.failures());
        assertEquals(clock.now.plus(Duration.ofMinutes(1)), status.nextAttempt().orElseThrow());
        try (var dirs = Files.list(home.resolve("apps/shop/tls"))) {
            assertEquals(1, dirs.filter(Files::isDirectory).count(), "a failed attempt leaves no files");
        }

        clock.now = clock.now.plus(Duration.ofDays(70));
        assertThrows(CertificateException.class, () -> certificates.renew(SHOP));
        assertEquals(2, certificates.status(SHOP).failures());
        assertEquals(clock.now.plus(Duration.ofMinutes(5)), certificates.status(SHOP).nextAttempt().orElseThrow(),
                "the delay grows");
        assertFalse(certificates.due(SHOP), "not before the next attempt");
        clock.now = clock.now.plus(Duration.ofMinutes(5));
        assertTrue(certificates.due(SHOP));

        selfsigned.failWith = null;
        certificates.renew(SHOP);
        assertTrue(certificates.status(SHOP).failure().isEmpty());
        assertEquals(0, certificates.status(SHOP).failures());
    }

    @Test
    void theRedirectFollowsTheIssuerUnlessTheAppSaysOtherwise() throws Exception {
        assertFalse(certificates.redirects(SHOP, Map.of(Certificates.REDIRECT_VARIABLE, "true")),
                "no certificate, no redirect");
        routedShop();
        assertFalse(certificates.redirects(SHOP, Map.of()), "a self-signed certificate does not redirect by default");
        assertTrue(certificates.redirects(SHOP, Map.of(Certificates.REDIRECT_VARIABLE, "on")));

        TestIssuer acme = new TestIssuer("acme", true, clock);
        certificates.addIssuer(acme, Map.of(CertificateIssuer.NAME_PROPERTY, "acme", "service.ranking", 10));
        certificates.renew(SHOP);
        assertTrue(certificates.redirects(SHOP, Map.of()), "a trusted certificate redirects by default");
        assertFalse(certificates.redirects(SHOP, Map.of(Certificates.REDIRECT_VARIABLE, "0")));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> Certificates.checkRedirectSetting("maybe"));
        assertTrue(bad.getMessage().contains("HOP3_HTTPS_REDIRECT must be true or false"), bad.getMessage());
    }

    @Test
    void renewingNeedsAServedAppAndAnIssuer() throws Exception {
        IllegalStateException notServed = assertThrows(IllegalStateException.class, () -> certificates.renew(SHOP));
        assertTrue(notServed.getMessage().contains("is not served"), notServed.getMessage());
        assertThrows(java.util.NoSuchElementException.class, () -> certificates.renew(AppName.of("nope")));

        certificates.removeIssuer(selfsigned, Map.of());
        certificates.routed(Map.of(SHOP, HOSTS));
        CertificateException none = assertThrows(CertificateException.class, () -> certificates.renew(SHOP));
        assertTrue(none.getMessage().contains("feature:install hop3-tls-selfsigned"), none.getMessage());
        assertTrue(certificates.status(SHOP).failure().orElseThrow().contains("No certificate issuer is installed"));
    }

    @Test
    void aCertificateThatComesDueWhileNoIssuerIsThereIsReportedAsFailing() throws Exception {
        routedShop();
        certificates.removeIssuer(selfsigned, Map.of());
        assertFalse(certificates.due(SHOP));
        clock.now = clock.now.plus(Duration.ofDays(61));
        assertTrue(certificates.due(SHOP), "due for renewal, and no issuer to renew it");
        assertThrows(CertificateException.class, () -> certificates.renew(SHOP));
        CertificateStatus status = certificates.status(SHOP);
        assertTrue(status.failure().isPresent());
        assertTrue(certificates.serving(SHOP).isPresent(), "the certificate keeps serving until it expires");
    }

    @Test
    void challengeAnswersAreFilesInTheDirectoryTheRoutesServe() throws Exception {
        IssuerSupport support = new IssuerSupport(home);
        support.publishChallenge("tok_EN-1", "tok_EN-1.thumbprint");
        Path file = certificates.challengeDirectory().resolve("tok_EN-1");
        assertEquals("tok_EN-1.thumbprint", Files.readString(file));
        support.withdrawChallenge("tok_EN-1");
        assertFalse(Files.exists(file));
        assertThrows(IllegalArgumentException.class, () -> support.publishChallenge("../escape", "x"));
        assertThrows(IllegalArgumentException.class, () -> support.publishChallenge("a.b", "x"));
        support.withdrawChallenge("../../apps");
        assertTrue(Files.isDirectory(home.resolve("apps")));
    }

    @Test
    void issuersGetAPrivateStateDirectory() throws Exception {
        IssuerSupport support = new IssuerSupport(home);
        Path dir = support.stateDirectory("acme");
        assertEquals(home.resolve("tls/acme"), dir);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertThrows(IllegalArgumentException.class, () -> support.stateDirectory("../apps"));
        assertThrows(IllegalArgumentException.class, () -> support.stateDirectory("challenges"));
    }

    @Test
    void aDestroyedAppsCertificatesGoWithIt() throws Exception {
        routedShop();
        apps.destroy(SHOP, false);
        assertFalse(Files.exists(home.resolve("apps/shop/tls")));
    }

    /** Serves shop and waits for its first certificate. */
    private void routedShop() throws InterruptedException {
        certificates.routed(Map.of(SHOP, HOSTS));
        await(() -> certificates.serving(SHOP).isPresent());
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(10);
        }
    }
}
