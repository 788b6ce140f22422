package cloud.hop3.core.command;

import java.util.Optional;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.backup.BackupSchedule;
import cloud.hop3.api.backup.BackupService;
import cloud.hop3.api.backup.Retention;
import cloud.hop3.core.command.completers.AppNameCompleter;

@Command(scope = "backup", name = "schedule", description = "Backs an app up on a cron schedule (UTC) and keeps the backups the --keep-* counts say.")
@Service
public class BackupScheduleCommand extends GuardedAction {

    @Reference
    private BackupService backups;

    @Option(name = "--keep-last", description = "Keep the newest N backups.")
    private int last;

    @Option(name = "--keep-daily", description = "Keep the newest backup of each of the last N days that have one.")
    private int daily;

    @Option(name = "--keep-weekly", description = "Keep the newest backup of each of the last N weeks that have one.")
    private int weekly;

    @Option(name = "--keep-monthly", description = "Keep the newest backup of each of the last N months that have one.")
    private int monthly;

    @Argument(index = 0, name = "app", required = true, description = "The app's name.")
    @Completion(AppNameCompleter.class)
    private String app;

    @Argument(index = 1, name = "cron", required = true, description = "Five cron fields in quotes, in UTC: '0 3 * * *' is every day at 03:00.")
    private String cron;

    /** For Karaf. */
    public BackupScheduleCommand() {
    }

    BackupScheduleCommand(BackupService backups, String app, String cron, int last, int daily, int weekly, int monthly) {
        this.backups = backups;
        this.app = app;
        this.cron = cron;
        this.last = last;
        this.daily = daily;
        this.weekly = weekly;
        this.monthly = monthly;
    }

    @Override
    Permission permission() {
        return Permission.BACKUPS;
    }

    @Override
    Optional<AppName> app() {
        return Optional.of(AppName.of(app));
    }

    @Override
    Object run() throws Exception {
        AppName name = AppName.of(app);
        BackupSchedule schedule = new BackupSchedule(cron, new Retention(last, daily, weekly, monthly));
        backups.schedule(name, schedule);
        System.out.println("Backups of " + app + ": " + BackupListCommand.health(backups.health(name), java.time.Instant.now()) + ".");
        return null;
    }
}
