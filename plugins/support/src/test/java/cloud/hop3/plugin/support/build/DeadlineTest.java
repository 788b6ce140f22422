package cloud.hop3.plugin.support.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.build.BuildException;

class DeadlineTest {

    @Test
    void aStepKeepsItsOwnTimeoutWhenTheBuildHasMoreTimeLeft() throws BuildException {
        assertEquals(Duration.ofMinutes(2), Deadline.after(Duration.ofMinutes(10)).within(Duration.ofMinutes(2)));
    }

    @Test
    void aStepIsCutToWhatIsLeftOfTheBuild() throws BuildException {
        Duration cut = Deadline.after(Duration.ofMinutes(10)).within(Duration.ofMinutes(15));
        assertTrue(cut.compareTo(Duration.ofMinutes(10)) <= 0 && cut.compareTo(Duration.ofMinutes(9)) > 0, cut.toString());
    }

    @Test
    void aBuildWithNoTimeLeftFailsBeforeTheStepStarts() {
        BuildException e = assertThrows(BuildException.class,
                () -> Deadline.at(Instant.now().plusMillis(500)).within(Duration.ofMinutes(1)));
        assertTrue(e.getMessage().contains("time limit"), e.getMessage());
        assertThrows(BuildException.class, () -> Deadline.at(Instant.now().minusSeconds(5)).within(Duration.ofMinutes(1)));
    }
}
