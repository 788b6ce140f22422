package cloud.hop3.core.impl.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.addon.AddonCredentials;
import cloud.hop3.api.addon.AddonName;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.backup.BackupException;
import cloud.hop3.api.backup.BackupInfo;
import cloud.hop3.api.backup.BackupManifest;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.core.impl.addon.AddonBackups;
import cloud.hop3.core.impl.addon.AddonCatalog;
import cloud.hop3.core.impl.addon.AddonDocument;
import cloud.hop3.core.impl.app.AppCatalog;
import cloud.hop3.core.impl.deploy.DeployPipeline;
import cloud.hop3.core.impl.deploy.ReleaseRunner;
import cloud.hop3.core.impl.isolation.AppUsers;
import cloud.hop3.core.impl.platform.PlatformSettings;
import cloud.hop3.core.impl.secret.SecretBox;
import cloud.hop3.core.impl.service.PlatformApps;

/**
 * A second backup of unchanged data keeps the parts of the first instead of taking them again,
 * and any change, of a row or of a file, takes the changed part again; a kept part that was
 * damaged fails its backup's put and is never kept again.
 */
class PartReuseTest {

    private static final AppName SHOP = AppName.of("shop");

    @TempDir
    Path home;
    @TempDir
    Path storeDir;

    private final TextDatabase postgres = new TextDatabase();
    private final List<String> said = new CopyOnWriteArrayList<>();
    private final BuildLog log = new BuildLog() {
        @Override
        public void step(String text) {
            said.add(text);
        }

        @Override
        public void info(String text) {
            said.add(text);
        }

        @Override
        public void warn(String text) {
            said.add(text);
        }
    };
    private AppCatalog apps;
    private DirectoryStore store;
    private BackupManager backups;
    private Path data;

