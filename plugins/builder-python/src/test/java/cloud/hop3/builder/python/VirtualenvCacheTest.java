package cloud.hop3.builder.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import cloud.hop3.plugin.support.files.Trees;
import cloud.hop3.plugin.testkit.TestFiles;

class VirtualenvCacheTest {

    @TempDir
    Path tmp;
    VirtualenvCache cache;

    @BeforeEach
    void setUp() throws IOException {
        cache = VirtualenvCache.open(tmp.resolve("cache/venvs"));
    }

    @Test
    void theVirtualenvsBelongToTheOwnerOfTheBuildersCacheWhoseToolsMakeThem() throws IOException {
        // an app with a user of its own: the platform (root) hands the builder's cache to that user
        assumeTrue("root".equals(System.getProperty("user.name")), "only root can give a directory away");
        UserPrincipalLookupService users = tmp.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal nobody = users.lookupPrincipalByName("nobody");
        GroupPrincipal nogroup = users.lookupPrincipalByGroupName("nogroup");
        Path builderCache = Files.createDirectories(tmp.resolve("app/cache/python"));
        PosixFileAttributeView view = Files.getFileAttributeView(builderCache, PosixFileAttributeView.class);
        view.setOwner(nobody);
        view.setGroup(nogroup);

        VirtualenvCache appCache = VirtualenvCache.open(builderCache.resolve("venvs"));
        VirtualenvCache.open(builderCache.resolve("venvs"));

        PosixFileAttributes venvs = Files.readAttributes(appCache.directory(), PosixFileAttributes.class);
        assertEquals(nobody, venvs.owner());
        assertEquals(nogroup, venvs.group());
        assertTrue(venvs.permissions().contains(PosixFilePermission.OWNER_WRITE), venvs.permissions().toString());
    }

    @Test
    void keysAreShortHexAndDependOnEveryPart() {
        String key = VirtualenvCache.key(List.of("/usr/bin/python3", "3.11.2", "flask\n"));
        assertTrue(key.matches("[0-9a-f]{16}"), key);
        assertEquals(key, VirtualenvCache.key(List.of("/usr/bin/python3", "3.11.2", "flask\n")));
        assertNotEquals(key, VirtualenvCache.key(List.of("/usr/bin/python3", "3.11.7", "flask\n")));
        assertNotEquals(VirtualenvCache.key(List.of("ab", "c")), VirtualenvCache.key(List.of("a", "bc")));
    }

    @Test
    void aVirtualenvIsFoundOnlyOncePublished() throws IOException {
        String key = VirtualenvCache.key(List.of("a"));
        Path venv = cache.prepare(key);
        assertEquals(cache.directory(), venv.getParent());
        fakeVenv(venv);
        assertEquals(Optional.empty(), cache.published(key), "built, not published");

        cache.publish(key, venv);

        assertEquals(Optional.of(venv), cache.published(key));
        assertTrue(Files.isSymbolicLink(cache.directory().resolve(key)));
    }

    @Test
    void whatAnInterruptedBuildLeftIsRemovedNotReused() throws IOException {
        String key = VirtualenvCache.key(List.of("a"));
        Path kept = publishedVenv(key);
        Path half = fakeVenv(cache.prepare(key));
        Path halfLink = Files.createSymbolicLink(cache.directory().resolve(".link-" + key + "-x"), half.getFileName());
        Path foreign = Files.createDirectory(cache.directory().resolve("notes"));

        Path next = cache.prepare(key);

        assertFalse(Files.exists(half), "an unpublished virtualenv goes");
        assertFalse(Files.exists(halfLink, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.isDirectory(kept), "the published one stays");
        assertTrue(Files.isDirectory(foreign), "what the cache did not make stays");
        assertFalse(Files.exists(next));
        assertEquals(Optional.of(kept), cache.published(key));
    }

    @Test
    void publishingAgainReplacesTheVirtualenvAtOnce() throws IOException {
        String key = VirtualenvCache.key(List.of("a"));
        Path first = publishedVenv(key);
        Path second = fakeVenv(cache.prepare(key));

        cache.publish(key, second);

        assertEquals(Optional.of(second), cache.published(key));
        assertFalse(Files.exists(first));
    }

    @Test
    void aVirtualenvWithoutPythonIsNotWhole() throws IOException {
        String key = VirtualenvCache.key(List.of("a"));
        Path venv = publishedVenv(key);
        assertTrue(VirtualenvCache.whole(venv));

        Files.delete(venv.resolve("bin/python"));
        assertFalse(VirtualenvCache.whole(venv));

        cache.discard(key);
        assertEquals(Optional.empty(), cache.published(key));
        assertFalse(Files.exists(venv));
    }

    @Test
    void evictionKeepsFiveLeastRecentlyUsedGoFirst() throws IOException {
        List<Path> venvs = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            Path venv = publishedVenv(VirtualenvCache.key(List.of("v" + i)));
            cache.use(venv, tmp.resolve("gone-slug-" + i));
            // v0 is the least recently used, v6 the most
            Files.setLastModifiedTime(venv.resolve(VirtualenvCache.USERS), FileTime.from(Instant.ofEpochSecond(1000 + i)));
            venvs.add(venv);
        }

        List<Path> evicted = cache.evict(venvs.get(6));

        assertEquals(List.of(venvs.get(0), venvs.get(1)), evicted);
        assertEquals(venvs.subList(2, 7), published());
        assertEquals(List.of(), cache.evict(venvs.get(6)), "five are kept");
    }

