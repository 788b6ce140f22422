package cloud.hop3.core.impl.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {

    @TempDir
    Path dir;

    @Test
    void theLastLinesOldestFirstWithOrWithoutAFinalNewline() throws IOException {
        Path withNewline = Files.writeString(dir.resolve("a.log"), "one\ntwo\nthree\n");
        Path without = Files.writeString(dir.resolve("b.log"), "one\ntwo\nthree");

        assertEquals(List.of("two", "three"), LogTail.lastLines(withNewline, 2));
        assertEquals(List.of("two", "three"), LogTail.lastLines(without, 2));
        assertEquals(List.of("one", "two", "three"), LogTail.lastLines(withNewline, 10));
        assertEquals(List.of(), LogTail.lastLines(withNewline, 0));
    }

    @Test
    void emptyLinesAndCarriageReturnsAreKeptAsLines() throws IOException {
        Path file = Files.writeString(dir.resolve("a.log"), "a\r\n\nb\n");

        assertEquals(List.of("a", "", "b"), LogTail.lastLines(file, 5));
    }

    @Test
    void linesAcrossChunkBoundariesOfALargeFile() throws IOException {
        List<String> lines = new ArrayList<>();
        IntStream.range(0, 20_000).forEach(i -> lines.add("line " + i + " " + "x".repeat(i % 97)));
        Path file = Files.write(dir.resolve("big.log"), lines, StandardCharsets.UTF_8);

        assertEquals(lines.subList(lines.size() - 1234, lines.size()), LogTail.lastLines(file, 1234));
        assertEquals(lines, LogTail.lastLines(file, 50_000));
    }

    @Test
    void aMissingFileOrASymbolicLinkHasNoLines() throws IOException {
        Path target = Files.writeString(dir.resolve("secret"), "do not show\n");
        Path link = Files.createSymbolicLink(dir.resolve("web.1.log"), target);

        assertEquals(List.of(), LogTail.lastLines(dir.resolve("missing.log"), 3));
        assertEquals(List.of(), LogTail.lastLines(link, 3));
    }

    @Test
    void invalidUtf8IsReplacedNotFatal() throws IOException {
        Path file = Files.write(dir.resolve("a.log"), new byte[] {'o', 'k', '\n', (byte) 0xff, 'x', '\n'});

        assertEquals(List.of("ok", "\ufffdx"), LogTail.lastLines(file, 2));
    }
}
