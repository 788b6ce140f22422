package cloud.hop3.core.impl.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import cloud.hop3.api.process.LogChunk;

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
                logs.tail(SHOP, 100).lines());
        assertEquals(List.of("web.1 | w2", "web.2 | x1"), logs.tail(SHOP, 2).lines());
        assertEquals(List.of(), logs.tail(SHOP, 0).lines());
    }

    @Test
    void aShortLiveLogIsCompletedFromItsLastRotatedFile() throws IOException {
        AppLogs logs = new AppLogs(apps);
        Path web = write(logs.file(SHOP, "web", 1), "new\n", 10);
        Files.writeString(LogRotator.rotated(web, 1), "a\nb\nc\n");
        Files.writeString(LogRotator.rotated(web, 2), "older\n");

        assertEquals(List.of("web.1 | b", "web.1 | c", "web.1 | new"), logs.tail(SHOP, 3).lines());
    }

    @Test
    void anAppWithoutLogsHasNoLines() {
        assertEquals(List.of(), new AppLogs(apps).tail(SHOP, 10).lines());
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

    @Test
    void followingShowsEveryNewLineOnceEvenWhenLinesRepeat() throws IOException {
        AppLogs logs = new AppLogs(apps);
        Path web = write(logs.file(SHOP, "web", 1), "ping\nping\n", 10);
        LogChunk start = logs.tail(SHOP, 10);
        assertEquals(List.of("web.1 | ping", "web.1 | ping"), start.lines());

        append(web, "ping\nping\nping\n");
        LogChunk next = logs.read(SHOP, start.next(), 100);

        assertEquals(List.of("web.1 | ping", "web.1 | ping", "web.1 | ping"), next.lines());
        LogChunk none = logs.read(SHOP, next.next(), 100);
        assertEquals(List.of(), none.lines());
        assertEquals(next.next(), none.next(), "nothing new keeps the position");
    }

    @Test
    void nothingIsLostOrRepeatedAcrossRotations() throws IOException {
        AppLogs logs = new AppLogs(apps);
        Path web = write(logs.file(SHOP, "web", 1), numbered(1, 5), 10);
        LogRotator rotator = new LogRotator(10, 3);
        LogChunk start = logs.tail(SHOP, 5);
        String behind = start.next();

        append(web, numbered(6, 10));
        assertTrue(logs.rotate(rotator, web));
        append(web, numbered(11, 12));
        LogChunk next = logs.read(SHOP, behind, 100);

        assertEquals(prefixed(6, 12), next.lines());
        append(web, numbered(13, 20));
        assertTrue(logs.rotate(rotator, web));
        append(web, numbered(21, 21));
        assertEquals(prefixed(13, 21), logs.read(SHOP, next.next(), 100).lines(), "continued from the rotated file");
        assertEquals(prefixed(6, 21), logs.read(SHOP, behind, 100).lines(), "two rotations behind");
        assertEquals(prefixed(17, 21), logs.tail(SHOP, 5).lines());
    }

    @Test
    void aReaderBehindWhatRotationKeptContinuesFromTheOldestLineKept() throws IOException {
        AppLogs logs = new AppLogs(apps);
        Path web = write(logs.file(SHOP, "web", 1), numbered(1, 3), 10);
        LogRotator truncating = new LogRotator(5, 0);
        String start = logs.tail(SHOP, 1).next();

        append(web, numbered(4, 6));
        assertTrue(logs.rotate(truncating, web));
        append(web, numbered(7, 8));

        assertEquals(prefixed(7, 8), logs.read(SHOP, start, 100).lines(), "4 to 6 are gone; nothing is repeated");
    }

    @Test
    void aTailOfNoLinesFollowsFromTheEnd() throws IOException {
        AppLogs logs = new AppLogs(apps);
        Path web = write(logs.file(SHOP, "web", 1), "old\n", 10);
        LogChunk start = logs.tail(SHOP, 0);
        assertEquals(List.of(), start.lines());

        append(web, "new\n");

        assertEquals(List.of("web.1 | new"), logs.read(SHOP, start.next(), 10).lines());
    }

    @Test
    void aLineIsReadOnceItIsComplete() throws IOException {
        AppLogs logs = new AppLogs(apps);
        Path web = write(logs.file(SHOP, "web", 1), "first\nhal", 10);
        LogChunk start = logs.tail(SHOP, 10);
        assertEquals(List.of("web.1 | first"), start.lines());

        append(web, "f\n");

        assertEquals(List.of("web.1 | half"), logs.read(SHOP, start.next(), 10).lines());
    }

    @Test
    void aReadGivesAtMostMaxLinesAndTheNextOneContinues() throws IOException {
        AppLogs logs = new AppLogs(apps);
        write(logs.file(SHOP, "web", 1), numbered(1, 5), 10);
        LogChunk first = logs.read(SHOP, "", 2);
        assertEquals(prefixed(1, 2), first.lines());
        assertEquals(prefixed(3, 5), logs.read(SHOP, first.next(), 10).lines());
    }

    @Test
    void aProcessStartedAfterTheCursorIsReadFromItsStart() throws IOException {
        AppLogs logs = new AppLogs(apps);
        write(logs.file(SHOP, "web", 1), "w\n", 10);
        LogChunk start = logs.tail(SHOP, 10);
        write(logs.file(SHOP, "worker", 1), "k1\nk2\n", 20);

        assertEquals(List.of("worker.1 | k1", "worker.1 | k2"), logs.read(SHOP, start.next(), 10).lines());
    }

    @Test
    void aPositionThatIsNoneIsRefused() {
        AppLogs logs = new AppLogs(apps);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> logs.read(SHOP, "web.1=../x", 10));
        assertTrue(e.getMessage().contains("Not a log position"), e.getMessage());
    }

    private static String numbered(int from, int to) {
        StringBuilder text = new StringBuilder();
        for (int i = from; i <= to; i++) {
            text.append("line ").append(i).append('\n');
        }
        return text.toString();
    }

    private static List<String> prefixed(int from, int to) {
        return numbered(from, to).lines().map(l -> "web.1 | " + l).toList();
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, java.nio.file.StandardOpenOption.APPEND);
    }

    private static Path write(Path file, String content, long epochSecond) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(1_700_000_000L + epochSecond)));
        return file;
    }
}
