package cloud.hop3.plugin.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.plugin.PluginKind;

class TestPlatformTest {

    @TempDir
    Path home;

    @Test
    void stateDirectoriesAreLaidOutAsOnARunningPlatformAndCreated() {
        TestPlatform platform = new TestPlatform(home);

        Path nginx = platform.stateDirectory(PluginKind.PROXY, "nginx");

        assertEquals(home.resolve("proxy/nginx"), nginx);
        assertTrue(Files.isDirectory(nginx));
        assertEquals(home.resolve("tls/acme"), platform.stateDirectory(PluginKind.CERTIFICATE_ISSUER, "acme"));
        assertEquals(home.resolve("backup-stores/restic"), platform.stateDirectory(PluginKind.BACKUP_STORE, "restic"));
    }

    @Test
    void namesThatTheRunningPlatformRefusesAreRefusedInTestsToo() {
        TestPlatform platform = new TestPlatform(home);

        assertThrows(IllegalArgumentException.class,
                () -> platform.stateDirectory(PluginKind.CERTIFICATE_ISSUER, "challenges"));
        assertThrows(IllegalArgumentException.class, () -> platform.stateDirectory(PluginKind.PROXY, "x".repeat(64)));
        assertThrows(IllegalArgumentException.class, () -> platform.stateDirectory(PluginKind.PROXY, "../etc"));
    }
}
