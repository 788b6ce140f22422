package cloud.hop3.addon.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.addon.AddonException;

/**
 * Which PostgreSQL programs run the add-ons' cluster, on a tree laid out as Debian lays out
 * {@code /usr/lib/postgresql} with programs that say their version: the newest for a new cluster,
 * the cluster's own major version afterwards, and a loud refusal where a silent major upgrade
 * would be the alternative.
 */
class PostgresBinariesTest {

    @TempDir
    Path root;

    @TempDir
    Path data;

    @Test
    void aNewClusterIsMadeByTheNewestInstalledVersion() throws Exception {
        install("15", "15.14");
        install("16", "16.4");
        assertEquals("16.4", PostgresBinaries.forCluster(data, "", root).version());
    }

    @Test
    void aClusterKeepsTheVersionThatMadeItWhenANewerOneIsInstalled() throws Exception {
        install("15", "15.14");
        install("16", "16.4");
        Files.writeString(data.resolve("PG_VERSION"), "15\n");
        PostgresBinaries binaries = PostgresBinaries.forCluster(data, "", root);
        assertEquals("15.14", binaries.version());
        assertEquals(root.resolve("15/bin"), binaries.directory());
    }

    @Test
    void aClusterWhoseVersionIsGoneIsRefusedNamingThePackage() throws Exception {
        install("16", "16.4");
        Files.writeString(data.resolve("PG_VERSION"), "15\n");
        AddonException e = assertThrows(AddonException.class, () -> PostgresBinaries.forCluster(data, "", root));
        assertTrue(e.getMessage().contains("made by PostgreSQL 15, which is not installed (installed: [16])")
                && e.getMessage().contains("apt-get install postgresql-15"), e.getMessage());
    }

    @Test
    void configuredProgramsOfAnotherVersionAreRefused() throws Exception {
        install("15", "15.14");
        install("16", "16.4");
        Files.writeString(data.resolve("PG_VERSION"), "15\n");
        AddonException e = assertThrows(AddonException.class,
                () -> PostgresBinaries.forCluster(data, root.resolve("16/bin").toString(), root));
        assertTrue(e.getMessage().contains("gives PostgreSQL 16.4, which cannot open it"), e.getMessage());
        assertEquals("15.14", PostgresBinaries.forCluster(data, root.resolve("15/bin").toString(), root).version());
    }

    /** A {@code postgres} program of this version under {@code root/<major>/bin}. */
    private void install(String major, String version) throws IOException {
        Path bin = Files.createDirectories(root.resolve(major).resolve("bin"));
        Path postgres = bin.resolve("postgres");
        Files.writeString(postgres, "#!/bin/sh\necho 'postgres (PostgreSQL) " + version + " (Debian " + version + "-1)'\n");
        Files.setPosixFilePermissions(postgres, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
