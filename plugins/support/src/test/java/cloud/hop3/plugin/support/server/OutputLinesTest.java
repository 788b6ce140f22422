package cloud.hop3.plugin.support.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class OutputLinesTest {

    @Test
    void blankLinesAreLeftOutAndOthersStrippedWhateverTheLineEnds() {
        assertEquals(List.of("nginx: [emerg] bad", "second", "third"),
                OutputLines.of("  nginx: [emerg] bad \r\n\n   \nsecond\rthird\n"));
        assertEquals(List.of(), OutputLines.of(""));
    }
}
