package cloud.hop3.core.impl.backup;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

import cloud.hop3.api.backup.BackupInfo.RestoreCheck;

import cloud.hop3.api.backup.BackupSchedule;
import cloud.hop3.api.backup.Retention;

/**
 * How an app's backups stand, kept in {@code apps/<app>/backups.json} so that a failure stays
 * shown and a schedule holds across restarts.
 *
 * @param cron        the schedule's five fields; null when the app has no schedule
 * @param keepLast    retention: {@code --keep-last}
 * @param keepDaily   retention: {@code --keep-daily}
 * @param keepWeekly  retention: {@code --keep-weekly}
 * @param keepMonthly retention: {@code --keep-monthly}
 * @param since       when the schedule was set, or when it last ran: its next time is after this
 * @param lastGood    when the newest good backup was taken; null when none was
 * @param failures    failed backups since then
 * @param lastFailure the newest failure's reason; null when none since the last good backup
 * @param checks      the last restore check of each of the app's backups, by backup id; null
 *                    when none ran (and in records written before checks existed)
 */
public record BackupRecord(String cron, int keepLast, int keepDaily, int keepWeekly, int keepMonthly, Instant since,
                           Instant lastGood, int failures, String lastFailure, Map<String, RestoreCheck> checks) {

    static final BackupRecord NONE = new BackupRecord(null, 0, 0, 0, 0, null, null, 0, null, null);

    /** How many checks are kept: the newest, far more than any retention keeps backups. */
    static final int CHECKS_KEPT = 200;

    BackupSchedule schedule() {
        return cron == null ? null : new BackupSchedule(cron, new Retention(keepLast, keepDaily, keepWeekly, keepMonthly));
    }

    BackupRecord scheduled(BackupSchedule s, Instant now) {
        if (s == null) {
            return new BackupRecord(null, 0, 0, 0, 0, null, lastGood, failures, lastFailure, checks);
        }
        Retention r = s.retention();
        return new BackupRecord(s.cron(), r.last(), r.daily(), r.weekly(), r.monthly(), now, lastGood, failures, lastFailure, checks);
    }

    BackupRecord ran(Instant at) {
        return new BackupRecord(cron, keepLast, keepDaily, keepWeekly, keepMonthly, at, lastGood, failures, lastFailure, checks);
    }

    BackupRecord succeeded(Instant at) {
        return new BackupRecord(cron, keepLast, keepDaily, keepWeekly, keepMonthly, since, at, 0, null, checks);
    }

    BackupRecord failed(String reason) {
        return new BackupRecord(cron, keepLast, keepDaily, keepWeekly, keepMonthly, since, lastGood, failures + 1, reason, checks);
    }

    /** The last check of a backup; null when none ran. */
    RestoreCheck check(String backup) {
        return checks == null ? null : checks.get(backup);
    }

    /** With {@code check} as the backup's last check; the oldest checks go beyond {@link #CHECKS_KEPT}. */
    BackupRecord checked(String backup, RestoreCheck check) {
        Map<String, RestoreCheck> next = new LinkedHashMap<>();
        if (checks != null) {
            checks.entrySet().stream().filter(e -> !e.getKey().equals(backup))
                    .sorted(Map.Entry.comparingByValue(Comparator.comparing(RestoreCheck::at)))
                    .skip(Math.max(0, checks.size() - CHECKS_KEPT + 1))
                    .forEach(e -> next.put(e.getKey(), e.getValue()));
        }
        next.put(backup, check);
        return new BackupRecord(cron, keepLast, keepDaily, keepWeekly, keepMonthly, since, lastGood, failures, lastFailure, next);
    }
}
