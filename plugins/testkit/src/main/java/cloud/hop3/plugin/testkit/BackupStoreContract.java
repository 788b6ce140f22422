package cloud.hop3.plugin.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.backup.BackupException;
import cloud.hop3.api.backup.BackupId;
import cloud.hop3.api.backup.BackupManifest;
import cloud.hop3.api.backup.BackupPart;
import cloud.hop3.api.backup.BackupStore;

/**
 * What {@link BackupStore}'s Javadoc promises, checked against a real store: a store's test
 * extends this class, gives the store ({@link #store()}, one per test, empty at first) and a way
 * to damage a part where the store keeps it ({@link #damage}). A store that skips a check fails
 * here: put must check every part before it keeps anything, get must check every part it hands
 * back.
 */
public abstract class BackupStoreContract {

    /** How {@link #damage} spoils a stored part. */
    public enum Damage {
        /** One byte of the part's content changed, its size kept. */
        FLIP_BYTE,
        /** The end of the part's content lost. */
        TRUNCATE
    }

    /** Where the tests write the parts they put and the directories they get into. */
    @TempDir
    protected Path scratch;

    private final Random random = new Random(12);

    /** The store under test: the same instance for the whole of one test, holding no backup at first. */
    protected abstract BackupStore store() throws Exception;

    /** Spoils the stored copy of {@code part} of backup {@code id} as {@code how} says. */
    protected abstract void damage(BackupId id, String part, Damage how) throws Exception;

    @Test
    void putThenGetGivesBackTheManifestAndByteIdenticalParts() throws Exception {
        Map<String, byte[]> parts = parts();
        BackupManifest manifest = manifest("shop", "shop-1", "2026-12-05T17:00:00Z", parts);
        store().put(manifest, write(manifest, parts));

        assertEquals(List.of(manifest), store().list());
        assertEquals(Optional.of(manifest), store().manifest(manifest.id()));
        Path into = emptyDirectory();
        assertEquals(manifest, store().get(manifest.id(), into));
        assertEquals(parts.keySet(), names(into), "get gives back exactly the parts");
        for (Map.Entry<String, byte[]> part : parts.entrySet()) {
            assertArrayEquals(part.getValue(), Files.readAllBytes(into.resolve(part.getKey())), part.getKey());
        }
    }

    @Test
    void aPutWithAPartMissingIsRefusedAndLeavesNothingListed() throws Exception {
        Map<String, byte[]> parts = parts();
        BackupManifest manifest = manifest("shop", "shop-2", "2026-12-05T17:00:00Z", parts);
        Path directory = write(manifest, parts);
        Files.delete(directory.resolve("repo.bundle"));

        assertRefusedNaming("repo.bundle", () -> store().put(manifest, directory));
        assertNothingOf(manifest.id());
        Files.write(directory.resolve("repo.bundle"), parts.get("repo.bundle"));
        store().put(manifest, directory);
        assertEquals(List.of(manifest), store().list(), "a refused put leaves nothing in the way of the next one");
    }

    @Test
    void aPutWithAPartOfAnotherContentIsRefusedAndLeavesNothingListed() throws Exception {
        Map<String, byte[]> parts = parts();
        BackupManifest manifest = manifest("shop", "shop-3", "2026-12-05T17:00:00Z", parts);
        Path directory = write(manifest, parts);
        byte[] changed = parts.get("data.tar").clone();
        changed[changed.length / 2] ^= 1;
        Files.write(directory.resolve("data.tar"), changed);

        assertRefusedNaming("data.tar", () -> store().put(manifest, directory));
        assertNothingOf(manifest.id());
    }

    @Test
    void aPutWithAPartOfAnotherSizeIsRefusedAndLeavesNothingListed() throws Exception {
        Map<String, byte[]> parts = parts();
        BackupManifest manifest = manifest("shop", "shop-4", "2026-12-05T17:00:00Z", parts);
        Path directory = write(manifest, parts);
        Files.write(directory.resolve("addon-shop-db.pgdump"), "more".getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);

        assertRefusedNaming("addon-shop-db.pgdump", () -> store().put(manifest, directory));
        assertNothingOf(manifest.id());
    }