    @BeforeEach
    void setUp() throws Exception {
        Clock clock = Clock.system(ZoneOffset.UTC);
        SecretBox box = new SecretBox(home, clock);
        apps = new AppCatalog(new PlatformSettings(home, "example.com"), clock, box);
        AddonCatalog addonCatalog = new AddonCatalog(home, box);
        AddonBackups addons = new AddonBackups(addonCatalog, clock);
        addons.addDatabase(postgres, Map.of("hop3.database", "postgres", "service.id", 1L));
        AppUsers users = AppUsers.none(home);
        DeployPipeline pipeline = new DeployPipeline(apps, new ReleaseRunner());
        backups = new BackupManager(apps, new PlatformApps(apps, new ReleaseRunner(), null, pipeline, users), pipeline,
                addons, users, home, clock);
        store = new DirectoryStore(storeDir);
        backups.addStore(store, Map.of("hop3.backupstore", "dir", "service.id", 2L));

        apps.create(SHOP);
        Git.init().setBare(true).setDirectory(apps.directory(SHOP).resolve("repo.git").toFile()).call().close();
        Path work = Files.createTempDirectory(home, "src");
        try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            Files.writeString(work.resolve("Procfile"), "web: python3 app.py\n");
            git.add().addFilepattern(".").call();
            git.commit().setMessage("first").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com").call();
            git.push().setRemote(apps.directory(SHOP).resolve("repo.git").toUri().toString()).add("main").call();
        }
        data = apps.directory(SHOP).resolve("data");
        Files.createDirectories(data.resolve("uploads"));
        Files.writeString(data.resolve("uploads/a.txt"), "first version");
        postgres.marks = true;
        AddonCredentials db = postgres.create(AddonName.of("shop-db"), Map.of());
        postgres.contents.put("shop-db", "rows: 1 2 3");
        addonCatalog.write(new AddonDocument(AddonDocument.SCHEMA, "shop-db", "postgres", Instant.now(), Map.of(),
                db.values(), List.of(), Map.of("shop", new AddonDocument.Attachment("DATABASE", List.of("DATABASE_URL")))));
    }

    /** Waits until the files just written are older than the listing marks' settling time. */
    private void settled() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (ListingMark.of(data, Instant.now()).isEmpty()
                || ListingMark.of(apps.directory(SHOP).resolve("repo.git"), Instant.now()).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the data directory never settled");
            Thread.sleep(200);
        }
    }

    private BackupManifest backup() throws Exception {
        said.clear();
        return backups.create(SHOP, log).manifest();
    }

    @Test
    void aSecondBackupOfUnchangedDataKeepsTheFirstsPartsAndEachChangeTakesItsPartAgain() throws Exception {
        settled();
        BackupManifest first = backup();
        assertEquals(1, postgres.dumps.get());
        assertTrue(said.contains("Dumping add-on shop-db (postgres)"), said.toString());

        BackupManifest second = backup();
        assertEquals(1, postgres.dumps.get(), "nothing changed: no dump");
        assertTrue(said.contains("Unchanged since the last backup, kept: data.tar"), said.toString());
        assertTrue(said.contains("Unchanged since the last backup, kept: repo.bundle"), said.toString());
        assertTrue(said.contains("Add-on shop-db (postgres) unchanged since the last backup: its dump is kept"), said.toString());
        assertEquals(first.parts(), second.parts(), "the same parts, sizes, checksums and attributes");
        assertNotEquals(first.id(), second.id());
        // the second backup is whole in the store and restores as the first does
        assertEquals(second.id(), backups.verify(second.id()).manifest().id());
        BackupInfo.RestoreCheck check = backups.check(second.id()).check().orElseThrow();
        assertTrue(check.passed(), check.detail());
        assertEquals("rows: 1 2 3", Files.readString(store.file(second.id(), "addon-shop-db.dump")));

        // one committed row: the add-on's mark moves, it is dumped again; the files are still kept
        postgres.contents.put("shop-db", "rows: 1 2 3 4");
        BackupManifest third = backup();
        assertEquals(2, postgres.dumps.get());
        assertEquals("rows: 1 2 3 4", Files.readString(store.file(third.id(), "addon-shop-db.dump")));
        assertEquals("public.t=4", third.part("addon-shop-db.dump").attributes().get("counts"));
        assertEquals(first.part("data.tar"), third.part("data.tar"));

        // a file rewritten with the same size and its modification time set back: archived again
        Path file = data.resolve("uploads/a.txt");
        FileTime modified = Files.getLastModifiedTime(file);
        Files.writeString(file, "other version");
        Files.setLastModifiedTime(file, modified);
        BackupManifest fresh = backup();
        assertNotEquals(first.part("data.tar").sha256(), fresh.part("data.tar").sha256(),
                "a change in the settling time is archived (the listing has no mark then)");
        settled();
        BackupManifest settled = backup();
        assertEquals(fresh.part("data.tar"), settled.part("data.tar"), "and kept once it has settled");
        assertEquals(2, postgres.dumps.get());
        Path extracted = Files.createTempDirectory(home, "x");
        DataArchive.extractForCheck(store.file(settled.id(), "data.tar"), extracted);
        assertEquals("other version", Files.readString(extracted.resolve("uploads/a.txt")));

        // a plugin without marks dumps every time
        postgres.marks = false;
        backup();
        assertEquals(3, postgres.dumps.get());
    }

    @Test
    void aKeptPartThatWasDamagedFailsItsBackupAndTheNextOneTakesEverythingAgain() throws Exception {
        settled();
        BackupManifest first = backup();
        Path kept = apps.directory(SHOP).resolve(PartReuse.DIRECTORY).resolve("data.tar");
        assertTrue(Files.isRegularFile(kept), "the parts are kept in the app's directory");
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(kept.getParent())));
        byte[] bytes = Files.readAllBytes(kept);
        bytes[bytes.length / 3] ^= 1;
        Files.write(kept, bytes);

        BackupException failed = assertThrows(BackupException.class, () -> backup());
        assertTrue(failed.getMessage().contains("data.tar"), failed.getMessage());
        assertEquals(1, store.list().size(), "nothing stored");
        assertFalse(Files.exists(kept.getParent()), "what was kept is dropped");

        BackupManifest next = backup();
        assertEquals(first.part("data.tar"), next.part("data.tar"), "taken again, as it is");
        assertEquals(2, postgres.dumps.get(), "and dumped again");
        assertEquals(next.id(), backups.verify(next.id()).manifest().id());
    }
}
