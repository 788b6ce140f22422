package cloud.hop3.tls.selfsigned;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.security.PrivateKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.app.HostName;
import cloud.hop3.api.tls.CertificateException;
import cloud.hop3.api.tls.IssuedCertificate;
import cloud.hop3.plugin.support.pem.Pem;

class SelfSignedIssuerTest {

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

    @TempDir
    Path temp;

    private Path state() {
        return temp.resolve("state");
    }

    private Path caDirectory() {
        return state().resolve("selfsigned");
    }

    private static Set<HostName> hosts(String... names) {
        return Stream.of(names).map(HostName::of).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    @Test
    void theIssuerIsNamedSelfsignedAndNotPubliclyTrusted() {
        SelfSignedIssuer issuer = Fixtures.issuer(state(), 90, 30);
        assertEquals("selfsigned", issuer.name());
        assertFalse(issuer.publiclyTrusted());
        assertEquals(Duration.ofDays(30), issuer.renewBefore());
        assertEquals(Duration.ofDays(5), Fixtures.issuer(state(), 20, 5).renewBefore());
    }

    @Test
    void aRenewBeforeNotShorterThanTheValidityFallsBackToAThird() {
        assertEquals(Duration.ofDays(10), Fixtures.issuer(state(), 30, 30).renewBefore());
        assertEquals(Duration.ofDays(30), Fixtures.issuer(state(), 0, 30).renewBefore());
    }

    @Test
    void theCaIsCreatedOnceAndReusedByAnotherIssuerOnTheSameDirectory() throws Exception {
        IssuedCertificate first = Fixtures.issuer(state(), 90, 30).issue(hosts("a.example.test"), temp.resolve("a"));
        byte[] caPem = Files.readAllBytes(caDirectory().resolve("ca.pem"));
        byte[] caKey = Files.readAllBytes(caDirectory().resolve("ca-key.pem"));

        IssuedCertificate second = Fixtures.issuer(state(), 90, 30).issue(hosts("b.example.test"), temp.resolve("b"));

        assertArrayEquals(caPem, Files.readAllBytes(caDirectory().resolve("ca.pem")));
        assertArrayEquals(caKey, Files.readAllBytes(caDirectory().resolve("ca-key.pem")));
        X509Certificate ca = Fixtures.certificates(caDirectory().resolve("ca.pem")).get(0);
        assertEquals(ca, Fixtures.certificates(first.certificateChain()).get(1));
        assertEquals(ca, Fixtures.certificates(second.certificateChain()).get(1));
        verify(Fixtures.certificates(second.certificateChain()).get(0), ca);
        assertEquals("rw-------", permissions(caDirectory().resolve("ca-key.pem")));
    }

    @Test
    void theCaIsALongLivedP256AuthorityNamedAfterTheHost() throws Exception {
        Fixtures.issuer(state(), 90, 30).issue(hosts("a.example.test"), temp.resolve("a"));
        X509Certificate ca = Fixtures.certificates(caDirectory().resolve("ca.pem")).get(0);

        assertTrue(ca.getSubjectX500Principal().getName().startsWith("CN=Hop3 local CA "), ca.getSubjectX500Principal().getName());
        assertEquals(ca.getSubjectX500Principal(), ca.getIssuerX500Principal());
        assertEquals(Integer.MAX_VALUE, ca.getBasicConstraints());
        boolean[] usage = ca.getKeyUsage();
        assertTrue(usage[5] && usage[6], "keyCertSign and cRLSign");
        assertFalse(usage[0], "no digitalSignature");
        assertEquals("secp256r1 [NIST P-256,X9.62 prime256v1] (1.2.840.10045.3.1.7)",
                ((ECPublicKey) ca.getPublicKey()).getParams().toString());
        long days = Duration.between(Instant.now(), ca.getNotAfter().toInstant()).toDays();
        assertTrue(days >= 3649 && days <= 3650, days + " days");
        ca.verify(ca.getPublicKey());
    }

    @Test
    void theCertificateVerifiesAgainstTheCaAndNamesEveryHost() throws Exception {
        Instant before = Instant.now();
        IssuedCertificate issued = Fixtures.issuer(state(), 90, 30)
                .issue(hosts("shop.example.test", "api.shop.example.test", "www.shop.example.test"), temp.resolve("shop"));

        assertEquals(temp.resolve("shop/chain.pem"), issued.certificateChain());
        assertEquals(temp.resolve("shop/key.pem"), issued.privateKey());
        List<X509Certificate> chain = Fixtures.certificates(issued.certificateChain());
        assertEquals(2, chain.size(), "the certificate, then the CA's");
        X509Certificate leaf = chain.get(0);
        X509Certificate ca = Fixtures.certificates(caDirectory().resolve("ca.pem")).get(0);
        verify(leaf, ca);

        assertEquals("CN=shop.example.test", leaf.getSubjectX500Principal().getName());
        assertEquals(Set.of("shop.example.test", "api.shop.example.test", "www.shop.example.test"),
                leaf.getSubjectAlternativeNames().stream().filter(n -> (Integer) n.get(0) == 2)
                        .map(n -> (String) n.get(1)).collect(Collectors.toSet()));
        assertEquals(List.of(SERVER_AUTH), leaf.getExtendedKeyUsage());
        assertEquals(-1, leaf.getBasicConstraints(), "not a CA");
        assertTrue(leaf.getKeyUsage()[0], "digitalSignature");

        Instant notBefore = leaf.getNotBefore().toInstant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        assertTrue(!notBefore.isAfter(before.minus(Duration.ofMinutes(59))) && notBefore.isAfter(before.minus(Duration.ofMinutes(61))),
                "not before about an hour ago: " + notBefore);
        assertEquals(issued.notAfter(), notAfter);
        assertEquals(90, Duration.between(before, notAfter).plusMinutes(1).toDays());
        assertEquals(hosts("shop.example.test", "api.shop.example.test", "www.shop.example.test"), issued.hosts());
    }

    @Test
    void theKeyFileIsPrivateAndMatchesTheCertificate() throws Exception {
        IssuedCertificate issued = Fixtures.issuer(state(), 90, 30).issue(hosts("a.example.test"), temp.resolve("a"));

        assertEquals("rw-------", permissions(issued.privateKey()));
        assertTrue(Files.readString(issued.privateKey()).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        PrivateKey key = Pem.privateKey(java.nio.file.Files.readString(issued.privateKey()));
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(Fixtures.certificates(issued.certificateChain()).get(0).getPublicKey());
        verifier.update(new byte[] {1, 2, 3});
        assertTrue(verifier.verify(signature));
    }

    @Test
    void eachIssueMakesAFreshKey() throws Exception {
        SelfSignedIssuer issuer = Fixtures.issuer(state(), 90, 30);
        IssuedCertificate first = issuer.issue(hosts("a.example.test"), temp.resolve("1"));
        IssuedCertificate second = issuer.issue(hosts("a.example.test"), temp.resolve("2"));
        assertNotEquals(Files.readString(first.privateKey()), Files.readString(second.privateKey()));
        assertNotEquals(Fixtures.certificates(first.certificateChain()).get(0).getSerialNumber(),
                Fixtures.certificates(second.certificateChain()).get(0).getSerialNumber());
    }

    @Test
    void theValidityIsConfigurable() throws Exception {
        Instant before = Instant.now();
        IssuedCertificate issued = Fixtures.issuer(state(), 7, 2).issue(hosts("a.example.test"), temp.resolve("a"));
        assertEquals(7, Duration.between(before, issued.notAfter()).plusMinutes(1).toDays());
    }

    @Test
    void noHostIsRefusedAndNothingIsWritten() {
        SelfSignedIssuer issuer = Fixtures.issuer(state(), 90, 30);
        CertificateException e = assertThrows(CertificateException.class, () -> issuer.issue(hosts(), temp.resolve("bad")));
        assertTrue(e.getMessage().contains("No host names"), e.getMessage());
        assertFalse(Files.exists(temp.resolve("bad")));
        assertFalse(Files.exists(caDirectory().resolve("ca.pem")), "no CA made for a refused request");
    }

    @Test
    void twoConcurrentFirstIssuesMakeOneCa() throws Exception {
        for (int round = 0; round < 5; round++) {
            Path root = temp.resolve("round" + round);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Callable<IssuedCertificate>> tasks = List.of(
                        () -> {
                            start.await();
                            return Fixtures.issuer(root, 90, 30).issue(hosts("a.example.test"), root.resolve("a"));
                        },
                        () -> {
                            start.await();
                            return Fixtures.issuer(root, 90, 30).issue(hosts("b.example.test"), root.resolve("b"));
                        });
                List<Future<IssuedCertificate>> results = tasks.stream().map(threads::submit).toList();
                start.countDown();
                IssuedCertificate a = results.get(0).get(30, TimeUnit.SECONDS);
                IssuedCertificate b = results.get(1).get(30, TimeUnit.SECONDS);

                X509Certificate ca = Fixtures.certificates(root.resolve("selfsigned/ca.pem")).get(0);
                verify(Fixtures.certificates(a.certificateChain()).get(0), ca);
                verify(Fixtures.certificates(b.certificateChain()).get(0), ca);
                assertEquals(ca, Fixtures.certificates(a.certificateChain()).get(1));
                assertEquals(ca, Fixtures.certificates(b.certificateChain()).get(1));
                try (var files = Files.list(root.resolve("selfsigned"))) {
                    assertEquals(Set.of("ca.pem", "ca-key.pem", "ca.lock"),
                            files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()), "no temporary files left");
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }

    /** PKIX path validation with the CA as the only trust anchor (no revocation: a local CA has no CRL). */
    static void verify(X509Certificate leaf, X509Certificate ca) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX")
                .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), parameters);
    }

    @Test
    void aCertificateDoesNotVerifyAgainstAnotherCa() throws Exception {
        IssuedCertificate issued = Fixtures.issuer(state(), 90, 30).issue(hosts("a.example.test"), temp.resolve("a"));
        Fixtures.issuer(temp.resolve("other"), 90, 30).issue(hosts("a.example.test"), temp.resolve("b"));
        X509Certificate otherCa = Fixtures.certificates(temp.resolve("other/selfsigned/ca.pem")).get(0);
        assertThrows(CertPathValidatorException.class,
                () -> verify(Fixtures.certificates(issued.certificateChain()).get(0), otherCa));
    }

    static String permissions(Path file) throws Exception {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