    @Test
    void aPartDamagedInTheStoreIsRefusedByGetNamingIt() throws Exception {
        assertDamageRefused(Damage.FLIP_BYTE, "shop-5");
    }

    @Test
    void aPartTruncatedInTheStoreIsRefusedByGetNamingIt() throws Exception {
        assertDamageRefused(Damage.TRUNCATE, "shop-6");
    }

    @Test
    void aPutOfAnExistingIdIsRefusedAndKeepsTheFirst() throws Exception {
        Map<String, byte[]> first = parts();
        BackupManifest manifest = manifest("shop", "shop-7", "2026-12-05T17:00:00Z", first);
        store().put(manifest, write(manifest, first));
        Map<String, byte[]> second = parts();
        BackupManifest again = manifest("shop", "shop-7", "2026-12-05T18:00:00Z", second);

        BackupException refused = assertThrows(BackupException.class, () -> store().put(again, write(again, second)));
        assertTrue(refused.getMessage().contains("shop-7"), refused.getMessage());
        assertEquals(List.of(manifest), store().list());
        Path into = emptyDirectory();
        store().get(manifest.id(), into);
        assertArrayEquals(first.get("data.tar"), Files.readAllBytes(into.resolve("data.tar")));
    }

    @Test
    void deleteRemovesOneBackupAndIsQuietForAnUnknownId() throws Exception {
        BackupManifest kept = putBackup("shop", "shop-8", "2026-12-05T17:00:00Z");
        BackupManifest deleted = putBackup("shop", "shop-9", "2026-12-05T18:00:00Z");

        store().delete(deleted.id());

        assertEquals(List.of(kept), store().list());
        assertNothingOf(deleted.id());
        store().delete(deleted.id());
        store().delete(BackupId.of("never-taken"));
        assertEquals(List.of(kept), store().list());
    }

    @Test
    void listIsNewestFirstWhateverTheOrderOfPuts() throws Exception {
        BackupManifest middle = putBackup("shop", "shop-b", "2026-12-05T12:00:00Z");
        BackupManifest oldest = putBackup("shop", "shop-c", "2026-12-04T12:00:00Z");
        BackupManifest newest = putBackup("shop", "shop-a", "2026-12-06T12:00:00Z");

        assertEquals(List.of(newest, middle, oldest), store().list());
    }

    @Test
    void backupsOfTwoAppsAreKeptApart() throws Exception {
        BackupManifest shop = putBackup("shop", "shop-10", "2026-12-05T17:00:00Z");
        BackupManifest blog = putBackup("blog", "blog-10", "2026-12-05T18:00:00Z");

        assertEquals(List.of(blog, shop), store().list());
        assertEquals(AppName.of("blog"), store().manifest(blog.id()).orElseThrow().app());
        Path into = emptyDirectory();
        assertEquals(shop, store().get(shop.id(), into));
    }

    @Test
    void aBackupOfThePlatformIsKeptAndGivenBackLikeAnAppsBackup() throws Exception {
        BackupManifest shop = putBackup("shop", "shop-10", "2026-12-05T17:00:00Z");
        Map<String, byte[]> parts = new TreeMap<>(Map.of("platform.tar", bytes(10 * 1024), "shop.repo.bundle", bytes(2048)));
        BackupManifest app = manifest("shop", "platform-10", "2026-12-05T18:00:00Z", parts);
        BackupManifest platform = new BackupManifest(app.id(), Optional.empty(), app.created(), 0, app.platform(),
                app.plugins(), app.parts());
        store().put(platform, write(platform, parts));

        assertEquals(List.of(platform, shop), store().list());
        assertTrue(store().manifest(platform.id()).orElseThrow().ofPlatform());
        Path into = emptyDirectory();
        assertEquals(platform, store().get(platform.id(), into));
        assertArrayEquals(parts.get("platform.tar"), Files.readAllBytes(into.resolve("platform.tar")));
    }

