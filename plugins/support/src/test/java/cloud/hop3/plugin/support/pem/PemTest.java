package cloud.hop3.plugin.support.pem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The private key formats openssl writes, read and checked against their certificate; what Pem writes, read by openssl. */
class PemTest {

    @TempDir
    Path temp;

    private X509Certificate selfSigned(Path key) throws Exception {
        Path certificate = temp.resolve(key.getFileName() + ".pem");
        openssl("req", "-x509", "-key", key.toString(), "-out", certificate.toString(), "-days", "1",
                "-subj", "/CN=pem.example.org");
        List<X509Certificate> chain = Pem.certificates(Files.readString(certificate));
        assertEquals(1, chain.size());
        return chain.get(0);
    }

    @Test
    void aSec1EcKeyWithItsParametersBlockIsRead() throws Exception {
        Path key = temp.resolve("ec.key");
        // "EC PARAMETERS" then "EC PRIVATE KEY", as `openssl ecparam -genkey` writes them
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", key.toString());
        String pem = Files.readString(key);
        assertTrue(pem.contains("BEGIN EC PARAMETERS") && pem.contains("BEGIN EC PRIVATE KEY"), pem);
        PrivateKey read = Pem.privateKey(pem);
        assertEquals("EC", read.getAlgorithm());
        assertTrue(Pem.matches(read, selfSigned(key)));
    }

    @Test
    void pkcs8AndPkcs1RsaKeysAreReadAndAForeignKeyDoesNotMatch() throws Exception {
        Path pkcs8 = temp.resolve("rsa.key");
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", pkcs8.toString());
        Path pkcs1 = temp.resolve("rsa1.key");
        openssl("rsa", "-in", pkcs8.toString(), "-traditional", "-out", pkcs1.toString());
        X509Certificate certificate = selfSigned(pkcs8);
        assertTrue(Pem.matches(Pem.privateKey(Files.readString(pkcs8)), certificate));
        assertTrue(Pem.matches(Pem.privateKey(Files.readString(pkcs1)), certificate));

        Path other = temp.resolve("ed.key");
        openssl("genpkey", "-algorithm", "ED25519", "-out", other.toString());
        PrivateKey ed = Pem.privateKey(Files.readString(other));
        assertEquals("EdDSA", ed.getAlgorithm());
        assertFalse(Pem.matches(ed, certificate));
    }

    @Test
    void whatIsNoKeyOrNoCertificateIsRefusedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Pem.privateKey("hello"))
                .getMessage().contains("no PEM private key"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Pem.certificates(""))
                .getMessage().contains("no PEM certificate"));
    }

    @Test
    void anEncryptedKeyIsRefusedAsSuch() throws Exception {
        Path key = temp.resolve("encrypted.key");
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes256", "-pass", "pass:secret",
                "-out", key.toString());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Pem.privateKey(Files.readString(key)))
                .getMessage().contains("encrypted"));
    }

    @Test
    void whatItWritesOpensslAndItReadBack() throws Exception {
        Path key = temp.resolve("ec.key");
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString());
        X509Certificate certificate = selfSigned(key);
        PrivateKey read = Pem.privateKey(Files.readString(key));

        String chain = Pem.certificates(certificate, certificate);
        String written = Pem.privateKey(read);
        assertTrue(written.startsWith("-----BEGIN PRIVATE KEY-----\n"), written);
        assertEquals(List.of(certificate, certificate), Pem.certificates(chain));
        assertEquals(read, Pem.privateKey(written));
        Path again = Files.writeString(temp.resolve("again.key"), written);
        assertTrue(openssl("pkey", "-in", again.toString(), "-noout", "-check").contains("valid"));

        KeyPair pair = new KeyPair(certificate.getPublicKey(), read);
        KeyPair back = Pem.keyPair(Pem.keyPair(pair));
        assertEquals(pair.getPublic(), back.getPublic());
        assertEquals(pair.getPrivate(), back.getPrivate());
    }

    /** Runs openssl with these arguments; fails with its output when it fails. */
    static String openssl(String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", arguments) + " failed: " + output);
        }
        return output;
    }
}