    @Test
    void theOneJustUsedIsNeverEvicted() throws IOException {
        List<Path> venvs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Path venv = publishedVenv(VirtualenvCache.key(List.of("v" + i)));
            Files.setLastModifiedTime(venv.resolve(VirtualenvCache.USERS), FileTime.from(Instant.ofEpochSecond(1000 + i)));
            venvs.add(venv);
        }
        // the oldest is the one this build uses (its use was not recorded yet)
        assertEquals(List.of(venvs.get(1)), cache.evict(venvs.get(0)));
    }

    @Test
    void virtualenvsOfExistingSlugsAreKept() throws IOException {
        List<Path> venvs = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            Path venv = publishedVenv(VirtualenvCache.key(List.of("v" + i)));
            Path slug = Files.createDirectories(tmp.resolve("releases/" + i + "/slug"));
            Files.createSymbolicLink(slug.resolve(".venv"), venv);
            cache.use(venv, slug);
            Files.setLastModifiedTime(venv.resolve(VirtualenvCache.USERS), FileTime.from(Instant.ofEpochSecond(1000 + i)));
            venvs.add(venv);
        }
        // the build of release 0 is still kept (a rollback target); those of releases 1 and 2 were removed
        Trees.delete(tmp.resolve("releases/1"));
        Trees.delete(tmp.resolve("releases/2"));

        assertEquals(List.of(venvs.get(1), venvs.get(2)), cache.evict(venvs.get(6)));
        assertTrue(Files.isDirectory(venvs.get(0)));
    }

    @Test
    void useRecordsTheSlugsThatStillLink() throws IOException {
        Path venv = publishedVenv(VirtualenvCache.key(List.of("a")));
        Path old = Files.createDirectories(tmp.resolve("old"));
        Path current = Files.createDirectories(tmp.resolve("current"));
        Files.createSymbolicLink(current.resolve(".venv"), venv);

        cache.use(venv, old);
        cache.use(venv, current);

        assertEquals(List.of(current.toString()), Files.readAllLines(venv.resolve(VirtualenvCache.USERS)));
        assertTrue(VirtualenvCache.lastUse(venv).toInstant().isAfter(Instant.now().minusSeconds(60)));
    }

    @Test
    void deleteRemovesLinksNotWhatTheyPointAt() throws IOException {
        Path venv = publishedVenv(VirtualenvCache.key(List.of("a")));
        Path slug = Files.createDirectories(tmp.resolve("slug"));
        Files.createSymbolicLink(slug.resolve(".venv"), venv);

        Trees.delete(slug);

        assertFalse(Files.exists(slug));
        assertTrue(VirtualenvCache.whole(venv));
    }

    private List<Path> published() throws IOException {
        try (Stream<Path> entries = Files.list(cache.directory())) {
            return entries.filter(Files::isSymbolicLink).map(link -> {
                try {
                    return cache.published(link.getFileName().toString()).orElseThrow();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sorted((a, b) -> VirtualenvCache.lastUse(a).compareTo(VirtualenvCache.lastUse(b))).toList();
        }
    }

    private Path publishedVenv(String key) throws IOException {
        Path venv = fakeVenv(cache.prepare(key));
        cache.publish(key, venv);
        Files.writeString(venv.resolve(VirtualenvCache.USERS), "");
        return venv;
    }

    /** What the cache looks at in a virtualenv: pyvenv.cfg and an executable bin/python. */
    private static Path fakeVenv(Path venv) throws IOException {
        Files.createDirectories(venv.resolve("bin"));
        Files.writeString(venv.resolve("pyvenv.cfg"), "version = 3.11.2\n");
        TestFiles.executable(venv.resolve("bin/python"), "#!/bin/sh\n");
        return venv;
    }
}
