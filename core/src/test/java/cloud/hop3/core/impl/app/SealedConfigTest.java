package cloud.hop3.core.impl.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.secret.KeyRotation;
import cloud.hop3.core.impl.addon.AddonCatalog;
import cloud.hop3.core.impl.platform.PlatformSettings;
import cloud.hop3.core.impl.secret.SecretBox;
import cloud.hop3.core.impl.service.SecretRotation;

/**
 * Config vars are encrypted in the app documents on disk, in the current config and in every
 * release; documents written before are encrypted when the catalog opens, and a key rotation
 * re-encrypts them all.
 */
class SealedConfigTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-04T05:06:07Z"), ZoneOffset.UTC);
    private static final String SECRET = "hunter2-very-secret";
    private static final AppName SHOP = AppName.of("shop");

    @TempDir
    Path home;

    private SecretBox box;
    private AppCatalog catalog;

    @BeforeEach
    void open() throws IOException {
        box = new SecretBox(home, CLOCK);
        catalog = new AppCatalog(new PlatformSettings(home, "example.com"), CLOCK, box);
    }

    private void setPassword(AppName app) {
        catalog.update(app, d -> d.withRelease(new ReleaseDocument(d.nextReleaseNumber(), 1, "abc", "static", "Set DB",
                CLOCK.instant(), Map.of("DB_PASSWORD", SECRET), Map.of("web", 1), null))
                .withConfig(Map.of("DB_PASSWORD", SECRET, "EMPTY", "")));
    }

    private Path document(AppName app) {
        return home.resolve("apps").resolve(app.value()).resolve("app.json");
    }

    @Test
    void configVarsAreInNoFileInPlainButReadBackExactly() throws IOException {
        catalog.create(SHOP);
        setPassword(SHOP);

        assertEquals(List.of(), filesHolding(SECRET));
        assertEquals(SECRET, catalog.document(SHOP).config().get("DB_PASSWORD"));
        assertEquals(SECRET, catalog.document(SHOP).current().orElseThrow().config().get("DB_PASSWORD"));
        assertEquals("", catalog.document(SHOP).config().get("EMPTY"));
        AppCatalog reopened = new AppCatalog(new PlatformSettings(home, "example.com"), CLOCK);
        assertEquals(SECRET, reopened.find(SHOP).orElseThrow().releases().get(0).config().get("DB_PASSWORD"));
    }

    @Test
    void sealingKeepsEverythingElseTheDocumentHolds() throws IOException {
        catalog.create(SHOP);
        catalog.update(SHOP, d -> d.withLimits(Map.of("memory", "128M")).withDomains(List.of("shop.example.org")));
        setPassword(SHOP);

        AppCatalog reopened = new AppCatalog(new PlatformSettings(home, "example.com"), CLOCK, box);
        AppDocument doc = reopened.document(SHOP);
        assertEquals(Map.of("memory", "128M"), doc.limits());
        assertEquals(List.of("shop.example.org"), doc.domains());
    }

    @Test
    void aValueMovedToAnotherAppIsRefused() throws IOException {
        catalog.create(SHOP);
        setPassword(SHOP);
        AppName other = AppName.of("other");
        catalog.create(other);
        catalog.update(other, d -> d.withConfig(Map.of("DB_PASSWORD", "x")));
        String stolen = sealedValue(SHOP);
        String otherDoc = Files.readString(document(other));
        Files.writeString(document(other), otherDoc.replace(sealedValue(other), stolen));

        assertThrows(IllegalStateException.class, () -> catalog.document(other));
    }

    @Test
    void plainValuesOfAnEarlierVersionAreEncryptedAtStartAndKept() throws IOException {
        Files.createDirectories(document(SHOP).getParent());
        Files.writeString(document(SHOP), """
                {"schema": 1, "name": "shop", "created": "2025-01-01T00:00:00Z",
                 "config": {"DB_PASSWORD": "%s"},
                 "releases": [{"number": 1, "artifact": 1, "reason": "Deploy", "config": {"DB_PASSWORD": "%s"},
                               "formation": {"web": 1}}]}
                """.formatted(SECRET, SECRET));

        AppCatalog upgraded = new AppCatalog(new PlatformSettings(home, "example.com"), CLOCK, box);

        assertEquals(List.of(), filesHolding(SECRET));
        assertEquals(SECRET, upgraded.document(SHOP).config().get("DB_PASSWORD"));
        assertEquals(SECRET, upgraded.document(SHOP).current().orElseThrow().config().get("DB_PASSWORD"));
    }

    @Test
    void aRotationReencryptsEveryAppAndForgetsTheOldKey() throws IOException {
        catalog.create(SHOP);
        setPassword(SHOP);
        String oldKey = box.currentKey();
        String before = Files.readString(document(SHOP));

        KeyRotation rotation = new SecretRotation(box, catalog, new AddonCatalog(home, box)).rotate();

        assertEquals(1, rotation.documents());
        assertEquals(List.of(oldKey), rotation.retired());
        assertEquals(List.of(), rotation.problems());
        String after = Files.readString(document(SHOP));
        assertNotEquals(before, after);
        assertFalse(after.contains(oldKey + ":"), after);
        assertTrue(after.contains(rotation.key() + ":"), after);
        AppCatalog restarted = new AppCatalog(new PlatformSettings(home, "example.com"), CLOCK);
        assertEquals(SECRET, restarted.document(SHOP).config().get("DB_PASSWORD"));
        assertEquals(SECRET, restarted.document(SHOP).current().orElseThrow().config().get("DB_PASSWORD"));
    }

    @Test
    void aRotationThatCannotReencryptAnAppKeepsTheOldKey() throws IOException {
        catalog.create(SHOP);
        setPassword(SHOP);
        AppName broken = AppName.of("broken");
        catalog.create(broken);
        Files.writeString(document(broken), "{ not json");
        String oldKey = box.currentKey();

        KeyRotation rotation = new SecretRotation(box, catalog, new AddonCatalog(home, box)).rotate();

        assertEquals(List.of(), rotation.retired());
        assertEquals(1, rotation.problems().size(), rotation.problems().toString());
        assertTrue(rotation.problems().get(0).startsWith("app broken"), rotation.problems().toString());
        assertTrue(Files.readString(home.resolve("keys/secrets.json")).contains(oldKey), "the old key is kept");
        assertEquals(SECRET, catalog.document(SHOP).config().get("DB_PASSWORD"));
    }

    private String sealedValue(AppName app) throws IOException {
        String doc = Files.readString(document(app));
        int at = doc.indexOf("\"DB_PASSWORD\" : \"") + "\"DB_PASSWORD\" : \"".length();
        return doc.substring(at, doc.indexOf('"', at));
    }

    private List<Path> filesHolding(String text) throws IOException {
        try (Stream<Path> files = Files.walk(home)) {
            return files.filter(Files::isRegularFile).filter(f -> {
                try {
                    return Files.readString(f).contains(text);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
