package cloud.hop3.plugin.support.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticSiteTest {

    @TempDir
    Path temp;

    @Test
    void decodesOnceAndRefusesWhatCouldEscape() {
        assertEquals("/a b/c", StaticSite.decode("/a%20b/c"));
        assertEquals("/%2e", StaticSite.decode("/%252e"), "decoded once only");
        assertEquals("/é", StaticSite.decode("/%C3%A9"));
        assertNull(StaticSite.decode("/a%5cb"));
        assertNull(StaticSite.decode("/a\\b"));
        assertNull(StaticSite.decode("/a%00"));
        assertNull(StaticSite.decode("/a%2"));
        assertNull(StaticSite.decode("/a%g0"));
        assertNull(StaticSite.decode("/%c0%ae"), "overlong UTF-8");
    }

    @Test
    void theLongestPrefixWinsAndOthersAreNotMatched() throws Exception {
        Path assets = Files.createDirectories(temp.resolve("assets"));
        Path images = Files.createDirectories(temp.resolve("images"));
        Files.writeString(assets.resolve("logo.png"), "a");
        Files.writeString(images.resolve("logo.png"), "i");
        StaticSite site = StaticSite.of(Map.of("/static/", assets, "/static/img", images));
        StaticSite.Found found = assertInstanceOf(StaticSite.Found.class, site.lookup("/static/img/logo.png"));
        assertEquals(images.toRealPath().resolve("logo.png"), found.file());
        found = assertInstanceOf(StaticSite.Found.class, site.lookup("/static/logo.png?x#y"));
        assertEquals(assets.toRealPath().resolve("logo.png"), found.file());
        assertEquals(StaticSite.Outcome.NOT_MATCHED, site.lookup("/staticfile"));
        assertEquals(StaticSite.Outcome.NOT_MATCHED, site.lookup("/"));
        assertEquals(StaticSite.Outcome.NOT_MATCHED, site.lookup("*"));
        assertEquals(StaticSite.Outcome.MISSING, site.lookup("/static/nothing"));
        assertEquals(StaticSite.Outcome.REFUSED, site.lookup("/static/../assets/logo.png"));
    }

    @Test
    void aDirectoryWithoutSlashRedirectsWithoutLeavingTheSite() throws Exception {
        Files.createDirectories(temp.resolve("evil.example"));
        StaticSite site = StaticSite.of(Map.of("/", temp));
        StaticSite.Redirect redirect = assertInstanceOf(StaticSite.Redirect.class, site.lookup("//evil.example"));
        assertEquals("/evil.example/", redirect.location());
    }
}
