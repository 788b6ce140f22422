package cloud.hop3.api.metrics;

import java.time.Instant;

/**
 * One minute of the platform itself.
 *
 * @param minute              the start of the minute (UTC)
 * @param heapUsedBytes       the JVM's heap in use at the end of the minute, in bytes
 * @param heapMaxBytes        the largest heap the JVM may use, in bytes
 * @param threads             the JVM's live threads at the end of the minute
 * @param deploys             deploys (pushes, rollbacks, config changes, scalings) that succeeded within the minute
 * @param deployFailures      deploys that failed within the minute
 * @param deploySecondsMax    the longest of those deploys, in seconds (0 when none)
 * @param certificatesFailing apps whose certificate cannot be issued or renewed, at the end of the minute
 * @param backupsFailing      apps whose last backups failed, at the end of the minute
 * @param pluginProblems      plugin choices that do not hold (a configured plugin missing, or refusing its work)
 */
public record PlatformMinute(Instant minute, long heapUsedBytes, long heapMaxBytes, long threads, long deploys,
                             long deployFailures, double deploySecondsMax, long certificatesFailing, long backupsFailing,
                             long pluginProblems) {
}
