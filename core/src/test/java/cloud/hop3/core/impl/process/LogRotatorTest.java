package cloud.hop3.core.impl.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogRotatorTest {

    @TempDir
    Path dir;

    @Test
    void aSmallLogIsLeftAlone() throws IOException {
        Path live = Files.writeString(dir.resolve("web.1.log"), "12345");

        assertFalse(new LogRotator(5, 3).rotateIfNeeded(live));
        assertEquals("12345", Files.readString(live));
        assertFalse(new LogRotator(5, 3).rotateIfNeeded(dir.resolve("missing.log")));
    }

    @Test
    void rotationShiftsTheOldFilesKeepsAtMostKeepAndTruncatesInPlace() throws IOException {
        Path live = dir.resolve("web.1.log");
        LogRotator rotator = new LogRotator(3, 3);
        for (String content : new String[] {"first", "second", "third", "fourth", "fifth"}) {
            Files.writeString(live, content);
            Object inode = Files.readAttributes(live, "unix:ino").get("ino");

            assertTrue(rotator.rotateIfNeeded(live));

            assertEquals(0, Files.size(live));
            assertEquals(inode, Files.readAttributes(live, "unix:ino").get("ino"), "the same file, truncated");
        }

        assertEquals("fifth", Files.readString(LogRotator.rotated(live, 1)));
        assertEquals("fourth", Files.readString(LogRotator.rotated(live, 2)));
        assertEquals("third", Files.readString(LogRotator.rotated(live, 3)));
        assertFalse(Files.exists(LogRotator.rotated(live, 4)));
    }

    @Test
    void keepZeroOnlyTruncates() throws IOException {
        Path live = Files.writeString(dir.resolve("web.1.log"), "too long");

        assertTrue(new LogRotator(3, 0).rotateIfNeeded(live));

        assertEquals(0, Files.size(live));
        assertFalse(Files.exists(LogRotator.rotated(live, 1)));
    }

    @Test
    void aSymbolicLinkIsNotRotated() throws IOException {
        Path target = Files.writeString(dir.resolve("app.json"), "{\"state\": \"precious\"}");
        Path link = Files.createSymbolicLink(dir.resolve("web.1.log"), target);

        assertFalse(new LogRotator(3, 2).rotateIfNeeded(link));
        assertEquals("{\"state\": \"precious\"}", Files.readString(target));
    }
}
