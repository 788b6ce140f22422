package cloud.hop3.core.impl.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.app.AppName;

class AppLogsTest {

    private static final AppName SHOP = AppName.of("shop");

    @TempDir
    Path apps;

    @Test
    void filesAreReadInTheOrderTheyWereWrittenWithTheProcessAsPrefix() throws IOException {
        AppLogs logs = new AppLogs(apps);
        Path web = write(logs.file(SHOP, "web", 1), "w1\nw2\n", 20);
        write(logs.file(SHOP, "worker", 1), "k1\nk2\n", 10);
        write(logs.file(SHOP, "web", 2), "x1\n", 30);
        Files.writeString(LogRotator.rotated(web, 1), "old\n");

        assertEquals(List.of("worker.1 | k1", "worker.1 | k2", "web.1 | old", "web.1 | w1", "web.1 | w2", "web.2 | x1"),
                logs.tail(SHOP, 100));
        assertEquals(List.of("web.1 | w2", "web.2 | x1"), logs.tail(SHOP, 2));
        assertEquals(List.of(), logs.tail(SHOP, 0));
    }

    @Test
    void aShortLiveLogIsCompletedFromItsLastRotatedFile() throws IOException {
        AppLogs logs = new AppLogs(apps);
        Path web = write(logs.file(SHOP, "web", 1), "new\n", 10);
        Files.writeString(LogRotator.rotated(web, 1), "a\nb\nc\n");
        Files.writeString(LogRotator.rotated(web, 2), "older\n");

        assertEquals(List.of("web.1 | b", "web.1 | c", "web.1 | new"), logs.tail(SHOP, 3));
    }

    @Test
    void anAppWithoutLogsHasNoLines() {
        assertEquals(List.of(), new AppLogs(apps).tail(SHOP, 10));
    }

    @Test
    void notesAreAppendedAndMarkedAsThePlatforms() throws IOException {
        AppLogs logs = new AppLogs(apps);
        Path web = write(logs.file(SHOP, "web", 1), "app line\n", 10);

        logs.note(web, "web.1 started");

        List<String> lines = Files.readAllLines(web);
        assertEquals("app line", lines.get(0));
        assertTrue(lines.get(1).startsWith("[hop3] ") && lines.get(1).endsWith(" web.1 started"), lines.get(1));
    }

    private static Path write(Path file, String content, long epochSecond) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(1_700_000_000L + epochSecond)));
        return file;
    }
}
