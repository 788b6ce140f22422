package cloud.hop3.core.impl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.app.AppInfo;
import cloud.hop3.api.app.AppName;
import cloud.hop3.core.impl.platform.PlatformSettings;

class AppCatalogTest {

    private static final Instant NOW = Instant.parse("2025-03-04T05:06:07Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path tmp;

    private Path home;
    private Path apps;
    private AppCatalog catalog;

    @BeforeEach
    void setUp() throws IOException {
        home = tmp.resolve("hop3");
        apps = home.resolve("apps");
        catalog = open();
    }

    private AppCatalog open() throws IOException {
        return new AppCatalog(new PlatformSettings(home, "example.com"), CLOCK);
    }

    private static AppName app(String name) {
        return AppName.of(name);
    }

    @Test
    void startsEmptyAndCreatesTheAppsDirectory() {
        assertEquals(List.of(), catalog.list());
        assertTrue(Files.isDirectory(apps));
    }

    @Test
    void whatAnotherWriterPutsOnDiskIsWhatIsReadNotTheDocumentReadBefore() throws IOException {
        catalog.create(app("shop"));
        catalog.update(app("shop"), d -> d.withDomains(List.of("shop.example.org")));
        assertEquals(List.of("shop.example.org"), catalog.document(app("shop")).domains());

        // another catalog on the same state, as a platform restore or a second process writes it
        open().update(app("shop"), d -> d.withDomains(List.of("shop.example.net")));
        assertEquals(List.of("shop.example.net"), catalog.document(app("shop")).domains());
        assertEquals(List.of("shop.example.net"), catalog.list().get(0).domains());

        Path document = apps.resolve("shop/app.json");
        Path broken = Files.writeString(apps.resolve("shop/app.json.new"), "{ not json");
        Files.move(broken, document, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertThrows(UncheckedIOException.class, () -> catalog.document(app("shop")), "a damaged file is not hidden");

        Files.delete(document);
        assertThrows(NoSuchElementException.class, () -> catalog.document(app("shop")));
        assertEquals(List.of(), catalog.list());
    }

    @Test
    void aCreatedAppIsListedAndFound() {
        AppInfo created = catalog.create(app("shop"));

        AppInfo expected = new AppInfo(app("shop"), NOW, List.of(), List.of());
        assertEquals(expected, created);
        assertEquals(List.of(expected), catalog.list());
        assertEquals(Optional.of(expected), catalog.find(app("shop")));
        assertEquals(Optional.empty(), catalog.find(app("blog")));
        assertTrue(Files.isRegularFile(apps.resolve("shop/app.json")));
        assertTrue(Files.isDirectory(apps.resolve("shop/data")));
    }

    @Test
    void listIsSortedByName() {
        for (String name : List.of("zeta", "alpha", "mid", "alpha-2", "beta")) {
            catalog.create(app(name));
        }

        assertEquals(List.of("alpha", "alpha-2", "beta", "mid", "zeta"), names(catalog.list()));
    }

    @Test
    void creatingAnExistingAppFailsWithItsNameAndChangesNothing() throws IOException {
        catalog.create(app("shop"));
        Path doc = apps.resolve("shop/app.json");
        String before = Files.readString(doc);
        Files.writeString(apps.resolve("shop/data/db.sqlite"), "rows");

        AppCatalog later = new AppCatalog(new PlatformSettings(home, "example.com"),
                Clock.fixed(NOW.plusSeconds(3600), ZoneOffset.UTC));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> later.create(app("shop")));

        assertTrue(e.getMessage().contains("shop"), e.getMessage());
        assertEquals(before, Files.readString(doc));
        assertEquals("rows", Files.readString(apps.resolve("shop/data/db.sqlite")));
        assertEquals(List.of(new AppInfo(app("shop"), NOW, List.of(), List.of())), later.list());
    }

    @Test
    void appsSurviveARestart() throws IOException {
        catalog.create(app("shop"));
        catalog.create(app("blog"));

        AppCatalog restarted = open();

        assertEquals(List.of("blog", "shop"), names(restarted.list()));
        assertEquals(Optional.of(new AppInfo(app("shop"), NOW, List.of(), List.of())), restarted.find(app("shop")));
    }

    @Test
    void aRestartRemovesTemporaryFilesOfAnInterruptedWrite() throws IOException {
        catalog.create(app("shop"));
        Path leftover = Files.writeString(apps.resolve("shop/.app.json.tmp-" + UUID.randomUUID()), "{\"na");

        AppCatalog restarted = open();

        assertFalse(Files.exists(leftover));
        assertEquals(List.of("shop"), names(restarted.list()));
    }

    @Test
    void destroyKeepsTheDataDirectoryUnlessPurged() throws IOException {
        catalog.create(app("shop"));
        catalog.create(app("blog"));
        Path dataFile = Files.writeString(apps.resolve("shop/data/db.sqlite"), "rows");
        Files.createDirectories(apps.resolve("shop/repo/objects"));
        Files.writeString(apps.resolve("shop/repo/objects/abc"), "blob");
        Files.writeString(apps.resolve("shop/ENV"), "A=1");

        catalog.destroy(app("shop"), false);

        assertEquals(List.of("blog"), names(catalog.list()));
        assertEquals(Optional.empty(), catalog.find(app("shop")));
        assertEquals("rows", Files.readString(dataFile));
        assertEquals(List.of("data"), fileNames(apps.resolve("shop")), "everything but data is removed");
        assertEquals(List.of("blog"), names(open().list()), "and stays destroyed after a restart");
    }

    @Test
    void destroyWithPurgeRemovesTheWholeAppDirectory() throws IOException {
        catalog.create(app("shop"));
        Files.writeString(apps.resolve("shop/data/db.sqlite"), "rows");
        Files.createDirectories(apps.resolve("shop/data/uploads/2024"));
        Files.writeString(apps.resolve("shop/data/uploads/2024/a.png"), "png");

        catalog.destroy(app("shop"), true);

        assertFalse(Files.exists(apps.resolve("shop"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(List.of(), catalog.list());
        assertTrue(Files.isDirectory(apps));
    }

    @Test
    void destroyingAnUnknownAppFailsAndTouchesNothing() throws IOException {
        catalog.create(app("shop"));
        Files.createDirectories(apps.resolve("ghost/data"));
        Files.writeString(apps.resolve("ghost/data/keep.txt"), "keep");

        NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> catalog.destroy(app("blog"), true));
        assertTrue(e.getMessage().contains("blog"), e.getMessage());
        assertThrows(NoSuchElementException.class, () -> catalog.destroy(app("ghost"), true));

        assertEquals("keep", Files.readString(apps.resolve("ghost/data/keep.txt")));
        assertEquals(List.of("shop"), names(catalog.list()));
    }

    @Test
    void destroyingTwiceFailsTheSecondTime() {
        catalog.create(app("shop"));
        catalog.destroy(app("shop"), false);

        assertThrows(NoSuchElementException.class, () -> catalog.destroy(app("shop"), false));
    }

    @Test
    void listIgnoresDirectoriesThatAreNotApps() throws IOException {
        catalog.create(app("shop"));
        // Not a valid app name, even though it holds an app document.
        Files.createDirectories(apps.resolve("Not_An_App"));
        Files.writeString(apps.resolve("Not_An_App/app.json"),
                "{\"schema\": 1, \"name\": \"shop\", \"created\": \"2020-01-01T00:00:00Z\", \"domains\": []}");
        // A valid name, but no app document (for example the data kept by a destroy).
        Files.createDirectories(apps.resolve("kept/data"));
        // A stray file next to the app directories.
        Files.writeString(apps.resolve("README"), "hello");

        assertEquals(List.of(new AppInfo(app("shop"), NOW, List.of(), List.of())), catalog.list());
        assertEquals(Optional.empty(), catalog.find(app("kept")));
    }

    @Test
    void anAppCanBeCreatedAgainAfterADestroyThatKeptItsData() throws IOException {
        catalog.create(app("shop"));
        Files.writeString(apps.resolve("shop/data/db.sqlite"), "rows");
        catalog.destroy(app("shop"), false);

        AppCatalog later = new AppCatalog(new PlatformSettings(home, "example.com"),
                Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC));
        AppInfo again = later.create(app("shop"));

        assertEquals(NOW.plusSeconds(60), again.created());
        assertEquals("rows", Files.readString(apps.resolve("shop/data/db.sqlite")));
        assertEquals(List.of(again), later.list());
    }

    @Test
    void destroyRemovesSymlinksToOutsideWithoutTouchingTheirTargets() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path precious = Files.writeString(outside.resolve("precious.txt"), "do not delete");
        Path preciousFile = Files.writeString(tmp.resolve("precious-file.txt"), "do not delete either");
        catalog.create(app("shop"));
        Path appDir = apps.resolve("shop");
        Files.createDirectories(appDir.resolve("repo"));
        Path dirLink = Files.createSymbolicLink(appDir.resolve("link"), outside);
        Path nestedLink = Files.createSymbolicLink(appDir.resolve("repo/nested-link"), outside);
        Path fileLink = Files.createSymbolicLink(appDir.resolve("repo/file-link"), preciousFile);

        catalog.destroy(app("shop"), false);

        assertFalse(Files.exists(dirLink, LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(nestedLink, LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(fileLink, LinkOption.NOFOLLOW_LINKS));
        assertEquals("do not delete", Files.readString(precious));
        assertEquals("do not delete either", Files.readString(preciousFile));
        assertEquals(List.of("data"), fileNames(appDir));
    }

    @Test
    void purgeRemovesASymlinkInsideDataWithoutTouchingItsTarget() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path precious = Files.writeString(outside.resolve("precious.txt"), "do not delete");
        catalog.create(app("shop"));
        Files.createSymbolicLink(apps.resolve("shop/data/shared"), outside);

        catalog.destroy(app("shop"), true);

        assertFalse(Files.exists(apps.resolve("shop"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("do not delete", Files.readString(precious));
    }

    @Test
    void purgeRemovesADataDirectoryThatIsASymlinkWithoutTouchingItsTarget() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("volume"));
        Path precious = Files.writeString(outside.resolve("db.sqlite"), "rows");
        catalog.create(app("shop"));
        Files.delete(apps.resolve("shop/data"));
        Files.createSymbolicLink(apps.resolve("shop/data"), outside);

        catalog.destroy(app("shop"), true);

        assertFalse(Files.exists(apps.resolve("shop"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("rows", Files.readString(precious));
    }

    private static List<String> names(List<AppInfo> apps) {
        return apps.stream().map(a -> a.name().value()).toList();
    }

    private static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
