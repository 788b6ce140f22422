package cloud.hop3.plugin.support.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random request paths built from the pieces that attacks on static file servers use (dot
 * segments plain and encoded, encoded and doubled slashes, back-slashes, NUL, overlong UTF-8,
 * symbolic links that lead out) never find a file outside the site's directories.
 */
class StaticSiteFuzzTest {

    private static final String[] PIECES = {
        "/", "//", "..", ".", "%2e", "%2E", "%2e%2e", ".%2e", "%2e.", "%252e%252e", "%2f", "%2F", "%5c", "%5C",
        "\\", "%00", "\0", "%c0%ae", "%c0%af", "%e0%80%ae", "%", "%g", "?", "#", ";", "%3f", "%23",
        "secret.txt", "outside", "escape", "escape-file", "inside.txt", "sub", "index.html", ".hidden", ".well-known",
        "public", "static", "a", "%20", "~", "..;", "...", "%ef%bc%8f", "%uff0e",
    };

    @TempDir
    Path temp;

    private Path root;
    private Path statics;
    private StaticSite site;

    @BeforeEach
    void layOut() throws Exception {
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.writeString(outside.resolve("index.html"), "secret index");
        Files.writeString(temp.resolve("secret.txt"), "secret");
        root = Files.createDirectories(temp.resolve("site/public"));
        Files.writeString(root.resolve("inside.txt"), "inside");
        Files.writeString(root.resolve("index.html"), "home");
        Files.writeString(root.resolve(".hidden"), "hidden");
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/index.html"), "sub");
        Files.createDirectories(root.resolve(".well-known"));
        Files.writeString(root.resolve(".well-known/inside.txt"), "known");
        Files.createSymbolicLink(root.resolve("escape"), outside);
        Files.createSymbolicLink(root.resolve("escape-file"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("sub/secret.txt"), temp.resolve("secret.txt"));
        statics = Files.createDirectories(temp.resolve("site/static"));
        Files.writeString(statics.resolve("a"), "a");
        Files.createSymbolicLink(statics.resolve("outside"), outside);
        site = StaticSite.of(Map.of("/", root, "/static", statics));
    }

    @Test
    void noRandomPathResolvesOutsideTheRoots() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        Random random = new Random(seed);
        Path realRoot = root.toRealPath();
        Path realStatics = statics.toRealPath();
        int found = 0;
        for (int i = 0; i < 50_000; i++) {
            String path = randomPath(random);
            StaticSite.Lookup lookup;
            try {
                lookup = site.lookup(path);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + ": lookup(" + printable(path) + ") threw " + e, e);
            }
            if (lookup instanceof StaticSite.Found f) {
                found++;
                Path real = f.file().toRealPath();
                if (!real.startsWith(realRoot) && !real.startsWith(realStatics)) {
                    fail("seed " + seed + ": " + printable(path) + " found " + real + ", outside the roots");
                }
                assertFalse(Files.readString(real).contains("secret"), "seed " + seed + ": " + printable(path));
            } else if (lookup instanceof StaticSite.Redirect r) {
                assertTrue(r.location().startsWith("/") && !r.location().startsWith("//"),
                        "seed " + seed + ": " + printable(path) + " redirects to " + printable(r.location()));
            }
        }
        assertTrue(found > 100, "the fuzzer also reaches files that may be served (" + found + ")");
    }

    @Test
    void knownEscapesAreRefusedOrMissing() {
        for (String path : List.of("/../secret.txt", "/%2e%2e/secret.txt", "/.%2e/secret.txt", "/%2e%2e%2fsecret.txt",
                "/..%5csecret.txt", "/..\\secret.txt", "/escape/secret.txt", "/escape-file", "/sub/secret.txt",
                "/static/outside/secret.txt", "/static/../secret.txt", "/static%2f..%2f..%2fsecret.txt",
                "/inside.txt%00.png", "/%c0%ae%c0%ae/secret.txt", "/escape/", "/static/outside/")) {
            StaticSite.Lookup lookup = site.lookup(path);
            assertTrue(lookup == StaticSite.Outcome.REFUSED || lookup == StaticSite.Outcome.MISSING,
                    printable(path) + " gave " + lookup);
        }
        assertEquals(StaticSite.Outcome.MISSING, site.lookup("/.hidden"));
    }

    private static String randomPath(Random random) {
        StringBuilder path = new StringBuilder(random.nextInt(4) == 0 ? "/static/" : "/");
        int pieces = 1 + random.nextInt(8);
        for (int i = 0; i < pieces; i++) {
            path.append(PIECES[random.nextInt(PIECES.length)]);
            if (random.nextBoolean()) {
                path.append('/');
            }
        }
        return path.toString();
    }

    private static String printable(String s) {
        List<String> out = new ArrayList<>();
        s.chars().forEach(c -> out.add(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return String.join("", out);
    }
}
