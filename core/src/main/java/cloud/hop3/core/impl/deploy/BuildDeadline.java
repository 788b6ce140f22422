package cloud.hop3.core.impl.deploy;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cloud.hop3.api.deploy.DeployException;

/**
 * The time limit of one whole build (the builder and the app's own build commands): when it
 * passes, the build thread is interrupted, which stops the running build command and its
 * processes; the build then fails with {@link #expired()}.
 * <p>
 * The build is also stopped when its builder goes away ({@link #builderGone()}). Only the
 * thread that opened the deadline may run under it; {@link #close()} ends it, and a deadline
 * that passed after the build's end interrupts nothing.
 */
final class BuildDeadline implements AutoCloseable {

    /** Config var that sets an app's build time limit. */
    static final String VARIABLE = "HOP3_BUILD_TIMEOUT";
    static final Duration LONGEST = Duration.ofHours(24);

    private static final Pattern AMOUNT = Pattern.compile("([0-9]{1,6})\\s*(s|sec|m|min|h)?");
    private static final int RUNNING = 0;
    private static final int ENDED = 1;
    private static final int EXPIRED = 2;
    private static final int BUILDER_GONE = 3;

    private final Duration limit;
    private final Thread thread;
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private final ScheduledFuture<?> alarm;

    private BuildDeadline(Duration limit, Thread thread, ScheduledExecutorService timer) {
        this.limit = limit;
        this.thread = thread;
        this.alarm = timer.schedule(() -> {
            if (state.compareAndSet(RUNNING, EXPIRED)) {
                thread.interrupt();
            }
        }, limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Starts the deadline of a build that runs on the calling thread. */
    static BuildDeadline start(Duration limit, ScheduledExecutorService timer) {
        return new BuildDeadline(limit, Thread.currentThread(), timer);
    }

    /**
     * The time limit of an app's build: its {@value #VARIABLE} config var (seconds, or a number
     * with {@code s}, {@code m} or {@code h}) when set, else the platform's.
     *
     * @throws DeployException when the config var is not a duration between 1 second and 24 hours
     */
    static Duration limit(String configured, Duration platform) throws DeployException {
        if (configured == null || configured.isBlank()) {
            return platform;
        }
        Matcher m = AMOUNT.matcher(configured.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new DeployException(invalid(configured));
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration limit = switch (unit.charAt(0)) {
            case 'h' -> Duration.ofHours(amount);
            case 'm' -> Duration.ofMinutes(amount);
            default -> Duration.ofSeconds(amount);
        };
        if (limit.isZero() || limit.compareTo(LONGEST) > 0) {
            throw new DeployException(invalid(configured));
        }
        return limit;
    }

    private static String invalid(String configured) {
        return "The config var " + VARIABLE + "='" + configured + "' is not a build time limit: give seconds (900),"
                + " or minutes or hours (15m, 1h), at most 24 hours.";
    }

    /** Whether the limit passed before the build ended (the build thread was interrupted for it). */
    boolean passed() {
        return state.get() == EXPIRED;
    }

    /**
     * Stops the build because its builder went away (its bundle stopped): the build thread is
     * interrupted, unless the build already ended or ran out of time.
     */
    void builderGone() {
        if (state.compareAndSet(RUNNING, BUILDER_GONE)) {
            thread.interrupt();
        }
    }

    /** Whether the build was stopped because its builder went away. */
    boolean lostItsBuilder() {
        return state.get() == BUILDER_GONE;
    }

    /** The failure to report for a build that ran out of time. */
    DeployException expired() {
        return new DeployException("The build did not finish within " + text(limit) + " and was stopped."
                + " The app keeps serving its previous release. Raise the limit with the " + VARIABLE
                + " config var (for example " + VARIABLE + "=30m) if the build needs longer.");
    }

    /** Ends the deadline; clears the interrupt it caused, if any. */
    @Override
    public void close() {
        alarm.cancel(false);
        if (!state.compareAndSet(RUNNING, ENDED)) {
            // the alarm fired: the interrupt was meant for the build, not for what comes after it
            Thread.interrupted();
        }
    }

    static String text(Duration d) {
        long s = d.toSeconds();
        if (s % 3600 == 0) {
            return plural(s / 3600, "hour");
        }
        if (s % 60 == 0) {
            return plural(s / 60, "minute");
        }
        return plural(s, "second");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
