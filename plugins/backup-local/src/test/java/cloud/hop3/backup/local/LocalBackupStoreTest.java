package cloud.hop3.backup.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.backup.BackupException;
import cloud.hop3.api.backup.BackupId;
import cloud.hop3.api.backup.BackupManifest;
import cloud.hop3.api.backup.BackupStore;
import cloud.hop3.plugin.testkit.BackupStoreContract;
import cloud.hop3.plugin.testkit.ComponentConfig;
import cloud.hop3.plugin.testkit.TestPlatform;

class LocalBackupStoreTest extends BackupStoreContract {

    @TempDir
    Path home;

    private LocalBackupStore store;

    @Override
    protected BackupStore store() throws IOException {
        if (store == null) {
            store = new LocalBackupStore(new TestPlatform(home), ComponentConfig.of(LocalBackupStore.Config.class));
        }
        return store;
    }

    @Override
    protected void damage(BackupId id, String part, Damage how) throws IOException {
        Path file = root().resolve(id.value()).resolve(part);
        try (RandomAccessFile stored = new RandomAccessFile(file.toFile(), "rw")) {
            long middle = stored.length() / 2;
            if (how == Damage.TRUNCATE) {
                stored.setLength(middle);
            } else {
                stored.seek(middle);
                int b = stored.read();
                stored.seek(middle);
                stored.write(b ^ 0x40);
            }
        }
    }

    private Path root() {
        return home.resolve("backup-stores/local");
    }

    @Test
    void aBackupIsADirectoryNamedByItsIdWithTheManifestAndThePartsOwnerOnly() throws Exception {
        BackupManifest manifest = putBackup("shop", "shop-20261205t170000z-3f2a", "2026-12-05T17:00:00Z");

        Path stored = root().resolve("shop-20261205t170000z-3f2a");
        assertArrayEquals(manifest.toBytes(), Files.readAllBytes(stored.resolve("manifest.txt")),
                "the manifest is kept in its text format, readable without the platform");
        assertEquals("rwx------", mode(root()));
        assertEquals("rwx------", mode(stored));
        try (Stream<Path> files = Files.list(stored)) {
            List<Path> all = files.toList();
            assertEquals(manifest.parts().size() + 1, all.size());
            for (Path file : all) {
                assertEquals("rw-------", mode(file), file.toString());
            }
        }
    }

    @Test
    void theDirectorySettingOverridesTheStateDirectory() throws Exception {
        Path elsewhere = home.resolve("elsewhere/backups");
        LocalBackupStore configured = new LocalBackupStore(new TestPlatform(home),
                ComponentConfig.of(LocalBackupStore.Config.class, "directory", elsewhere.toString()));
        Map<String, byte[]> parts = parts();
        BackupManifest manifest = manifest("shop", "shop-1", "2026-12-05T17:00:00Z", parts);

        configured.put(manifest, write(manifest, parts));

        assertEquals(elsewhere.toString(), configured.location());
        assertTrue(Files.isRegularFile(elsewhere.resolve("shop-1/manifest.txt")));
        assertEquals(List.of(), store().list(), "the state directory holds nothing");
    }

    @Test
    void whatAnInterruptedPutLeftIsNeverListedAndRemovedAtActivation() throws Exception {
        Map<String, byte[]> parts = parts();
        BackupManifest manifest = manifest("shop", "shop-2", "2026-12-05T17:00:00Z", parts);
        Path directory = write(manifest, parts);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> store().put(manifest, directory));
        assertFalse(Thread.interrupted());
        assertEquals(List.of(), store().list());
        assertEquals(List.of(), leftovers(), "an interrupted put cleans up after itself");

        Path crashed = root().resolve(".put-shop-2-1234");
        Files.createDirectories(crashed);
        Files.write(crashed.resolve("manifest.txt"), manifest.toBytes());
        assertEquals(List.of(), store().list(), "the leftover of a crashed put is not a backup");

        new LocalBackupStore(new TestPlatform(home), ComponentConfig.of(LocalBackupStore.Config.class));
        assertFalse(Files.exists(crashed));
        store().put(manifest, directory);
        assertEquals(List.of(manifest), store().list());
    }

    @Test
    void aSecondBackupOfTheSameContentSharesItsFilesAndEachBackupStaysWhole() throws Exception {
        Map<String, byte[]> parts = parts();
        BackupManifest first = manifest("shop", "shop-1", "2026-12-05T17:00:00Z", parts);
        store().put(first, write(first, parts));
        BackupManifest second = manifest("shop", "shop-2", "2026-12-05T18:00:00Z", parts);

        // an incoming part that differs from what its manifest says is refused, even with a twin held
        Path damaged = write(second, parts);
        byte[] changed = parts.get("data.tar").clone();
        changed[0] ^= 1;
        Files.write(damaged.resolve("data.tar"), changed);
        BackupException refused = assertThrows(BackupException.class, () -> store().put(second, damaged));
        assertTrue(refused.getMessage().contains("data.tar"), refused.getMessage());

        store().put(second, write(second, parts));
        for (String part : parts.keySet()) {
            assertTrue(Files.isSameFile(root().resolve("shop-1").resolve(part), root().resolve("shop-2").resolve(part)),
                    part + " is kept once");
        }
        store().delete(first.id());
        Path into = Files.createDirectory(home.resolve("into"));
        assertEquals(second, store().get(second.id(), into));
        for (Map.Entry<String, byte[]> part : parts.entrySet()) {
            assertArrayEquals(part.getValue(), Files.readAllBytes(into.resolve(part.getKey())), part.getKey());
        }
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> entries = Files.list(root())) {
            return entries.filter(p -> p.getFileName().toString().startsWith(".")).toList();
        }
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
