package cloud.hop3.api.backup;

/**
 * When an app is backed up and which backups are kept.
 *
 * @param cron      five cron fields (minute hour day-of-month month day-of-week, UTC), checked by
 *                  core when the schedule is set
 * @param retention what to keep after each good backup
 */
public record BackupSchedule(String cron, Retention retention) {

    public BackupSchedule {
        if (cron == null || cron.isBlank()) {
            throw new IllegalArgumentException("A schedule needs a cron expression such as '0 3 * * *'.");
        }
        if (retention == null) {
            retention = Retention.ALL;
        }
        cron = cron.trim().replaceAll("\\s+", " ");
    }
}
