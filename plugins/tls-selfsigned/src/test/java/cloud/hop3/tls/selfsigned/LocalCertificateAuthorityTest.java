package cloud.hop3.tls.selfsigned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.tls.CertificateException;

class LocalCertificateAuthorityTest {

    @TempDir
    Path directory;

    @Test
    void theCertificatePemIsWhatClientsTrust() throws Exception {
        LocalCertificateAuthority ca = new LocalCertificateAuthority(directory);
        String pem = ca.certificatePem();
        assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----\n") && pem.endsWith("-----END CERTIFICATE-----\n"), pem);
        assertEquals(directory.resolve("ca.pem"), ca.certificateFile());
        assertEquals(pem, Files.readString(ca.certificateFile()));
        assertEquals("rw-r--r--", SelfSignedIssuerTest.permissions(ca.certificateFile()));
        assertEquals("rw-------", SelfSignedIssuerTest.permissions(directory.resolve("ca-key.pem")));
        assertEquals(pem, new LocalCertificateAuthority(directory).certificatePem(), "reused by a new instance");
    }

    @Test
    void aKeyLeftWithoutItsCertificateByACrashIsReplacedByANewCa() throws Exception {
        Files.writeString(directory.resolve("ca-key.pem"), "half-written");
        Files.writeString(directory.resolve(".ca.pem123.tmp"), "leftover of a crash");
        String pem = new LocalCertificateAuthority(directory).certificatePem();
        assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----"));
        assertTrue(Files.readString(directory.resolve("ca-key.pem")).startsWith("-----BEGIN PRIVATE KEY-----"));
        new SelfSignedIssuer(new LocalCertificateAuthority(directory), 90, 30)
                .issue(java.util.Set.of(cloud.hop3.api.app.HostName.of("a.example.test")), directory.resolve("leaf"));
    }

    @Test
    void aCertificateWithoutItsKeyIsReportedNotReplaced() throws Exception {
        String pem = new LocalCertificateAuthority(directory).certificatePem();
        Files.delete(directory.resolve("ca-key.pem"));
        CertificateException e = assertThrows(CertificateException.class,
                () -> new LocalCertificateAuthority(directory).certificatePem());
        assertTrue(e.getMessage().contains("no ca-key.pem"), e.getMessage());
        assertEquals(pem, Files.readString(directory.resolve("ca.pem")), "left as it was");
    }

    @Test
    void aKeyOfAnotherCaIsReported() throws Exception {
        Path other = directory.resolve("other");
        new LocalCertificateAuthority(directory).certificatePem();
        new LocalCertificateAuthority(other).certificatePem();
        Files.copy(other.resolve("ca-key.pem"), directory.resolve("ca-key.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        CertificateException e = assertThrows(CertificateException.class,
                () -> new LocalCertificateAuthority(directory).certificatePem());
        assertTrue(e.getMessage().contains("is not the key of ca.pem"), e.getMessage());
    }

    @Test
    void aDamagedCertificateIsReported() throws Exception {
        Files.writeString(directory.resolve("ca.pem"), "not a certificate\n");
        CertificateException e = assertThrows(CertificateException.class,
                () -> new LocalCertificateAuthority(directory).certificatePem());
        assertTrue(e.getMessage().contains("ca.pem"), e.getMessage());
    }

    @Test
    void separateDirectoriesHaveSeparateCas() throws Exception {
        assertNotEquals(new LocalCertificateAuthority(directory.resolve("a")).certificatePem(),
                new LocalCertificateAuthority(directory.resolve("b")).certificatePem());
    }
}
