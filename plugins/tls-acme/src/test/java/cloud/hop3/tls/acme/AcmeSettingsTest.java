package cloud.hop3.tls.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcmeSettingsTest {

    @TempDir
    Path dir;

    private static TestConfig defaults() {
        return new TestConfig(AcmeIssuer.LETS_ENCRYPT, "", false, "", 120, 120, 30);
    }

    @Test
    void defaultsAreLetsEncryptProductionWithTwoMinuteTimeouts() {
        AcmeSettings settings = AcmeSettings.from(defaults());
        assertEquals(URI.create("https://acme-v02.api.letsencrypt.org/directory"), settings.directory());
        assertEquals(Optional.empty(), settings.email());
        assertEquals(Optional.empty(), settings.trustStore());
        assertEquals(Duration.ofMinutes(2), settings.challengeTimeout());
        assertEquals(Duration.ofMinutes(2), settings.orderTimeout());
        assertEquals(Duration.ofDays(30), settings.renewBefore());
    }

    @Test
    void emailMayBeGivenAsMailtoUri() {
        assertEquals(Optional.of("ops@example.com"), AcmeSettings.from(defaults().withEmail(" mailto:ops@example.com ")).email());
    }

    @Test
    void badValuesNameTheSetting() {
        assertEquals("directoryUrl 'ftp://ca.example.com/dir' of cloud.hop3.tls.acme is not the https:// URL of an ACME directory",
                assertThrows(IllegalArgumentException.class,
                        () -> AcmeSettings.from(defaults().withDirectoryUrl("ftp://ca.example.com/dir"))).getMessage());
        assertEquals("email 'ops at example.com' of cloud.hop3.tls.acme is not an e-mail address (name@domain)",
                assertThrows(IllegalArgumentException.class,
                        () -> AcmeSettings.from(defaults().withEmail("ops at example.com"))).getMessage());
        assertEquals("trustStore 'ca.pem' of cloud.hop3.tls.acme is not an absolute path to a PEM file of CA certificates",
                assertThrows(IllegalArgumentException.class,
                        () -> AcmeSettings.from(new TestConfig(AcmeIssuer.LETS_ENCRYPT, "", false, "ca.pem", 1, 1, 1))).getMessage());
        assertEquals("challengeTimeoutSeconds of cloud.hop3.tls.acme must be a positive number, not 0",
                assertThrows(IllegalArgumentException.class,
                        () -> AcmeSettings.from(new TestConfig(AcmeIssuer.LETS_ENCRYPT, "", false, "", 0, 1, 1))).getMessage());
    }

    @Test
    void plainHttpIsRefusedSinceAcmeRunsOverHttps() {
        assertThrows(IllegalArgumentException.class,
                () -> AcmeSettings.from(defaults().withDirectoryUrl("http://ca.example.com/dir")));
    }

    @Test
    void aTrustStoreThatIsNotPemIsReported() throws Exception {
        Path file = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
        AcmeSettings settings = AcmeSettings.from(new TestConfig(AcmeIssuer.LETS_ENCRYPT, "", false, file.toString(), 1, 1, 1));
        assertThrows(java.io.IOException.class, () -> TrustStoreProvider.trusting(settings.trustStore()));
    }
}
