package cloud.hop3.proxy.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The private key formats openssl writes, read and checked against their certificate. */
class PemFilesTest {

    @TempDir
    Path temp;

    private X509Certificate selfSigned(Path key) throws Exception {
        Path certificate = temp.resolve(key.getFileName() + ".pem");
        TestCertificates.openssl("req", "-x509", "-key", key.toString(), "-out", certificate.toString(), "-days", "1",
                "-subj", "/CN=pem.example.org");
        List<X509Certificate> chain = PemFiles.certificates(Files.readString(certificate));
        assertEquals(1, chain.size());
        return chain.get(0);
    }

    @Test
    void aSec1EcKeyWithItsParametersBlockIsRead() throws Exception {
        Path key = temp.resolve("ec.key");
        // "EC PARAMETERS" then "EC PRIVATE KEY", as `openssl ecparam -genkey` writes them
        TestCertificates.openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", key.toString());
        String pem = Files.readString(key);
        assertTrue(pem.contains("BEGIN EC PARAMETERS") && pem.contains("BEGIN EC PRIVATE KEY"), pem);
        PrivateKey read = PemFiles.privateKey(pem);
        assertEquals("EC", read.getAlgorithm());
        assertTrue(PemFiles.matches(read, selfSigned(key)));
    }

    @Test
    void pkcs8AndPkcs1RsaKeysAreReadAndAForeignKeyDoesNotMatch() throws Exception {
        Path pkcs8 = temp.resolve("rsa.key");
        TestCertificates.openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", pkcs8.toString());
        Path pkcs1 = temp.resolve("rsa1.key");
        TestCertificates.openssl("rsa", "-in", pkcs8.toString(), "-traditional", "-out", pkcs1.toString());
        X509Certificate certificate = selfSigned(pkcs8);
        assertTrue(PemFiles.matches(PemFiles.privateKey(Files.readString(pkcs8)), certificate));
        assertTrue(PemFiles.matches(PemFiles.privateKey(Files.readString(pkcs1)), certificate));

        Path other = temp.resolve("ed.key");
        TestCertificates.openssl("genpkey", "-algorithm", "ED25519", "-out", other.toString());
        PrivateKey ed = PemFiles.privateKey(Files.readString(other));
        assertEquals("EdDSA", ed.getAlgorithm());
        assertFalse(PemFiles.matches(ed, certificate));
    }

    @Test
    void whatIsNoKeyOrNoCertificateIsRefusedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PemFiles.privateKey("hello"))
                .getMessage().contains("no PEM private key"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> PemFiles.privateKey("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"))
                .getMessage().contains("encrypted"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PemFiles.certificates(""))
                .getMessage().contains("no PEM certificate"));
    }
}
