package cloud.hop3.tls.selfsigned;

import static cloud.hop3.tls.selfsigned.Openssl.openssl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.app.HostName;
import cloud.hop3.api.tls.IssuedCertificate;

/** What the files look like to the real openssl, the way proxies and users check them. */
class OpensslTest {

    @TempDir
    Path temp;


    private IssuedCertificate issue(Path state, String... hosts) throws Exception {
        return Fixtures.issuer(state, 90, 30).issue(Stream.of(hosts).map(HostName::of).collect(Collectors.toCollection(LinkedHashSet::new)), state.resolve("app"));
    }

    @Test
    void opensslVerifiesTheCertificateForATlsServerAgainstCaPem() throws Exception {
        IssuedCertificate issued = issue(temp.resolve("state"), "shop.example.test", "www.shop.example.test");
        Path ca = temp.resolve("state/selfsigned/ca.pem");

        Openssl.Result verify = openssl("verify", "-CAfile", ca.toString(), "-purpose", "sslserver",
                "-verify_hostname", "www.shop.example.test", issued.certificateChain().toString());
        assertEquals(0, verify.exit(), verify.output());
        assertEquals(issued.certificateChain() + ": OK", verify.output().strip());
    }

    @Test
    void opensslRefusesTheCertificateAgainstAnotherCa() throws Exception {
        IssuedCertificate issued = issue(temp.resolve("state"), "shop.example.test");
        issue(temp.resolve("other"), "shop.example.test");
        Openssl.Result verify = openssl("verify", "-CAfile", temp.resolve("other/selfsigned/ca.pem").toString(),
                issued.certificateChain().toString());
        assertNotEquals(0, verify.exit(), verify.output());
    }

    @Test
    void opensslReadsTheKeyAsTheCertificatesKey() throws Exception {
        IssuedCertificate issued = issue(temp.resolve("state"), "shop.example.test");
        Openssl.Result fromKey = openssl("pkey", "-in", issued.privateKey().toString(), "-pubout");
        Openssl.Result fromCertificate = openssl("x509", "-in", issued.certificateChain().toString(), "-noout", "-pubkey");
        assertEquals(0, fromKey.exit(), fromKey.output());
        assertEquals(0, fromCertificate.exit(), fromCertificate.output());
        assertEquals(fromCertificate.output(), fromKey.output());
    }

    @Test
    void opensslSeesALocalCa() throws Exception {
        issue(temp.resolve("state"), "shop.example.test");
        Openssl.Result text = openssl("x509", "-in", temp.resolve("state/selfsigned/ca.pem").toString(), "-noout", "-text");
        assertEquals(0, text.exit(), text.output());
        assertTrue(text.output().contains("CA:TRUE"), text.output());
        assertTrue(text.output().contains("Certificate Sign, CRL Sign"), text.output());
        assertTrue(text.output().contains("NIST CURVE: P-256"), text.output());
        assertTrue(text.output().contains("Subject: CN = Hop3 local CA "), text.output());
    }
}
