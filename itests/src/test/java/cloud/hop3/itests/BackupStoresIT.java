package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The backup stores in the distribution as an operator meets them: the local store comes with
 * the platform and is the one in use, owner-only under the platform's home; the restic store is
 * installed with feature:install once its configuration names a repository and a password file,
 * and chosen with backup.store.
 */
class BackupStoresIT {

    private static Distribution platform;

    @BeforeAll
    static void start() throws Exception {
        platform = new Distribution();
        Distribution.ok(platform.hop3("start"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void theLocalStoreIsTheDefaultAndTheResticStoreIsInstalledAndChosenByConfiguration() throws Exception {
        List<String> local = awaitRow("local");
        assertEquals("yes", local.get(local.size() - 1), "the local store is in use: " + local);
        Path directory = platform.home.resolve("backup-stores/local");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)));

        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/restic")), "restic is not installed");
        Path password = platform.work.resolve("restic-password");
        Files.writeString(password, "kept by the operator\n");
        Files.writeString(platform.directory().resolve("etc/cloud.hop3.backup.restic.cfg"),
                "repository = " + platform.work.resolve("restic-repository") + "\npasswordFile = " + password + "\n");
        platform.hop3Ok("feature", "install", "hop3-backup-restic");
        List<String> restic = awaitRow("restic");
        assertEquals("no", restic.get(restic.size() - 1), "installed, not in use: " + restic);

        platform.hop3Ok("config", "property-set", "-p", "cloud.hop3.core", "backup.store", "restic");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!awaitRow("restic").get(restic.size() - 1).equals("yes")) {
            assertTrue(System.nanoTime() < deadline, "restic chosen: " + platform.hop3Ok("plugin", "list", "--no-format"));
            Thread.sleep(200);
        }
        assertEquals("no", awaitRow("local").get(local.size() - 1));
    }

    private static List<String> awaitRow(String name) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            String list = platform.hop3Ok("plugin", "list", "--no-format");
            Optional<List<String>> row = PluginListing.row(list, "backup store", name);
            if (row.isPresent()) {
                return row.get();
            }
            assertTrue(System.nanoTime() < deadline, "no backup store " + name + " in: " + list);
            Thread.sleep(200);
        }
    }
}