    @Test
    void getOfAnUnknownIdIsRefused() throws Exception {
        BackupException refused = assertThrows(BackupException.class,
                () -> store().get(BackupId.of("never-taken"), emptyDirectory()));
        assertTrue(refused.getMessage().contains("never-taken"), refused.getMessage());
        assertEquals(Optional.empty(), store().manifest(BackupId.of("never-taken")));
    }

    private void assertDamageRefused(Damage how, String id) throws Exception {
        BackupManifest manifest = putBackup("shop", id, "2026-12-05T17:00:00Z");
        damage(manifest.id(), "data.tar", how);

        BackupException refused = assertThrows(BackupException.class, () -> store().get(manifest.id(), emptyDirectory()));
        assertTrue(refused.getMessage().contains("data.tar"), "names the part: " + refused.getMessage());
        assertTrue(refused.getMessage().contains(id), "names the backup: " + refused.getMessage());
    }

    private void assertRefusedNaming(String part, Executable put) {
        BackupException refused = assertThrows(BackupException.class, put);
        assertTrue(refused.getMessage().contains(part), "names the part: " + refused.getMessage());
    }

    private void assertNothingOf(BackupId id) throws Exception {
        assertTrue(store().list().stream().noneMatch(m -> m.id().equals(id)), "listed: " + store().list());
        assertEquals(Optional.empty(), store().manifest(id));
        assertThrows(BackupException.class, () -> store().get(id, emptyDirectory()));
    }

    /** Puts a backup of fresh parts, returning its manifest. */
    protected BackupManifest putBackup(String app, String id, String created) throws Exception {
        Map<String, byte[]> parts = parts();
        BackupManifest manifest = manifest(app, id, created, parts);
        store().put(manifest, write(manifest, parts));
        return manifest;
    }

    /** Parts like an app's: an empty one, a small text, a dump and some random data of 300 KiB. */
    protected Map<String, byte[]> parts() {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("repo.bundle", bytes(20_000));
        parts.put("config.json", "{\"DEBUG\": \"0\"}\n".getBytes(StandardCharsets.UTF_8));
        parts.put("addon-shop-db.pgdump", bytes(5_000));
        parts.put("empty.txt", new byte[0]);
        parts.put("data.tar", bytes(300 * 1024));
        return parts;
    }

    /** A manifest of {@code parts}, with a plugin version and an attribute. */
    protected static BackupManifest manifest(String app, String id, String created, Map<String, byte[]> parts) {
        List<BackupPart> described = new ArrayList<>();
        for (Map.Entry<String, byte[]> part : parts.entrySet()) {
            Map<String, String> attributes = part.getKey().endsWith(".pgdump")
                    ? Map.of("addon", "shop-db", "rows", "42") : Map.of();
            described.add(new BackupPart(part.getKey(), part.getValue().length, sha256(part.getValue()), attributes));
        }
        return new BackupManifest(BackupId.of(id), AppName.of(app), Instant.parse(created), 3, "0.1.0",
                Map.of("cloud.hop3.addon.postgres", "0.1.0"), described);
    }

    /** A new directory holding {@code parts}, named for the backup as a caller would. */
    protected Path write(BackupManifest manifest, Map<String, byte[]> parts) throws IOException {
        Path directory = Files.createTempDirectory(scratch, manifest.id() + "-");
        for (Map.Entry<String, byte[]> part : parts.entrySet()) {
            Files.write(directory.resolve(part.getKey()), part.getValue());
        }
        return directory;
    }

    /** A new, empty directory for a get. */
    protected Path emptyDirectory() throws IOException {
        return Files.createTempDirectory(scratch, "get-");
    }

    private byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private static Set<String> names(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return new TreeSet<>(files.map(f -> f.getFileName().toString()).toList());
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
