package cloud.hop3.tls.acme;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.app.HostName;
import cloud.hop3.api.tls.CertificateException;
import cloud.hop3.api.tls.IssuedCertificate;
import cloud.hop3.plugin.testkit.PebbleServer;

/** The ACME issuer against the real Pebble server, validating challenges served by {@link ChallengeServer}. */
class AcmeIssuerTest {

    @TempDir
    static Path shared;
    static ChallengeServer challenges;
    static PebbleServer pebble;

    @TempDir
    Path work;

    @BeforeAll
    static void startPebble() throws Exception {
        challenges = new ChallengeServer(shared.resolve("state"));
        pebble = PebbleServer.start(shared.resolve("pebble"), challenges.port());
    }

    @AfterAll
    static void stopPebble() {
        if (pebble != null) {
            pebble.close();
        }
        if (challenges != null) {
            challenges.close();
        }
    }

    @BeforeEach
    void freshPlatform() {
        challenges.useStateRoot(work.resolve("state"));
        challenges.answerWrongly = false;
        challenges.stall = null;
        challenges.published.clear();
        challenges.withdrawn.clear();
        challenges.requested.clear();
    }

    private AcmeIssuer issuer(TestConfig config) {
        return new AcmeIssuer(config, challenges);
    }

    @Test
    void issuesACertificateForTwoHostsThatChainsToTheAuthoritysRoot() throws Exception {
        Path directory = work.resolve("certs/shop");
        Instant start = Instant.now();
        IssuedCertificate issued = issuer(TestConfig.pebble(pebble))
                .issue(hosts("shop.example.com", "www.shop.example.com"), directory);
        System.out.println("Pebble issued a certificate for two hosts (new account) in "
                + Duration.between(start, Instant.now()).toMillis() + " ms");

        assertEquals(hosts("shop.example.com", "www.shop.example.com"), issued.hosts());
        assertEquals(directory.resolve("chain.pem"), issued.certificateChain());
        assertEquals(directory.resolve("key.pem"), issued.privateKey());
        List<X509Certificate> chain = certificates(issued.certificateChain());
        X509Certificate leaf = chain.get(0);
        assertEquals(Set.of("shop.example.com", "www.shop.example.com"), dnsNames(leaf));
        assertEquals(leaf.getNotAfter().toInstant(), issued.notAfter());
        assertTrue(issued.notAfter().isAfter(Instant.now().plus(Duration.ofDays(1))), "expires " + issued.notAfter());

        // the chain is the certificate, then Pebble's intermediate, and it verifies against Pebble's root
        assertEquals(2, chain.size(), "certificate and intermediate");
        assertEquals(pebble.intermediate(), chain.get(1));
        PKIXParameters pkix = new PKIXParameters(Set.of(new TrustAnchor(pebble.root(), null)));
        pkix.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), pkix);

        // key.pem is the PKCS#8 key of that certificate, readable by its owner only
        String keyPem = Files.readString(issued.privateKey());
        assertTrue(keyPem.startsWith("-----BEGIN PRIVATE KEY-----\n"), keyPem);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(issued.privateKey())));
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder()
                .decode(keyPem.replaceAll("-----[A-Z ]+-----", ""))));
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update("hop3".getBytes(StandardCharsets.US_ASCII));
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(leaf.getPublicKey());
        verifier.update("hop3".getBytes(StandardCharsets.US_ASCII));
        assertTrue(verifier.verify(signature), "key.pem is the certificate's key");

        // one challenge per host was answered, and none is served any more
        assertEquals(2, challenges.withdrawn.stream().distinct().filter(challenges.published::contains).count());
        assertTrue(challenges.served().isEmpty(), "still served: " + challenges.served());
    }

    @Test
    void theAccountIsRegisteredOnceAndReusedAfterARestart() throws Exception {
        issuer(TestConfig.pebble(pebble)).issue(hosts("blog.example.com"), work.resolve("certs/blog"));
        Path state = work.resolve("state/acme");
        byte[] accountKey = Files.readAllBytes(state.resolve(AcmeAccount.KEY_FILE));
        String accounts = Files.readString(state.resolve(AcmeAccount.ACCOUNTS_FILE));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve(AcmeAccount.KEY_FILE))));
        assertTrue(accounts.contains(pebble.directoryUrl().replace(":", "\\:")), accounts);

        // a new instance, as after a restart of the platform, with the same state directory
        Instant start = Instant.now();
        IssuedCertificate again = issuer(TestConfig.pebble(pebble)).issue(hosts("blog.example.com"), work.resolve("certs/blog2"));
        System.out.println("Pebble issued a certificate for one host (known account) in "
                + Duration.between(start, Instant.now()).toMillis() + " ms");

        assertArrayEquals(accountKey, Files.readAllBytes(state.resolve(AcmeAccount.KEY_FILE)), "the account key is kept");
        assertEquals(accounts.lines().filter(l -> !l.startsWith("#")).toList(),
                Files.readString(state.resolve(AcmeAccount.ACCOUNTS_FILE)).lines().filter(l -> !l.startsWith("#")).toList(),
                "no second account is registered");
        assertEquals(Set.of("blog.example.com"), dnsNames(certificates(again.certificateChain()).get(0)));
        try (var files = Files.list(state)) {
            assertEquals(Set.of(AcmeAccount.KEY_FILE, AcmeAccount.ACCOUNTS_FILE),
                    new TreeSet<>(files.map(f -> f.getFileName().toString()).toList()));
        }
    }

    @Test
    void aFailedChallengeGivesTheAuthoritysReasonAndLeavesNoFiles() throws Exception {
        challenges.answerWrongly = true;
        Path directory = work.resolve("certs/bad");

        CertificateException failure = assertThrows(CertificateException.class,
                () -> issuer(TestConfig.pebble(pebble)).issue(hosts("bad.example.com"), directory));

        assertTrue(failure.getMessage().startsWith("Challenge for bad.example.com failed: "), failure.getMessage());
        assertTrue(failure.getMessage().contains("not-the-key-authorization"), "Pebble's detail: " + failure.getMessage());
        assertFalse(Files.exists(directory), "no certificate files");
        assertTrue(challenges.served().isEmpty(), "still served: " + challenges.served());
        assertFalse(challenges.withdrawn.isEmpty());
    }

    @Test
    void aChallengeThatTakesTooLongFailsAtTheTimeout() throws Exception {
        CountDownLatch stall = new CountDownLatch(1);
        challenges.stall = stall;
        Path directory = work.resolve("certs/slow");
        try {
            Instant start = Instant.now();
            CertificateException failure = assertThrows(CertificateException.class, () -> issuer(
                    TestConfig.pebble(pebble).withChallengeTimeoutSeconds(2)).issue(hosts("slow.example.com"), directory));

            assertTrue(failure.getMessage().startsWith("Challenge for slow.example.com did not complete within 2 s (status "),
                    failure.getMessage());
            Duration took = Duration.between(start, Instant.now());
            assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "gave up after " + took);
        } finally {
            stall.countDown();
        }
        assertTrue(challenges.served().isEmpty(), "still served: " + challenges.served());
        assertFalse(Files.exists(directory));
    }

    @Test
    void anInterruptStopsTheIssuanceAndWithdrawsTheChallenges() throws Exception {
        CountDownLatch stall = new CountDownLatch(1);
        challenges.stall = stall;
        AcmeIssuer issuer = issuer(TestConfig.pebble(pebble));
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                issuer.issue(hosts("stopped.example.com"), work.resolve("certs/stopped"));
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        }, "issuer");
        try {
            thread.start();
            // interrupted while it waits for the authority's validation, which the stalled
            // challenge server holds: the authority has asked for the challenge, so the issuer has
            // published and triggered it
            Instant deadline = Instant.now().plusSeconds(20);
            while (challenges.requested.stream().noneMatch(challenges.served()::containsKey) && Instant.now().isBefore(deadline)
                    && !outcome.isDone()) {
                Thread.sleep(20);
            }
            assertTrue(challenges.requested.stream().anyMatch(challenges.served()::containsKey),
                    "the authority asked for the published challenge; outcome: " + outcome.getNow(null));
            Instant interrupted = Instant.now();
            thread.interrupt();

            Throwable result;
            try {
                result = outcome.get(30, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("the issuance still runs 30 s after the interrupt, at:\n"
                        + Arrays.stream(thread.getStackTrace()).map(frame -> "\tat " + frame).collect(Collectors.joining("\n")), e);
            }
            assertTrue(result instanceof InterruptedException, "outcome: " + result);
            System.out.println("Issuance stopped " + Duration.between(interrupted, Instant.now()).toMillis()
                    + " ms after the interrupt");
        } finally {
            stall.countDown();
            thread.join(10_000);
        }
        assertTrue(challenges.served().isEmpty(), "still served: " + challenges.served());
        assertFalse(Files.exists(work.resolve("certs/stopped")));
    }

    @Test
    void aMalformedDirectoryUrlIsReportedWithTheSettingToFix() {
        AcmeIssuer issuer = issuer(TestConfig.pebble(pebble).withDirectoryUrl("acme-v02.api.letsencrypt.org directory"));

        CertificateException failure = assertThrows(CertificateException.class,
                () -> issuer.issue(hosts("shop.example.com"), work.resolve("certs")));

        assertTrue(failure.getMessage().startsWith("The ACME issuer is misconfigured: directoryUrl 'acme-v02.api.letsencrypt.org"
                + " directory' of cloud.hop3.tls.acme is not the https:// URL of an ACME directory"), failure.getMessage());
        assertEquals("acme", issuer.name());
        assertFalse(Files.exists(work.resolve("certs")));
    }

    @Test
    void anAuthorityThatCannotBeReachedIsSaidSo() throws Exception {
        String closed = "https://localhost:" + PebbleServer.freeTcpPort() + "/dir";

        CertificateException failure = assertThrows(CertificateException.class,
                () -> issuer(TestConfig.pebble(pebble).withDirectoryUrl(closed)).issue(hosts("shop.example.com"), work.resolve("c")));

        assertEquals("Cannot reach the ACME authority at " + closed + ": connection refused", failure.getMessage());
    }

    @Test
    void anAuthorityWhoseCertificateIsNotTrustedIsSaidSo() {
        TestConfig withoutTrustStore = new TestConfig(pebble.directoryUrl(), "", true, "", 30, 30, 30);

        CertificateException failure = assertThrows(CertificateException.class,
                () -> issuer(withoutTrustStore).issue(hosts("shop.example.com"), work.resolve("c")));

        assertTrue(failure.getMessage().startsWith("Cannot reach the ACME authority at " + pebble.directoryUrl()
                + ": its HTTPS certificate is not trusted"), failure.getMessage());
        assertTrue(failure.getMessage().contains("set trustStore in etc/cloud.hop3.tls.acme.cfg"), failure.getMessage());
    }

    @Test
    void noAccountIsRegisteredUntilTheTermsOfServiceAreAccepted() {
        CertificateException failure = assertThrows(CertificateException.class,
                () -> issuer(TestConfig.pebble(pebble).withAcceptTerms(false)).issue(hosts("shop.example.com"), work.resolve("c")));

        assertTrue(failure.getMessage().contains("asks to agree to its terms of service"), failure.getMessage());
        assertTrue(failure.getMessage().contains("set acceptTerms = true in etc/cloud.hop3.tls.acme.cfg"), failure.getMessage());
        assertFalse(Files.exists(work.resolve("state/acme/" + AcmeAccount.ACCOUNTS_FILE)));
    }

    @Test
    void isAPubliclyTrustedIssuerNamedAcme() {
        AcmeIssuer issuer = issuer(TestConfig.pebble(pebble));
        assertEquals("acme", issuer.name());
        assertTrue(issuer.publiclyTrusted());
        assertEquals(Duration.ofDays(30), issuer.renewBefore());
    }

    private static List<X509Certificate> certificates(Path pem) throws Exception {
        List<X509Certificate> certificates = new ArrayList<>();
        try (var in = new ByteArrayInputStream(Files.readAllBytes(pem))) {
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) certificate);
            }
        }
        return certificates;
    }

    private static Set<String> dnsNames(X509Certificate certificate) throws Exception {
        Set<String> names = new TreeSet<>();
        for (List<?> name : certificate.getSubjectAlternativeNames()) {
            if (Integer.valueOf(2).equals(name.get(0))) {
                names.add((String) name.get(1));
            }
        }
        return names;
    }

    private static Set<HostName> hosts(String... names) {
        return java.util.stream.Stream.of(names).map(HostName::of).collect(java.util.stream.Collectors.toSet());
    }
}
