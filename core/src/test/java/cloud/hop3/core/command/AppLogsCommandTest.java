package cloud.hop3.core.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cloud.hop3.api.app.AppService;
import cloud.hop3.api.process.LogChunk;

/** app:logs -f follows the output from where the last read ended, so it shows every line once. */
class AppLogsCommandTest {

    private final AllowEverything access = new AllowEverything();

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
        Thread.interrupted();
    }

    /**
     * An app service whose tail is {@code tail} and whose reads give {@code reads} in turn; each
     * read records the position it was asked for, and the platform "stops" (the caller is
     * interrupted, as Ctrl-C does) when the reads are used up.
     */
    private static AppService logs(LogChunk tail, Deque<LogChunk> reads, List<String> askedFrom) {
        return (AppService) Proxy.newProxyInstance(AppService.class.getClassLoader(), new Class<?>[] {AppService.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "tail" -> tail;
                    case "logs" -> {
                        askedFrom.add((String) args[1]);
                        if (reads.isEmpty()) {
                            Thread.currentThread().interrupt();
                            yield new LogChunk(List.of(), (String) args[1]);
                        }
                        yield reads.poll();
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void followingPrintsRepeatedLinesEachTimeTheyAreWritten() {
        Deque<LogChunk> reads = new ArrayDeque<>(List.of(
                new LogChunk(List.of("web.1 | ping", "web.1 | ping"), "web.1:20"),
                new LogChunk(List.of(), "web.1:20"),
                new LogChunk(List.of("web.1 | ping"), "web.1:25")));
        List<String> askedFrom = new ArrayList<>();
        AppLogsCommand command = new AppLogsCommand(logs(new LogChunk(List.of("web.1 | ping"), "web.1:10"), reads, askedFrom),
                "shop", 1, true);
        command.checkedBy(access);

        assertThrows(InterruptedException.class, command::execute, "Ctrl-C ends -f");

        assertEquals(List.of("web.1 | ping", "web.1 | ping", "web.1 | ping", "web.1 | ping"),
                out.toString(StandardCharsets.UTF_8).lines().toList());
        assertEquals(List.of("web.1:10", "web.1:20", "web.1:20", "web.1:25"), askedFrom, "each read continues the last one");
    }

    @Test
    void withoutFollowOnlyTheTailIsPrinted() throws Exception {
        List<String> askedFrom = new ArrayList<>();
        new AppLogsCommand(logs(new LogChunk(List.of("web.1 | a", "web.1 | b"), "web.1:4"), new ArrayDeque<>(), askedFrom),
                "shop", 2, false).checkedBy(access).execute();

        assertEquals(List.of("web.1 | a", "web.1 | b"), out.toString(StandardCharsets.UTF_8).lines().toList());
        assertEquals(List.of(), askedFrom);
        assertEquals(List.of("READ shop"), access.asked, "the command asked to read its app");
    }
}
