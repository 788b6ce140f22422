package cloud.hop3.plugin.support.accesslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailerTest {

    @TempDir
    Path dir;

    private final List<String> lines = new ArrayList<>();

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private List<String> poll(LogTailer tailer) throws IOException {
        lines.clear();
        tailer.poll(lines::add);
        return List.copyOf(lines);
    }

    @Test
    void aPartialLineWaitsForItsEndAndWhatWasThereBeforeIsSkipped() throws IOException {
        Path log = dir.resolve("access.log");
        append(log, "written before\n");
        try (LogTailer tailer = new LogTailer(log, 1 << 20, 100)) {
            tailer.open();
            assertEquals(List.of(), poll(tailer));
            append(log, "one\ntw");
            assertEquals(List.of("one"), poll(tailer));
            append(log, "o\r\nthree\n");
            assertEquals(List.of("two", "three"), poll(tailer));
            assertEquals(List.of(), poll(tailer));
        }
    }

    @Test
    void aFileCreatedAfterTheFirstPollIsReadFromItsStart() throws IOException {
        Path log = dir.resolve("access.log");
        try (LogTailer tailer = new LogTailer(log, 1 << 20, 100)) {
            assertEquals(List.of(), poll(tailer));
            append(log, "first\n");
            assertEquals(List.of("first"), poll(tailer));
        }
    }

    @Test
    void aRotatedFileIsReadToItsEndThenTheNewOneFromItsStart() throws IOException {
        Path log = dir.resolve("access.log");
        Files.createFile(log);
        try (LogTailer tailer = new LogTailer(log, 1 << 20, 100);
             OutputStream writer = Files.newOutputStream(log, StandardOpenOption.APPEND)) {
            writer.write("a\n".getBytes(StandardCharsets.UTF_8));
            assertEquals(List.of("a"), poll(tailer));
            writer.write("b\nc".getBytes(StandardCharsets.UTF_8));
            Files.move(log, dir.resolve("access.log.1"));
            // the server still writes to the renamed file until it reopens its log
            writer.write("\n".getBytes(StandardCharsets.UTF_8));
            assertEquals(List.of("b", "c"), poll(tailer));
            append(log, "d\n");
            assertEquals(List.of("d"), poll(tailer));
        }
    }

    @Test
    void aFileTruncatedBySomeoneElseIsReadAgainFromItsStart() throws IOException {
        Path log = dir.resolve("access.log");
        Files.createFile(log);
        try (LogTailer tailer = new LogTailer(log, 1 << 20, 100)) {
            append(log, "a long first line\n");
            assertEquals(List.of("a long first line"), poll(tailer));
            Files.writeString(log, "x\n");
            assertEquals(List.of("x"), poll(tailer));
        }
    }

    @Test
    void theTailerTruncatesWhatItReadOnceTheFileIsLargeAndTheWriterAppendsAtTheStart() throws IOException {
        Path log = dir.resolve("access.log");
        Files.createFile(log);
        try (LogTailer tailer = new LogTailer(log, 10, 100);
             OutputStream writer = Files.newOutputStream(log, StandardOpenOption.APPEND)) {
            writer.write("12345\n1234".getBytes(StandardCharsets.UTF_8));
            assertEquals(List.of("12345"), poll(tailer));
            assertEquals(10, Files.size(log), "a partial line is never cut");
            writer.write("\n".getBytes(StandardCharsets.UTF_8));
            assertEquals(List.of("1234"), poll(tailer));
            assertEquals(0, Files.size(log), "read to its end past the limit: truncated");
            writer.write("next\n".getBytes(StandardCharsets.UTF_8));
            assertEquals(List.of("next"), poll(tailer));
            assertEquals(5, Files.size(log));
        }
    }

    @Test
    void bytesZeroAreSkippedAndAnOverlongLineIsDroppedWhole() throws IOException {
        Path log = dir.resolve("access.log");
        Files.createFile(log);
        try (LogTailer tailer = new LogTailer(log, 1 << 20, 8)) {
            Files.write(log, new byte[] {0, 0, 'o', 'k', '\n'});
            assertEquals(List.of("ok"), poll(tailer));
            append(log, "much too long for eight\nshort\n");
            assertEquals(List.of("short"), poll(tailer));
        }
    }

    @Test
    void aNamedPipeIsReadWithoutBlockingAndKeepsNothingOnDisk() throws Exception {
        Path fifo = dir.resolve("access.pipe");
        Process made = new ProcessBuilder("mkfifo", "-m", "600", fifo.toString()).start();
        assertEquals(0, made.waitFor());
        try (LogTailer tailer = new LogTailer(fifo, 10, 100)) {
            tailer.open();
            assertEquals(List.of(), poll(tailer), "an empty pipe: nothing, at once");
            // a writer opens it without waiting: the tailer holds it open
            try (OutputStream writer = Files.newOutputStream(fifo, StandardOpenOption.WRITE)) {
                writer.write("one\ntw".getBytes(StandardCharsets.UTF_8));
                writer.flush();
                assertEquals(List.of("one"), poll(tailer));
                writer.write("o\n".getBytes(StandardCharsets.UTF_8));
            }
            assertEquals(List.of("two"), poll(tailer));
            assertTrue(Files.isRegularFile(fifo) == false && Files.exists(fifo));
        }
    }
}
