package cloud.hop3.core.impl.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The add-ons an app declares: hop3.toml {@code [[addons]]} and app.json {@code addons}. */
class AddonDeclarationsTest {

    @Test
    void eachAddonHasATypeAndMayHaveANameAndAPrefix() throws Exception {
        Hop3Toml toml = Hop3TomlParser.parse("""
                [[addons]]
                type = "postgres"

                [[addons]]
                type = "redis"
                name = "shop-cache"
                as = "CACHE"
                """);

        assertEquals(List.of(new AddonDeclaration("postgres", Optional.empty(), Optional.empty()),
                new AddonDeclaration("redis", Optional.of("shop-cache"), Optional.of("CACHE"))), toml.addons());
        assertEquals("shop-postgres", toml.addons().get(0).nameFor("shop"));
    }

    private static String problem(String toml) {
        ManifestException e = assertThrows(ManifestException.class, () -> Hop3TomlParser.parse(toml));
        return e.getMessage();
    }

    @Test
    void badDeclarationsAreRefusedNamingTheEntryAndItsLine() {
        String unknown = problem("""
                [run]
                start = "./web"

                [[addons]]
                type = "postgres"
                plan = "large"
                """);
        assertTrue(unknown.contains("line 4") && unknown.contains("unknown field 'plan' in [[addons]] number 1")
                && unknown.contains("known: type, name, as"), unknown);
        assertTrue(problem("[[addons]]\nname = \"db\"\n").contains("needs a type"));
        assertTrue(problem("[[addons]]\ntype = \"Postgres!\"\n").contains("'Postgres!' is not an add-on type"));
        assertTrue(problem("[[addons]]\ntype = \"postgres\"\nname = \"Shop_DB\"\n").contains("Invalid add-on name 'Shop_DB'"));
        assertTrue(problem("[[addons]]\ntype = \"postgres\"\nname = \"" + "a".repeat(31) + "\"\n").contains("at most 30"));
        assertTrue(problem("[[addons]]\ntype = \"postgres\"\nas = \"db\"\n").contains("'db' is not a variable prefix"));
        assertTrue(problem("[[addons]]\ntype = 5\n").contains("type must be a string"));
        assertTrue(problem("addons = [\"postgres\"]\n").contains("[[addons]]"));
        assertTrue(problem("[[addons]]\ntype = \"postgres\"\n[[addons]]\ntype = \"postgres\"\n").contains("declared twice"));
    }

    @Test
    void appJsonAddonsAreReadHerokuStyle() throws Exception {
        AppJson json = AppJsonParser.parse("""
                {"addons": ["heroku-postgresql:mini", {"plan": "redis", "as": "CACHE", "name": "shop-cache"}]}
                """);

        assertEquals(List.of(new AddonDeclaration("postgres", Optional.empty(), Optional.empty()),
                new AddonDeclaration("redis", Optional.of("shop-cache"), Optional.of("CACHE"))), json.addons());
        assertThrows(ManifestException.class, () -> AppJsonParser.parse("{\"addons\": {\"plan\": \"redis\"}}"));
        assertThrows(ManifestException.class, () -> AppJsonParser.parse("{\"addons\": [{\"as\": \"X\"}]}"));
        assertThrows(ManifestException.class, () -> AppJsonParser.parse("{\"addons\": [{\"plan\": \"redis\", \"name\": \"A\"}]}"));
    }

    @Test
    void hop3TomlAddonsWinOverAppJsonOnes(@TempDir Path source) throws Exception {
        Files.writeString(source.resolve("app.json"), "{\"addons\": [\"redis\"]}");
        assertEquals(List.of(new AddonDeclaration("redis", Optional.empty(), Optional.empty())),
                ManifestParser.parse(source).addons());

        Files.writeString(source.resolve("hop3.toml"), "[[addons]]\ntype = \"postgres\"\n");
        assertEquals(List.of(new AddonDeclaration("postgres", Optional.empty(), Optional.empty())),
                ManifestParser.parse(source).addons());
    }
}
