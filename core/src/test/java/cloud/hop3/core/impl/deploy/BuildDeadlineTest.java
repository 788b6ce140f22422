package cloud.hop3.core.impl.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cloud.hop3.api.deploy.DeployException;

class BuildDeadlineTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void theAppsConfigVarSetsTheLimitInSecondsMinutesOrHours() throws DeployException {
        Duration platform = Duration.ofMinutes(15);
        assertEquals(platform, BuildDeadline.limit(null, platform));
        assertEquals(platform, BuildDeadline.limit(" ", platform));
        assertEquals(Duration.ofSeconds(90), BuildDeadline.limit("90", platform));
        assertEquals(Duration.ofSeconds(5), BuildDeadline.limit("5s", platform));
        assertEquals(Duration.ofMinutes(30), BuildDeadline.limit("30m", platform));
        assertEquals(Duration.ofMinutes(30), BuildDeadline.limit("30 min", platform));
        assertEquals(Duration.ofHours(2), BuildDeadline.limit("2H", platform));
    }

    @Test
    void aLimitThatIsNotADurationIsRefusedWithTheVariableNamed() {
        for (String bad : new String[] {"0", "-5", "abc", "5d", "25h", "1.5m", "9999999"}) {
            DeployException e = assertThrows(DeployException.class, () -> BuildDeadline.limit(bad, Duration.ofMinutes(15)), bad);
            assertTrue(e.getMessage().startsWith("The config var HOP3_BUILD_TIMEOUT='" + bad + "' is not a build time limit"),
                    e.getMessage());
        }
    }

    @Test
    void aBuildThatOutlivesItsLimitIsInterruptedAndReported() {
        long t0 = System.nanoTime();
        BuildDeadline deadline = BuildDeadline.start(Duration.ofMillis(200), timer);
        assertThrows(InterruptedException.class, () -> Thread.sleep(10_000));
        assertTrue(deadline.passed());
        deadline.close();
        long millis = (System.nanoTime() - t0) / 1_000_000;

        assertTrue(millis >= 190 && millis < 5_000, "interrupted after " + millis + " ms");
        assertFalse(Thread.currentThread().isInterrupted());
        String message = deadline.expired().getMessage();
        assertTrue(message.startsWith("The build did not finish within ") && message.contains("HOP3_BUILD_TIMEOUT=30m"),
                message);
    }

    @Test
    void aBuildThatEndsInTimeIsNeverInterruptedLater() throws InterruptedException {
        BuildDeadline deadline = BuildDeadline.start(Duration.ofMillis(100), timer);
        deadline.close();
        Thread.sleep(300);

        assertFalse(deadline.passed());
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void aBuildWhoseBuilderGoesAwayIsInterruptedAndSaysSo() throws InterruptedException {
        BuildDeadline deadline = BuildDeadline.start(Duration.ofMinutes(15), timer);
        Thread remover = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            deadline.builderGone();
        });
        remover.start();

        assertThrows(InterruptedException.class, () -> Thread.sleep(10_000));
        deadline.close();
        remover.join();

        assertTrue(deadline.lostItsBuilder());
        assertFalse(deadline.passed());
        assertFalse(Thread.currentThread().isInterrupted(), "the interrupt was for the build only");
    }

    @Test
    void aBuilderThatGoesAwayAfterTheBuildInterruptsNothing() throws InterruptedException {
        BuildDeadline deadline = BuildDeadline.start(Duration.ofMinutes(15), timer);
        deadline.close();
        deadline.builderGone();

        assertFalse(deadline.lostItsBuilder());
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void theLimitIsShownInWords() {
        assertEquals("15 minutes", BuildDeadline.text(Duration.ofMinutes(15)));
        assertEquals("1 hour", BuildDeadline.text(Duration.ofHours(1)));
        assertEquals("90 seconds", BuildDeadline.text(Duration.ofSeconds(90)));
        assertEquals("1 second", BuildDeadline.text(Duration.ofSeconds(1)));
    }
}
