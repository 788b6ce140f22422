package cloud.hop3.core.impl.process;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/** The recent crashes of one process, and what the {@link RestartPolicy} makes of the next one. Not thread-safe. */
final class CrashHistory {

    private final RestartPolicy policy;
    private final Deque<Instant> recent = new ArrayDeque<>();
    private int streak;

    CrashHistory(RestartPolicy policy) {
        this.policy = policy;
    }

    /**
     * Records a crash.
     *
     * @param started when the process that crashed had started
     * @param now     when it crashed
     * @return the delay before restarting it, or empty when it is in a crash loop
     */
    Optional<Duration> crashed(Instant started, Instant now) {
        if (started != null && Duration.between(started, now).compareTo(policy.stableAfter()) >= 0) {
            streak = 0;
        }
        streak++;
        recent.addLast(now);
        Instant horizon = now.minus(policy.crashWindow());
        while (!recent.isEmpty() && recent.peekFirst().isBefore(horizon)) {
            recent.removeFirst();
        }
        if (recent.size() >= policy.maxCrashes()) {
            return Optional.empty();
        }
        return Optional.of(policy.delay(streak));
    }

    /** How many crashes are within the window. */
    int recentCrashes() {
        return recent.size();
    }
}
