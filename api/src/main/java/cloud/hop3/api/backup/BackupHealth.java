package cloud.hop3.api.backup;

import java.time.Instant;
import java.util.Optional;

import cloud.hop3.api.app.AppName;

/**
 * How an app's backups stand, for {@code app:info}, {@code backup:list} and the dashboard: a
 * failure is shown until a backup succeeds again.
 *
 * @param app          the app
 * @param schedule     its schedule, if it has one
 * @param lastGood     when its newest good backup was taken
 * @param failures     failed backups since then
 * @param lastFailure  the reason of the newest failure, if {@code failures > 0}
 * @param nextRun      when the schedule runs next
 * @param lastCheck    the newest restore check of any of its backups, if one ran
 */
public record BackupHealth(AppName app, Optional<BackupSchedule> schedule, Optional<Instant> lastGood,
        int failures, Optional<String> lastFailure, Optional<Instant> nextRun,
        Optional<BackupInfo.RestoreCheck> lastCheck) {
}
