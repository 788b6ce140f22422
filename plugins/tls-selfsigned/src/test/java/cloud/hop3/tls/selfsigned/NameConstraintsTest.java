package cloud.hop3.tls.selfsigned;

import static cloud.hop3.tls.selfsigned.Openssl.openssl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.app.HostName;
import cloud.hop3.api.tls.CertificateException;
import cloud.hop3.api.tls.IssuedCertificate;
import cloud.hop3.plugin.support.pem.Pem;

/**
 * The local CA is trusted for its own names only: a certificate for any other site, even one
 * signed with the CA's key (as whoever stole the key could make), fails verification by the real
 * openssl; one for a name inside verifies.
 */
class NameConstraintsTest {

    @TempDir
    Path temp;


    /** A server certificate for {@code host} signed with the CA's key, whatever the issuer would allow. */
    private Path signedWithTheCaKey(LocalCertificateAuthority ca, String host) throws Exception {
        KeyPair keys = Certificates.newKeyPair();
        Instant now = Instant.now();
        X509Certificate leaf = Certificates.server(ca.authority(), keys.getPublic(), List.of(host),
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
        Path file = temp.resolve(host + ".pem");
        Files.writeString(file, Pem.certificates(leaf));
        return file;
    }

    private static Openssl.Result verify(LocalCertificateAuthority ca, Path leaf, String host) throws Exception {
        return openssl("verify", "-CAfile", ca.certificateFile().toString(), "-purpose", "sslserver",
                "-verify_hostname", host, leaf.toString());
    }

    @Test
    void opensslRefusesACertificateForANameOutsideTheCaEvenSignedWithItsKey() throws Exception {
        LocalCertificateAuthority ca = new LocalCertificateAuthority(temp.resolve("ca"), "paas.example.org");

        for (String outside : List.of("www.example.com", "accounts.google.com", "example.org", "evilpaas.example.org")) {
            Openssl.Result result = verify(ca, signedWithTheCaKey(ca, outside), outside);
            assertNotEquals(0, result.exit(), outside + ": " + result.output());
            assertTrue(result.output().contains("subtree violation"), outside + ": " + result.output());
        }
        for (String inside : List.of("shop.paas.example.org", "paas.example.org", "shop.localhost", "www.shop.test",
                "printer.home.arpa", "wiki.corp.internal", "nas.local")) {
            Openssl.Result result = verify(ca, signedWithTheCaKey(ca, inside), inside);
            assertEquals(0, result.exit(), inside + ": " + result.output());
        }
    }

    @Test
    void theCaCertificateNamesItsScopeAsACriticalExtension() throws Exception {
        LocalCertificateAuthority ca = new LocalCertificateAuthority(temp.resolve("ca"), "paas.example.org");
        ca.certificatePem();

        Openssl.Result text = openssl("x509", "-in", ca.certificateFile().toString(), "-noout", "-ext", "nameConstraints");

        assertEquals(0, text.exit(), text.output());
        assertTrue(text.output().contains("X509v3 Name Constraints: critical"), text.output());
        for (String name : List.of("localhost", "test", "local", "home.arpa", "internal", "paas.example.org")) {
            assertTrue(text.output().contains("DNS:" + name + "\n"), name + " in " + text.output());
        }
    }

    @Test
    void theIssuerRefusesNamesOutsideAndSaysWhatToDo() throws Exception {
        SelfSignedIssuer issuer = Fixtures.issuer(temp.resolve("state"), "paas.example.org", 90, 30);
        Path directory = temp.resolve("app");

        CertificateException e = assertThrows(CertificateException.class, () -> issuer.issue(
                Set.of(HostName.of("shop.paas.example.org"), HostName.of("www.shop.com")), directory));

        assertTrue(e.getMessage().contains("www.shop.com is outside"), e.getMessage());
        assertTrue(e.getMessage().contains("ACME"), e.getMessage());
        assertFalse(Files.exists(directory.resolve(SelfSignedIssuer.CHAIN)), "no certificate written");
        IssuedCertificate issued = issuer.issue(Set.of(HostName.of("shop.paas.example.org")), directory);
        assertEquals(0, openssl("verify", "-CAfile", temp.resolve("state/selfsigned/ca.pem").toString(),
                "-verify_hostname", "shop.paas.example.org", issued.certificateChain().toString()).exit());
    }

    /**
     * A CA made before name constraints is kept on upgrade (clients trust it; replacing it would
     * break them), and still signs any name, until the operator replaces it.
     */
    @Test
    void aCaOfAnEarlierVersionIsKeptAndStillSigns() throws Exception {
        Path directory = temp.resolve("state/selfsigned");
        Files.createDirectories(directory);
        KeyPair keys = Certificates.newKeyPair();
        X500Name name = new X500Name("CN=Hop3 local CA old");
        Instant now = Instant.now();
        X509Certificate old = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.TEN, Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(900))), name,
                keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        Files.writeString(directory.resolve(LocalCertificateAuthority.KEY), Pem.privateKey(keys.getPrivate()));
        Files.writeString(directory.resolve(LocalCertificateAuthority.CERTIFICATE), Pem.certificates(old));

        IssuedCertificate issued = Fixtures.issuer(temp.resolve("state"), 90, 30)
                .issue(Set.of(HostName.of("www.shop.com")), temp.resolve("app"));

        assertEquals(Pem.certificates(old), Files.readString(directory.resolve(LocalCertificateAuthority.CERTIFICATE)));
        assertEquals(old, Fixtures.certificates(issued.certificateChain()).get(1));
    }
}
