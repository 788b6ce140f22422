package cloud.hop3.core.impl.process;

import java.time.Duration;

/**
 * When a crashed process is restarted. The delay doubles with each crash in a row, from
 * {@code firstDelay} up to {@code maxDelay}; a process that ran for {@code stableAfter} starts
 * again from {@code firstDelay}. {@code maxCrashes} crashes within {@code crashWindow} are a
 * crash loop: the process is no longer restarted.
 */
public record RestartPolicy(Duration firstDelay, Duration maxDelay, Duration stableAfter, int maxCrashes, Duration crashWindow) {

    /** 0.5 s, 1 s, 2 s, ... up to 30 s; reset after 60 s of running; 5 crashes within 60 s is a loop. */
    public static final RestartPolicy DEFAULT = new RestartPolicy(Duration.ofMillis(500), Duration.ofSeconds(30),
            Duration.ofSeconds(60), 5, Duration.ofSeconds(60));

    public RestartPolicy {
        if (firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0 || maxCrashes < 1) {
            throw new IllegalArgumentException("Invalid restart policy: " + firstDelay + ", " + maxDelay + ", " + maxCrashes);
        }
    }

    /** The delay before restart number {@code streak} in a row (1 for the first). */
    Duration delay(int streak) {
        Duration delay = firstDelay;
        for (int i = 1; i < streak && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }
}
