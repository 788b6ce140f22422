package cloud.hop3.core.impl.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class CrashHistoryTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void theDefaultDelayDoublesFromHalfASecondUpToThirtySeconds() {
        List<Long> millis = new ArrayList<>();
        for (int streak = 1; streak <= 9; streak++) {
            millis.add(RestartPolicy.DEFAULT.delay(streak).toMillis());
        }

        assertEquals(List.of(500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L, 30000L), millis);
        assertEquals(Duration.ofSeconds(30), RestartPolicy.DEFAULT.delay(Integer.MAX_VALUE));
    }

    @Test
    void theFifthCrashWithinAMinuteIsACrashLoop() {
        CrashHistory history = new CrashHistory(RestartPolicy.DEFAULT);
        Instant now = T0;
        List<Optional<Duration>> decisions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Instant started = now;
            now = now.plusSeconds(2);
            decisions.add(history.crashed(started, now));
        }

        assertEquals(List.of(Optional.of(Duration.ofMillis(500)), Optional.of(Duration.ofSeconds(1)),
                Optional.of(Duration.ofSeconds(2)), Optional.of(Duration.ofSeconds(4)), Optional.empty()), decisions);
    }

    @Test
    void crashesSpreadOverMoreThanAMinuteAreNoLoop() {
        CrashHistory history = new CrashHistory(RestartPolicy.DEFAULT);
        Instant now = T0;
        for (int i = 0; i < 20; i++) {
            Instant started = now;
            now = now.plusSeconds(20);
            assertEquals(true, history.crashed(started, now).isPresent(), "crash " + i);
        }
        assertEquals(4, history.recentCrashes(), "crashes exactly a minute old still count");
    }

    @Test
    void aProcessThatRanAMinuteStartsAgainFromTheFirstDelay() {
        CrashHistory history = new CrashHistory(RestartPolicy.DEFAULT);
        history.crashed(T0, T0.plusSeconds(1));
        history.crashed(T0.plusSeconds(2), T0.plusSeconds(3));
        assertEquals(Optional.of(Duration.ofSeconds(2)), history.crashed(T0.plusSeconds(4), T0.plusSeconds(5)));

        assertEquals(Optional.of(Duration.ofMillis(500)), history.crashed(T0.plusSeconds(6), T0.plusSeconds(66)));
    }

    @Test
    void anInvalidPolicyIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new RestartPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(60), 5, Duration.ofSeconds(60)));
        assertThrows(IllegalArgumentException.class,
                () -> new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(60), 0, Duration.ofSeconds(60)));
    }
}
