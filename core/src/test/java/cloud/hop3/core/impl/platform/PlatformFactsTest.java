package cloud.hop3.core.impl.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import cloud.hop3.api.app.HostName;
import cloud.hop3.api.plugin.PluginKind;

/** What plugins learn from the Platform service; the public addresses are tested with the routing. */
class PlatformFactsTest {

    @TempDir
    Path home;

    private PlatformFacts facts(String domain) {
        return new PlatformFacts(new PlatformSettings(home, domain, "0.0.0.0", 2222, 8081, 8444), null);
    }

    @Test
    void proxiesAndIssuersKeepTheirStateWhereTheyKeptItBefore() {
        PlatformFacts facts = facts("example.com");

        assertEquals(home.resolve("proxy/nginx"), facts.stateDirectory(PluginKind.PROXY, "nginx"));
        assertEquals(home.resolve("tls/acme"), facts.stateDirectory(PluginKind.CERTIFICATE_ISSUER, "acme"));
    }

    @Test
    void otherKindsKeepTheirStateUnderADirectoryOfTheirKind() {
        PlatformFacts facts = facts("example.com");

        assertEquals(home.resolve("databases/postgres"), facts.stateDirectory(PluginKind.DATABASE, "postgres"));
        assertEquals(home.resolve("backup-stores/restic"), facts.stateDirectory(PluginKind.BACKUP_STORE, "restic"));
        assertEquals(home.resolve("drivers/kubernetes"), facts.stateDirectory(PluginKind.PROCESS_DRIVER, "kubernetes"));
        assertEquals(home.resolve("builders/python"), facts.stateDirectory(PluginKind.BUILDER, "python"));
    }

    @Test
    void aStateDirectoryIsCreatedForItsOwnerOnlyAndKeptAsItIs() throws Exception {
        PlatformFacts facts = facts("example.com");
        Path dir = facts.stateDirectory(PluginKind.PROXY, "caddy");
        Files.writeString(dir.resolve("Caddyfile"), "kept");

        assertTrue(Files.isDirectory(dir));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals(dir, facts.stateDirectory(PluginKind.PROXY, "caddy"));
        assertEquals("kept", Files.readString(dir.resolve("Caddyfile")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "..", "../apps", "a/b", "Nginx", "-x", "nginx ", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "caf\u00e9"})
    void aNameThatIsNotPlainIsRefusedAndNothingIsCreated(String name) throws Exception {
        PlatformFacts facts = facts("example.com");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> facts.stateDirectory(PluginKind.PROXY, name));
        assertTrue(e.getMessage().contains("lower-case letters, digits, '-'"), e.getMessage());
        try (var entries = Files.list(home)) {
            assertEquals(0, entries.count());
        }
    }

    @Test
    void theIssuersChallengeDirectoryIsNotAnIssuersState() {
        PlatformFacts facts = facts("example.com");

        assertThrows(IllegalArgumentException.class, () -> facts.stateDirectory(PluginKind.CERTIFICATE_ISSUER, "challenges"));
        assertThrows(IllegalArgumentException.class, () -> facts.stateDirectory(PluginKind.CERTIFICATE_ISSUER, null));
        assertEquals(home.resolve("proxy/challenges"), facts.stateDirectory(PluginKind.PROXY, "challenges"));
    }

    @Test
    void theHomeDomainAndPortsAreCoresSettings() {
        PlatformFacts facts = facts("paas.example.com");

        assertEquals(home, facts.home());
        assertEquals(HostName.of("paas.example.com"), facts.domain());
        assertEquals(8081, facts.httpPort());
        assertEquals(8444, facts.httpsPort());
    }

    @Test
    void aSingleNameDomainIsReportedRatherThanGivenAsAHostName() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> facts("localhost").domain());

        assertTrue(e.getMessage().contains("'localhost'"), e.getMessage());
    }

    @Test
    void aConfigurationChangeIsFollowed() {
        PlatformFacts facts = new PlatformFacts();
        facts.configure(CoreConfigs.with(Map.of("home", home.toString(), "domain", "one.example.com", "http_port", 9000)));
        assertEquals(9000, facts.httpPort());

        facts.configure(CoreConfigs.with(Map.of("home", home.toString(), "domain", "two.example.com", "http_port", 9001)));

        assertEquals(HostName.of("two.example.com"), facts.domain());
        assertEquals(9001, facts.httpPort());
    }

    @Test
    void aListenerWithoutAHostHasItsPortRead() {
        assertEquals(8080, PlatformFacts.port(URI.create("http://:8080")));
        assertEquals(443, PlatformFacts.port(URI.create("https://0.0.0.0:443")));
        assertEquals(-1, PlatformFacts.port(URI.create("http://example.org")));
        assertEquals(8443, PlatformFacts.port(URI.create("https://[::1]:8443")));
    }
}
