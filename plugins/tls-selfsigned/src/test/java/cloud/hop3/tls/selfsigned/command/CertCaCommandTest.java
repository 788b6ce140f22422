package cloud.hop3.tls.selfsigned.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.tls.selfsigned.LocalCertificateAuthority;

class CertCaCommandTest {

    @TempDir
    Path directory;

    private String run(boolean path) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CertCaCommand.print(new LocalCertificateAuthority(directory), path, new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsTheCaCertificateAsTheFileHoldsIt() throws Exception {
        String printed = run(false);
        assertEquals(Files.readString(directory.resolve("ca.pem")), printed, "created on first use, then printed");
        X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(printed.getBytes(StandardCharsets.US_ASCII)));
        assertTrue(ca.getSubjectX500Principal().getName().startsWith("CN=Hop3 local CA "));
        assertEquals(printed, run(false), "the same CA next time");
    }

    @Test
    void withPathPrintsWhereTheFileIs() throws Exception {
        assertEquals(directory.resolve("ca.pem") + "\n", run(true));
        assertTrue(Files.exists(directory.resolve("ca.pem")));
    }
}
