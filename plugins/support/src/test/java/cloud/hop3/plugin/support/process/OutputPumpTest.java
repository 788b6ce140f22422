package cloud.hop3.plugin.support.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class OutputPumpTest {

    private final RecordingBuildLog log = new RecordingBuildLog();

    private OutputPump pump(byte[] bytes) throws InterruptedException {
        OutputPump pump = new OutputPump(new ByteArrayInputStream(bytes), log);
        pump.run();
        assertTrue(pump.awaitEnd(Duration.ZERO));
        return pump;
    }

    private OutputPump pump(String text) throws InterruptedException {
        return pump(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void splitsOnEveryKindOfLineEnd() throws InterruptedException {
        pump("unix\nwindows\r\nprogress 10%\rprogress 100%\n\nlast without newline");

        assertEquals(List.of("unix", "windows", "progress 10%", "progress 100%", "", "last without newline"),
                log.infos());
    }

    @Test
    void splitsVeryLongLines() throws InterruptedException {
        pump("x".repeat(OutputPump.MAX_LINE_CHARS * 2 + 3) + "\nafter\n");

        assertEquals(List.of("x".repeat(OutputPump.MAX_LINE_CHARS), "x".repeat(OutputPump.MAX_LINE_CHARS), "xxx",
                "after"), log.infos());
    }

    @Test
    void decodesUtf8AndReplacesMalformedBytes() throws InterruptedException {
        byte[] text = "café ".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[text.length + 2];
        System.arraycopy(text, 0, bytes, 0, text.length);
        bytes[text.length] = (byte) 0xff;
        bytes[text.length + 1] = '\n';

        pump(bytes);

        assertEquals(List.of("café \uFFFD"), log.infos());
    }

    @Test
    void keepsTheLastFortyNonBlankLines() throws InterruptedException {
        String text = IntStream.rangeClosed(1, 45).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining());

        OutputPump pump = pump(text);

        assertEquals(IntStream.rangeClosed(6, 45).mapToObj(i -> "line " + i).collect(Collectors.toList()), pump.tail());
        assertEquals(45, log.infos().size());
    }

    @Test
    void keepsOneBlankLineWhereBlankLinesEndedABlock() throws InterruptedException {
        String text = IntStream.rangeClosed(1, 45).mapToObj(i -> "line " + i + "\n\n \n").collect(Collectors.joining());

        OutputPump pump = pump(text);

        List<String> expected = IntStream.rangeClosed(6, 45).mapToObj(i -> List.of("line " + i, ""))
                .flatMap(List::stream).collect(Collectors.toList());
        assertEquals(expected.subList(0, expected.size() - 1), pump.tail(), "the tail's last blank line is dropped");
        assertEquals(135, log.infos().size());
    }

    @Test
    void keepsDrainingWhenTheLogFails() throws InterruptedException {
        OutputPump pump = new OutputPump(new ByteArrayInputStream("a\nb\nc\n".getBytes(StandardCharsets.UTF_8)),
                new RecordingBuildLog(line -> {
                    throw new IllegalStateException("log closed");
                }));

        pump.run();

        assertTrue(pump.awaitEnd(Duration.ZERO));
        assertEquals(List.of("a", "b", "c"), pump.tail());
    }
}
