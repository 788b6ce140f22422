package cloud.hop3.plugin.support.build;

import java.time.Duration;
import java.time.Instant;

import cloud.hop3.api.build.BuildException;

/**
 * The end of a build's time limit, which cuts the timeout of each of its steps: a step may take
 * its own limit (an install timeout of fifteen minutes, say) or what is left of the build's,
 * whichever is shorter.
 */
public final class Deadline {

    /** A step that would get less than this fails at once rather than start. */
    public static final Duration MINIMUM_STEP = Duration.ofSeconds(1);

    private final Instant end;

    private Deadline(Instant end) {
        this.end = end;
    }

    /** The deadline of a build that may take {@code timeout} from now ({@code BuildRequest.timeout()}). */
    public static Deadline after(Duration timeout) {
        return new Deadline(Instant.now().plus(timeout));
    }

    /** A deadline at {@code end}. */
    public static Deadline at(Instant end) {
        return new Deadline(end);
    }

    /**
     * The step's own timeout, cut to what is left of the build's, in whole seconds.
     *
     * @throws BuildException when less than {@link #MINIMUM_STEP} is left
     */
    public Duration within(Duration step) throws BuildException {
        Duration left = Duration.ofSeconds(Duration.between(Instant.now(), end).getSeconds());
        if (left.compareTo(MINIMUM_STEP) < 0) {
            throw new BuildException("The build used up its time limit before it was done.");
        }
        return step.compareTo(left) <= 0 ? step : left;
    }

    @Override
    public String toString() {
        return "deadline " + end;
    }
}
