package cloud.hop3.core.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AppLogsCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream original;

    @BeforeEach
    void captureOutput() {
        original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOutput() {
        System.setOut(original);
    }

    private List<String> printed(List<String> before, List<String> now) {
        out.reset();
        AppLogsCommand.printNew(before, now);
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void printsOnlyTheLinesAfterWhatWasShown() {
        assertEquals(List.of("d", "e"), printed(List.of("a", "b", "c"), List.of("b", "c", "d", "e")));
    }

    @Test
    void aFullWindowThatMovedOnPrintsTheNewTail() {
        assertEquals(List.of("d", "e"), printed(List.of("a", "b", "c"), List.of("c", "d", "e")));
    }

    @Test
    void nothingNewPrintsNothing() {
        assertEquals(List.of(), printed(List.of("a", "b"), List.of("a", "b")));
        assertEquals(List.of(), printed(List.of(), List.of()));
    }

    @Test
    void theFirstLinesOfAnEmptyLogAreAllPrinted() {
        assertEquals(List.of("started", "listening"), printed(List.of(), List.of("started", "listening")));
    }

    @Test
    void withoutOverlapEverythingIsPrinted() {
        assertEquals(List.of("x", "y"), printed(List.of("a", "b", "c"), List.of("x", "y")));
    }

    @Test
    void theLongestOverlapIsUsedSoRepeatedLinesAreNotPrintedTwice() {
        assertEquals(List.of("c"), printed(List.of("a", "b", "a", "b"), List.of("a", "b", "a", "b", "c")));
        assertEquals(List.of("c"), printed(List.of("a", "b", "a", "b"), List.of("a", "b", "c")));
        assertEquals(List.of("ping"), printed(List.of("ping", "ping"), List.of("ping", "ping", "ping")));
    }

    @Test
    void aLogThatBecameShorterIsPrintedFromTheOverlap() {
        assertEquals(List.of("d"), printed(List.of("a", "b", "c"), List.of("c", "d")));
    }
}
