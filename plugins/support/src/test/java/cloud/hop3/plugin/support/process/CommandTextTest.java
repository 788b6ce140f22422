package cloud.hop3.plugin.support.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandTextTest {

    @Test
    void plainArgumentsAreShownAsTheyAre() {
        assertEquals("npm ci --no-audit --registry=https://r.example/npm/",
                CommandText.shown(List.of("npm", "ci", "--no-audit", "--registry=https://r.example/npm/")));
    }

    @Test
    void otherArgumentsAreQuotedForAShell() {
        assertEquals("sh -c 'echo a; exit 3' '' 'it'\\''s'",
                CommandText.shown(List.of("sh", "-c", "echo a; exit 3", "", "it's")));
    }

    @ParameterizedTest
    @CsvSource({
        "PT15M, 15 minutes",
        "PT1M, 1 minute",
        "PT1H30M, 1 hour 30 minutes",
        "PT2H0M5S, 2 hours 5 seconds",
        "PT1S, 1 second",
        "PT2S, 2 seconds",
        "PT1.5S, 1.5 seconds",
        "PT0.25S, 0.25 seconds",
        "PT90S, 1 minute 30 seconds",
        "PT90.4S, 1 minute 30 seconds",
    })
    void durationsAreWrittenForPeople(Duration duration, String written) {
        assertEquals(written, CommandText.duration(duration));
    }
}
