package cloud.hop3.core.impl.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import cloud.hop3.api.access.Actor;
import cloud.hop3.api.access.Door;
import cloud.hop3.api.access.Grant;
import cloud.hop3.api.access.User;
import cloud.hop3.api.addon.AddonCredentials;
import cloud.hop3.api.addon.AddonName;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.audit.AuditEntry;
import cloud.hop3.api.audit.AuditFilter;
import cloud.hop3.api.audit.AuditRecord;
import cloud.hop3.api.audit.AuditResult;
import cloud.hop3.api.backup.BackupException;
import cloud.hop3.api.backup.BackupHealth;
import cloud.hop3.api.backup.BackupInfo;
import cloud.hop3.api.backup.BackupPart;
import cloud.hop3.api.backup.BackupSchedule;
import cloud.hop3.api.backup.PlatformRestore;
import cloud.hop3.api.backup.Retention;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.core.impl.access.AccessRegistry;
import cloud.hop3.core.impl.addon.AddonBackups;
import cloud.hop3.core.impl.addon.AddonCatalog;
import cloud.hop3.core.impl.addon.AddonDocument;
import cloud.hop3.core.impl.app.AppCatalog;
import cloud.hop3.core.impl.audit.AuditTrail;
import cloud.hop3.core.impl.deploy.DeployPipeline;
import cloud.hop3.core.impl.deploy.ReleaseRunner;
import cloud.hop3.core.impl.git.RepositoryBundles;
import cloud.hop3.core.impl.isolation.AppUsers;
import cloud.hop3.core.impl.keys.AuthorizedKeys;
import cloud.hop3.core.impl.platform.PlatformSettings;
import cloud.hop3.core.impl.secret.SecretBox;
import cloud.hop3.core.impl.service.PlatformApps;

/**
 * Backups with the real catalogs, real git and tar, a directory store and a database whose data
 * is a string: what a backup holds, that a damaged one is refused, that a failed dump fails it
 * loudly, and what a restore as a new app makes. (Deploying the restored app needs builders and a
 * process driver: the end-to-end test does that.)
 */
class BackupManagerTest {

    private static final AppName SHOP = AppName.of("shop");
    private static final AppName COPY = AppName.of("copy");
    private static final BuildLog QUIET = new BuildLog() {
        @Override
        public void step(String text) {
        }

        @Override
        public void info(String text) {
        }

        @Override
        public void warn(String text) {
        }
    };

    @TempDir
    Path home;
    @TempDir
    Path storeDir;

    private final TextDatabase postgres = new TextDatabase();
    private final SetClock clock = new SetClock(Instant.parse("2026-12-05T02:00:00Z"));
    private SecretBox box;
    private AppCatalog apps;
    private AddonCatalog addonCatalog;
    private DirectoryStore store;
    private BackupManager backups;
    private final byte[] blob = new byte[300_000];
    private final List<Event> events = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        box = new SecretBox(home, clock);
        apps = new AppCatalog(new PlatformSettings(home, "example.com"), clock, box);
        addonCatalog = new AddonCatalog(home, box);
        AddonBackups addons = new AddonBackups(addonCatalog, clock);
        addons.addDatabase(postgres, Map.of("hop3.database", "postgres", "service.id", 1L));
        AppUsers users = AppUsers.none(home);
        DeployPipeline pipeline = new DeployPipeline(apps, new ReleaseRunner());
        PlatformApps appService = new PlatformApps(apps, new ReleaseRunner(), null, pipeline, users);
        backups = new BackupManager(apps, appService, pipeline, addons, users, home, clock);
        backups.setEvents(new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                events.add(event);
            }

