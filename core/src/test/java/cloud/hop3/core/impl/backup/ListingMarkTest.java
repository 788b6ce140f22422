package cloud.hop3.core.impl.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a listing mark sees without reading a file, and when it declines to mark. */
class ListingMarkTest {

    @TempDir
    Path root;

    @BeforeEach
    void tree() throws Exception {
        Files.createDirectories(root.resolve("uploads"));
        Files.writeString(root.resolve("uploads/a.txt"), "hello");
        Files.writeString(root.resolve("b.bin"), "12345678");
        Files.createSymbolicLink(root.resolve("latest"), Path.of("uploads/a.txt"));
    }

    /** The mark as a backup a little later would read it (the tree has settled by then). */
    private Optional<String> later() throws Exception {
        return ListingMark.of(root, Instant.now().plus(ListingMark.SETTLING).plusSeconds(1));
    }

    @Test
    void anUnchangedTreeHasTheSameMarkAndReadingItChangesNothing() throws Exception {
        String first = later().orElseThrow();
        assertEquals("hello", Files.readString(root.resolve("uploads/a.txt")));
        assertEquals(first, later().orElseThrow());
    }

    @Test
    void aTreeChangedWithinTheSettlingTimeHasNoMark() throws Exception {
        assertEquals(Optional.empty(), ListingMark.of(root, Instant.now()), "its files were just written");
        assertTrue(later().isPresent());
    }

    @Test
    void aContentChangeOfTheSameSizeWithTheModificationTimeSetBackMovesTheMark() throws Exception {
        String first = later().orElseThrow();
        Path b = root.resolve("b.bin");
        FileTime modified = Files.getLastModifiedTime(b);
        Files.writeString(b, "87654321");
        Files.setLastModifiedTime(b, modified);
        assertEquals(8, Files.size(b));
        assertNotEquals(first, later().orElseThrow());
    }

    @Test
    void modesLinksRenamesNewAndRemovedFilesMoveTheMark() throws Exception {
        String mark = later().orElseThrow();
        Files.setPosixFilePermissions(root.resolve("b.bin"), PosixFilePermissions.fromString("rw-------"));
        mark = moved(mark);
        Files.delete(root.resolve("latest"));
        Files.createSymbolicLink(root.resolve("latest"), Path.of("b.bin"));
        mark = moved(mark);
        Path replacement = root.resolve("uploads/.a.txt.tmp");
        Files.writeString(replacement, "hullo");
        Files.move(replacement, root.resolve("uploads/a.txt"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        mark = moved(mark);
        Files.createDirectories(root.resolve("empty"));
        mark = moved(mark);
        Files.delete(root.resolve("empty"));
        moved(mark);
    }

    private String moved(String before) throws Exception {
        String after = later().orElseThrow();
        assertNotEquals(before, after);
        return after;
    }
}
