package cloud.hop3.plugin.support.files;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreesTest {

    @TempDir
    Path tmp;

    @Test
    void aTreeGoesAndWhatItsLinksPointAtStays() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("keep.txt"), "keep");
        Path tree = Files.createDirectories(tmp.resolve("tree/a/b"));
        Files.writeString(tree.resolve("f.txt"), "x");
        Files.createSymbolicLink(tmp.resolve("tree/a/to-outside"), outside);
        Files.createSymbolicLink(tmp.resolve("tree/a/to-file"), outside.resolve("keep.txt"));

        Trees.delete(tmp.resolve("tree"));

        assertFalse(Files.exists(tmp.resolve("tree"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.isRegularFile(outside.resolve("keep.txt")));
    }

    @Test
    void aLinkAsTheRootIsRemovedNotFollowedAndAMissingRootIsNothing() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("keep.txt"), "keep");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), outside);

        Trees.delete(link);
        Trees.delete(tmp.resolve("missing"));
        Files.writeString(tmp.resolve("file"), "x");
        Trees.delete(tmp.resolve("file"));

        assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(tmp.resolve("file")));
        assertTrue(Files.isRegularFile(outside.resolve("keep.txt")));
    }
}
