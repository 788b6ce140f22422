package cloud.hop3.core.impl.process;

import java.time.Duration;

/**
 * The tunables of the local driver.
 *
 * @param restartPolicy    when crashed processes are restarted
 * @param exitPoll         how often processes that are not children of this JVM are checked
 * @param logMaxBytes      size above which a process log is rotated
 * @param logKeep          how many rotated logs are kept per process
 * @param logCheckInterval how often log sizes are checked
 */
public record DriverOptions(RestartPolicy restartPolicy, Duration exitPoll, long logMaxBytes, int logKeep,
                            Duration logCheckInterval) {

    /** The defaults: {@link RestartPolicy#DEFAULT}, 200 ms, 10 MB, 5 files, 10 s. */
    public static final DriverOptions DEFAULT = new DriverOptions(RestartPolicy.DEFAULT, Duration.ofMillis(200),
            10L * 1024 * 1024, 5, Duration.ofSeconds(10));

    DriverOptions withLogRotation(long maxBytes, int keep, Duration interval) {
        return new DriverOptions(restartPolicy, exitPoll, maxBytes, keep, interval);
    }

    DriverOptions withRestartPolicy(RestartPolicy policy) {
        return new DriverOptions(policy, exitPoll, logMaxBytes, logKeep, logCheckInterval);
    }
}