            @Override
            public void sendEvent(Event event) {
                events.add(event);
            }
        });
        store = new DirectoryStore(storeDir);
        backups.addStore(store, Map.of("hop3.backupstore", "dir", "service.id", 2L));

        apps.create(SHOP);
        apps.update(SHOP, d -> d.withConfig(Map.of("SECRET", "s3cr3t", "DATABASE_URL", "text://shop-db")));
        Path data = apps.directory(SHOP).resolve("data");
        new java.util.Random(7).nextBytes(blob);
        Files.createDirectories(data.resolve("uploads"));
        Files.write(data.resolve("uploads/blob.bin"), blob);
        Files.setPosixFilePermissions(data.resolve("uploads/blob.bin"), PosixFilePermissions.fromString("rw-r-----"));
        AddonCredentials db = postgres.create(AddonName.of("shop-db"), Map.of());
        postgres.contents.put("shop-db", "rows: 1 2 3");
        addonCatalog.write(new AddonDocument(AddonDocument.SCHEMA, "shop-db", "postgres", Instant.now(), Map.of(),
                db.values(), List.of(), Map.of("shop", new AddonDocument.Attachment("DATABASE", List.of("DATABASE_URL")))));
    }

    /** Gives shop a repository with one commit on main, as a push would. */
    private Map<String, String> pushed() throws Exception {
        Path work = Files.createTempDirectory("src");
        try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            Files.writeString(work.resolve("Procfile"), "web: python3 app.py\n");
            git.add().addFilepattern(".").call();
            git.commit().setMessage("first").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com").call();
            git.push().setRemote(apps.directory(SHOP).resolve("repo.git").toUri().toString()).add("main").call();
        }
        return new RepositoryBundles(home).refs(SHOP);
    }

    @Test
    void aBackupHoldsTheRepositoryStateDataAndADumpOfEachAddonAndVerifies() throws Exception {
        Git.init().setBare(true).setDirectory(apps.directory(SHOP).resolve("repo.git").toFile()).call().close();
        Map<String, String> refs = pushed();
        BackupInfo info = backups.create(SHOP, QUIET);

        List<String> names = info.manifest().parts().stream().map(BackupPart::name).toList();
        assertEquals(List.of("repo.bundle", "app.json", "data.tar", "addon-shop-db.dump"), names);
        BackupPart dump = info.manifest().part("addon-shop-db.dump");
        assertEquals(Map.of("kind", "addon", "addon", "shop-db", "type", "postgres", "prefix", "DATABASE",
                "counts", "public.t=3"), dump.attributes());
        assertEquals(Map.of("kind", "data", "files", "1", "bytes", Integer.toString(blob.length)),
                info.manifest().part("data.tar").attributes());
        assertEquals(Map.of("kind", "git", "refs", "refs%2Fheads%2Fmain=" + refs.get("refs/heads/main")),
                info.manifest().part("repo.bundle").attributes());
        assertEquals("rows: 1 2 3".length(), dump.size());
        assertFalse(Files.readString(store.file(info.manifest().id(), "app.json")).contains("s3cr3t"),
                "config vars stay encrypted in the backup");
        assertEquals(info.manifest().id(), backups.verify(info.manifest().id()).manifest().id());
        assertEquals(List.of(info.manifest().id()), backups.list(Optional.of(SHOP)).stream().map(b -> b.manifest().id()).toList());
        BackupHealth health = backups.health(SHOP);
        assertTrue(health.lastGood().isPresent() && health.failures() == 0, health.toString());
        assertTrue(Files.list(home.resolve("tmp/backups")).findAny().isEmpty(), "the scratch directories are removed");
        assertEquals(List.of("cloud/hop3/backup/CREATED"), events.stream().map(Event::getTopic).toList());
        assertEquals(info.manifest().id().value(), events.get(0).getProperty("backup"));
        assertEquals("shop", events.get(0).getProperty("app"));

        // restored as a copy: the same repository, then a deploy, which this pipeline without builders cannot do
        assertThrows(Exception.class, () -> backups.restore(info.manifest().id(), Optional.of(COPY), QUIET));
        assertEquals(refs, new RepositoryBundles(home).refs(COPY));
    }

    @Test
    void aRestoreAsANewAppGivesItItsOwnAddonsAndDataAndLeavesTheOriginal() throws Exception {
        BackupInfo info = backups.create(SHOP, QUIET);
        postgres.contents.put("shop-db", "rows: 1 2 3 4");

        assertEquals(COPY, backups.restore(info.manifest().id(), Optional.of(COPY), QUIET));

        assertEquals("rows: 1 2 3", postgres.contents.get("copy-db"), "the copy's own add-on, with the data backed up");
        assertEquals("rows: 1 2 3 4", postgres.contents.get("shop-db"), "the original's add-on untouched");
        Path copied = apps.directory(COPY).resolve("data/uploads/blob.bin");
        assertArrayEquals(blob, Files.readAllBytes(copied));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(copied)));
        Map<String, String> config = apps.document(COPY).config();
        assertEquals("s3cr3t", config.get("SECRET"));
        assertEquals("text://copy-db", config.get("DATABASE_URL"));
        assertEquals("text://shop-db", apps.document(SHOP).config().get("DATABASE_URL"));
        assertEquals("DATABASE", addonCatalog.find(AddonName.of("copy-db")).orElseThrow().attachments().get("copy").prefix());

        BackupException again = assertThrows(BackupException.class,
                () -> backups.restore(info.manifest().id(), Optional.of(COPY), QUIET));
        assertTrue(again.getMessage().contains("App 'copy' exists already"), again.getMessage());
    }

    @Test
    void aRestoreIntoANewNameThatFailsLeavesNothingBehind() throws Exception {
        BackupInfo info = backups.create(SHOP, QUIET);
        postgres.failRestore = "pg_restore: error: could not execute query";
        BackupException e = assertThrows(BackupException.class,
                () -> backups.restore(info.manifest().id(), Optional.of(COPY), QUIET));
        assertTrue(e.getMessage().contains("copy-db") && e.getMessage().contains("could not execute query"), e.getMessage());
        assertTrue(apps.find(COPY).isEmpty(), "the app made by the restore is removed");
        assertFalse(Files.exists(apps.directory(COPY)), "with its data");
        assertTrue(addonCatalog.find(AddonName.of("copy-db")).isEmpty(), "the add-on made by the restore is removed");
        assertFalse(postgres.contents.containsKey("copy-db"), "with its database");
        assertTrue(apps.find(SHOP).isPresent() && "rows: 1 2 3".equals(postgres.contents.get("shop-db")));
    }

    @Test
    void aRestoreOntoADestroyedAppBringsItBackWithItsAddon() throws Exception {
        BackupInfo info = backups.create(SHOP, QUIET);
        apps.destroy(SHOP, true);
        addonCatalog.delete(AddonName.of("shop-db"));
        postgres.contents.remove("shop-db");

        backups.restore(info.manifest().id(), Optional.empty(), QUIET);

        assertEquals("rows: 1 2 3", postgres.contents.get("shop-db"));
        assertArrayEquals(blob, Files.readAllBytes(apps.directory(SHOP).resolve("data/uploads/blob.bin")));
        assertEquals("s3cr3t", apps.document(SHOP).config().get("SECRET"));
    }

    @Test
    void aPlatformBackupRestoredOnAnotherInstallationBringsBackItsAppsKeysAndIssuersState(@TempDir Path other,
                                                                                         @TempDir Path keyDir) throws Exception {
        // this installation: a push key, a local CA, the app with its add-on, data and a secret
        AuthorizedKeys keys = new AuthorizedKeys(home, clock);
        backups.setPlatformKeys(box, keys);
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "alice",
                "-f", keyDir.resolve("alice").toString()).redirectErrorStream(true).start();
        assertEquals(0, keygen.waitFor());
        keys.add("alice", Files.readString(keyDir.resolve("alice.pub")));
        // its users, one with a key and a token, and its audit trail
        AccessRegistry access = new AccessRegistry(home, keys, clock, Optional.empty());
        AuditTrail trail = new AuditTrail(clock);
        trail.open(home.resolve("audit"));
        backups.setPlatformPeople(access, trail);
        access.addUser("dee");
        access.grant("dee", Grant.of("deployer", List.of("shop")));
        Process deeKeygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "dee",
                "-f", keyDir.resolve("dee").toString()).redirectErrorStream(true).start();
        assertEquals(0, deeKeygen.waitFor());
        access.addKey("dee", "dee-laptop", Files.readString(keyDir.resolve("dee.pub")));
        String deesToken = access.createToken("dee", Optional.empty()).secret();
        for (String action : List.of("app.create", "app.deploy", "config.set")) {
            trail.record(new AuditEntry(new Actor("dee", Door.SHELL, "10.0.0.7"), action, "shop", AuditResult.success(), List.of()));
        }
        Files.createDirectories(home.resolve("tls/selfsigned"));
        Files.writeString(home.resolve("tls/selfsigned/ca.pem"), "the old CA");
        Files.createDirectories(home.resolve("tls/challenges"));
        Files.writeString(home.resolve("tls/challenges/token"), "not kept");

        BackupInfo taken = backups.createPlatform(QUIET);
        assertTrue(taken.manifest().ofPlatform());
        assertTrue(taken.manifest().part("shop.app.json") != null && taken.manifest().part("platform.tar") != null,
                taken.manifest().parts().toString());
        assertEquals(List.of(taken), backups.list(Optional.empty()).stream().filter(b -> b.manifest().ofPlatform()).toList());
        assertTrue(backups.list(Optional.of(SHOP)).isEmpty(), "a platform backup is not listed as one of the app");
        BackupException notAnApp = assertThrows(BackupException.class,
                () -> backups.restore(taken.manifest().id(), Optional.of(COPY), QUIET));
        assertTrue(notAnApp.getMessage().contains("platform:restore"), notAnApp.getMessage());

        // another installation, with its own keys, the same store
        SecretBox otherBox = new SecretBox(other, clock);
        AuthorizedKeys otherKeys = new AuthorizedKeys(other, clock);
        AppCatalog otherApps = new AppCatalog(new PlatformSettings(other, "example.org"), clock, otherBox);
        TextDatabase otherPostgres = new TextDatabase();
        AddonBackups otherAddons = new AddonBackups(new AddonCatalog(other, otherBox), clock);
        otherAddons.addDatabase(otherPostgres, Map.of("hop3.database", "postgres", "service.id", 1L));
        AppUsers users = AppUsers.none(other);
        DeployPipeline pipeline = new DeployPipeline(otherApps, new ReleaseRunner());
        BackupManager restoring = new BackupManager(otherApps, new PlatformApps(otherApps, new ReleaseRunner(), null,
                pipeline, users), pipeline, otherAddons, users, other, clock);
        restoring.setPlatformKeys(otherBox, otherKeys);
        restoring.addStore(store, Map.of("hop3.backupstore", "dir", "service.id", 2L));
        AccessRegistry otherAccess = new AccessRegistry(other, otherKeys, clock, Optional.empty());
        AuditTrail otherTrail = new AuditTrail(clock);
        otherTrail.open(other.resolve("audit"));
        restoring.setPlatformPeople(otherAccess, otherTrail);
        otherTrail.record(new AuditEntry(Actor.platform(Door.PLATFORM), "plugin.install", "hop3-backup-dir", AuditResult.success(),
                List.of()));

        PlatformRestore result = restoring.restorePlatform(taken.manifest().id(), false, QUIET);

        // the users, their roles, keys and tokens
        User dee = otherAccess.user("dee").orElseThrow();
        assertEquals(List.of(Grant.of("deployer", List.of("shop"))), dee.grants());
        assertEquals(List.of("dee-laptop"), dee.keys());
        assertEquals("dee", otherAccess.authenticate(deesToken).name(), "dee's token works on the new installation");
        assertTrue(result.notes().stream().anyMatch(n -> n.startsWith("Users taken over: dee")), result.notes().toString());
        // the trail: the old records first, then this installation's, renumbered, then the adoption; all verifies
        List<AuditRecord> records = otherTrail.list(new AuditFilter(Optional.empty(), Optional.empty(), Optional.empty(), 0,
                AuditFilter.MAX_LIMIT));
        assertEquals(List.of("app.create", "app.deploy", "config.set", "plugin.install", "audit.adopt"),
                records.stream().map(r -> r.entry().action()).toList().subList(0, 5));
        assertEquals("dee", records.get(0).entry().actor().user());
        assertEquals(4, records.get(3).sequence(), "this installation's record, renumbered after the old ones");
        assertTrue(otherTrail.verify().intact(), otherTrail.verify().problem());
        assertTrue(Files.exists(other.resolve("audit/trail-before-" + taken.manifest().id().value() + ".jsonl")));
        // the users and trail are in no other part than the platform's own
        assertTrue(taken.manifest().parts().stream().noneMatch(p -> p.name().contains("users") || p.name().contains("trail")));

        assertEquals(List.of(SHOP), result.restored());
        assertTrue(result.complete(), result.failed().toString());
        assertEquals("s3cr3t", otherApps.document(SHOP).config().get("SECRET"), "sealed with the old key, opened here");
        assertEquals("rows: 1 2 3", otherPostgres.contents.get("shop-db"));
        assertArrayEquals(blob, Files.readAllBytes(otherApps.directory(SHOP).resolve("data/uploads/blob.bin")));
        assertTrue(otherKeys.list().stream().anyMatch(k -> k.name().equals("alice")), otherKeys.list().toString());
        assertEquals("the old CA", Files.readString(other.resolve("tls/selfsigned/ca.pem")));
        assertFalse(Files.exists(other.resolve("tls/challenges/token")), "challenge answers are not restored");

        BackupException again = assertThrows(BackupException.class,
                () -> restoring.restorePlatform(taken.manifest().id(), false, QUIET));
        assertTrue(again.getMessage().contains("[shop]") && again.getMessage().contains("nothing was changed"),
                again.getMessage());
        otherPostgres.contents.put("shop-db", "changed since");
        PlatformRestore skipping = restoring.restorePlatform(taken.manifest().id(), true, QUIET);
        assertEquals(List.of(), skipping.restored());
        assertTrue(skipping.notes().contains("App shop exists here: left as it is"), skipping.notes().toString());
        assertEquals("changed since", otherPostgres.contents.get("shop-db"), "an existing app is left as it is");
    }

    @Test
    void aBackupTakenBeforeAKeyRotationStillRestoresItsConfigVars() throws Exception {
        BackupInfo info = backups.create(SHOP, QUIET);
        box.addKey();
        apps.update(SHOP, d -> d.withConfig(Map.of("SECRET", "new", "DATABASE_URL", "text://shop-db")));
        box.retireOldKeys();
        apps.destroy(SHOP, true);
        addonCatalog.delete(AddonName.of("shop-db"));
        postgres.contents.remove("shop-db");

        backups.restore(info.manifest().id(), Optional.empty(), QUIET);

        assertEquals("s3cr3t", apps.document(SHOP).config().get("SECRET"));
        assertTrue(Files.readString(apps.directory(SHOP).resolve("app.json")).contains("\"SECRET\" : \"" + box.currentKey() + ":"),
                "sealed again with the current key");
    }

    @Test
    void aScratchAddonThatACrashLeftIsDroppedWhenItsPluginComesBack() throws Exception {
        BackupInfo info = backups.create(SHOP, QUIET);
        assertTrue(backups.check(info.manifest().id()).check().orElseThrow().passed());
        assertEquals(List.of(), addonCatalog.scratches(), "a check that ends forgets its scratch add-on");

        // a check cut short: its scratch add-on made and recorded, never dropped
        AddonCredentials left = postgres.create(AddonName.of("chk-0a0b0c"), Map.of());
        addonCatalog.writeScratch(new AddonDocument(AddonDocument.SCHEMA, "chk-0a0b0c", "postgres", Instant.now(), Map.of(),
                left.values(), List.of(), Map.of(), null, null));
        assertTrue(postgres.contents.containsKey("chk-0a0b0c"));

        new AddonBackups(addonCatalog, clock).addDatabase(postgres, Map.of("hop3.database", "postgres", "service.id", 1L));

        long deadline = System.nanoTime() + 10_000_000_000L;
        while (postgres.contents.containsKey("chk-0a0b0c") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(postgres.contents.containsKey("chk-0a0b0c"), "the scratch database is dropped");
        assertEquals(List.of(), addonCatalog.scratches(), "and forgotten");
        assertTrue(postgres.contents.containsKey("shop-db"), "the app's add-on is untouched");
    }

    @Test
    void aRestoreCheckRestoresEachPartIntoScratchPlacesAndComparesWhatWasRecorded() throws Exception {
        Git.init().setBare(true).setDirectory(apps.directory(SHOP).resolve("repo.git").toFile()).call().close();
        pushed();
        BackupInfo info = backups.create(SHOP, QUIET);
        assertEquals(Optional.empty(), backups.info(info.manifest().id()).check());

        BackupInfo checked = backups.check(info.manifest().id());
        BackupInfo.RestoreCheck c = checked.check().orElseThrow();
        assertTrue(c.passed(), c.detail());
        assertEquals("repo.bundle: 1 ref; app.json: opens; data.tar: 1 files, " + blob.length + " bytes;"
                + " addon-shop-db.dump: public.t=3", c.detail());
        assertEquals(Optional.of(c), backups.info(info.manifest().id()).check(), "kept next to the backup");
        assertEquals(Optional.of(c), backups.list(Optional.of(SHOP)).get(0).check());
        assertEquals(Optional.of(c), backups.health(SHOP).lastCheck());
        assertEquals(Map.of("shop-db", "rows: 1 2 3"), postgres.contents, "the scratch add-on is dropped");
        assertEquals(List.of(AddonName.of("shop-db")), addonCatalog.names(), "and was never recorded");
        assertTrue(Files.list(home.resolve("tmp/backups")).findAny().isEmpty(), "the scratch directories are removed");
        assertTrue(events.stream().noneMatch(e -> e.getTopic().endsWith("CHECK_FAILED")));

        // a dump that does not restore whole: the check fails, naming the table and both counts, and is loud
        postgres.loseARow = true;
        clock.set("2026-12-05T03:00:00Z");
        BackupInfo.RestoreCheck failed = backups.check(info.manifest().id()).check().orElseThrow();
        assertFalse(failed.passed());
        assertEquals("addon-shop-db.dump (postgres): public.t is 2 after the restore, 3 when backed up", failed.detail());
        assertEquals(Optional.of(failed), backups.info(info.manifest().id()).check());
        assertEquals(Optional.of(failed), backups.health(SHOP).lastCheck());
        Event event = events.get(events.size() - 1);
        assertEquals("cloud/hop3/backup/CHECK_FAILED", event.getTopic());
        assertEquals(info.manifest().id().value(), event.getProperty("backup"));
        assertEquals(failed.detail(), event.getProperty("message"));
        assertEquals(Map.of("shop-db", "rows: 1 2 3"), postgres.contents, "dropped also after a failed check");
    }

    @Test
    void aRestoreCheckOfAPartThatNoLongerMatchesItsChecksumFailsAndIsKept() throws Exception {
        BackupInfo info = backups.create(SHOP, QUIET);
        Files.write(store.file(info.manifest().id(), "data.tar"), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        BackupInfo.RestoreCheck c = backups.check(info.manifest().id()).check().orElseThrow();
        assertFalse(c.passed());
        assertTrue(c.detail().contains("data.tar"), c.detail());
        assertEquals(Optional.of(c), backups.list(Optional.empty()).get(0).check());
        BackupException missing = assertThrows(BackupException.class,
                () -> backups.check(cloud.hop3.api.backup.BackupId.of("shop-20260101t000000z-0000")));
        assertTrue(missing.getMessage().contains("No backup"), missing.getMessage());
    }

    @Test
    void aTruncatedPartIsRefusedByVerifyAndByRestoreNamingThePart() throws Exception {
        BackupInfo info = backups.create(SHOP, QUIET);
        try (RandomAccessFile f = new RandomAccessFile(store.file(info.manifest().id(), "data.tar").toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        BackupException verify = assertThrows(BackupException.class, () -> backups.verify(info.manifest().id()));
        assertTrue(verify.getMessage().contains("data.tar"), verify.getMessage());
        BackupException restore = assertThrows(BackupException.class,
                () -> backups.restore(info.manifest().id(), Optional.of(COPY), QUIET));
        assertTrue(restore.getMessage().contains("data.tar"), restore.getMessage());
        assertTrue(apps.find(COPY).isEmpty(), "nothing is changed by a restore that does not verify");
        assertFalse(postgres.contents.containsKey("copy-db"));
    }

    @Test
    void aFailedOrEmptyDumpFailsTheBackupLoudlyAndStoresNothing() throws Exception {
        postgres.failDump = "pg_dump: error: connection to server failed: Connection refused";
        BackupException failed = assertThrows(BackupException.class, () -> backups.create(SHOP, QUIET));
        assertTrue(failed.getMessage().contains("add-on shop-db") && failed.getMessage().contains("Connection refused"),
                failed.getMessage());
        postgres.failDump = null;
        postgres.contents.put("shop-db", "");
        BackupException empty = assertThrows(BackupException.class, () -> backups.create(SHOP, QUIET));
        assertTrue(empty.getMessage().contains("is empty"), empty.getMessage());

        assertEquals(List.of(), backups.list(Optional.empty()));
        assertEquals(List.of("cloud/hop3/backup/FAILED", "cloud/hop3/backup/FAILED"),
                events.stream().map(Event::getTopic).toList());
        assertTrue(String.valueOf(events.get(1).getProperty("message")).contains("is empty"));
        BackupHealth health = backups.health(SHOP);
        assertEquals(2, health.failures());
        assertTrue(health.lastFailure().orElseThrow().contains("is empty"), health.toString());
        assertTrue(health.lastGood().isEmpty());

        postgres.contents.put("shop-db", "rows");
        backups.create(SHOP, QUIET);
        assertEquals(0, backups.health(SHOP).failures(), "a good backup clears the failures");
    }

    @Test
    void aScheduleIsCheckedKeptAndShown() throws Exception {
        BackupException bad = assertThrows(BackupException.class,
                () -> backups.schedule(SHOP, new BackupSchedule("61 3 * * *", Retention.ALL)));
        assertTrue(bad.getMessage().contains("minute field '61'"), bad.getMessage());
        backups.schedule(SHOP, new BackupSchedule("0 3 * * *", new Retention(3, 7, 0, 0)));
        BackupHealth health = backups.health(SHOP);
        assertEquals("0 3 * * *", health.schedule().orElseThrow().cron());
        assertEquals(new Retention(3, 7, 0, 0), health.schedule().get().retention());
        assertEquals(3, health.nextRun().orElseThrow().atZone(java.time.ZoneOffset.UTC).getHour());
        backups.unschedule(SHOP);
        assertTrue(backups.health(SHOP).schedule().isEmpty());
    }

    @Test
    void retentionDeletesWhatItDoesNotKeepAndNeverTheNewest() throws Exception {
        for (int i = 0; i < 3; i++) {
            clock.set("2026-12-05T0" + (3 + i) + ":00:00Z");
            backups.create(SHOP, QUIET);
        }
        List<BackupInfo> before = backups.list(Optional.of(SHOP));
        backups.retain(SHOP, new BackupSchedule("0 3 * * *", new Retention(1, 0, 0, 0)));
        List<BackupInfo> after = backups.list(Optional.of(SHOP));
        assertEquals(1, after.size());
        assertEquals(before.get(0).manifest().id(), after.get(0).manifest().id());
        assertEquals(Instant.parse("2026-12-05T05:00:00Z"), after.get(0).manifest().created(), "the newest");
        assertTrue(new String(Files.readAllBytes(store.file(after.get(0).manifest().id(), "manifest.txt")),
                StandardCharsets.UTF_8).startsWith("hop3-backup 1"));
    }


    @Test
    void theSweepTakesDueBackupsAppliesRetentionAndRetriesAFailureAtTheNextTime() throws Exception {
        backups.schedule(SHOP, new BackupSchedule("0 3 * * *", new Retention(2, 0, 0, 0)));
        clock.set("2026-12-05T02:59:00Z");
        backups.sweep();
        assertEquals(0, backups.list(Optional.of(SHOP)).size(), "not due yet");
        for (String day : List.of("05", "06", "07")) {
            clock.set("2026-12-" + day + "T03:00:30Z");
            backups.sweep();
            backups.sweep(); // once per time
        }
        List<BackupInfo> kept = backups.list(Optional.of(SHOP));
        assertEquals(List.of(Instant.parse("2026-12-07T03:00:30Z"), Instant.parse("2026-12-06T03:00:30Z")),
                kept.stream().map(b -> b.manifest().created()).toList(), "keep-last 2 after the third");

        postgres.failDump = "server closed the connection unexpectedly";
        clock.set("2026-12-08T03:00:30Z");
        backups.sweep();
        BackupHealth failing = backups.health(SHOP);
        assertEquals(1, failing.failures());
        assertEquals(Instant.parse("2026-12-07T03:00:30Z"), failing.lastGood().orElseThrow());
        assertEquals(Instant.parse("2026-12-09T03:00:00Z"), failing.nextRun().orElseThrow());
        assertEquals(2, backups.list(Optional.of(SHOP)).size(), "a failure deletes nothing");

        postgres.failDump = null;
        clock.set("2026-12-09T03:01:00Z");
        backups.sweep();
        assertEquals(0, backups.health(SHOP).failures(), "retried at the next time, and good");
        assertEquals(2, backups.list(Optional.of(SHOP)).size());
    }

    /** A clock the test moves. */
    private static final class SetClock extends Clock {
        private volatile Instant now;

        SetClock(Instant now) {
            this.now = now;
        }

        void set(String instant) {
            now = Instant.parse(instant);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
