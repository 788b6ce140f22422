package cloud.hop3.core.command;

import java.util.Optional;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.backup.BackupService;
import cloud.hop3.core.command.completers.AppNameCompleter;

@Command(scope = "backup", name = "unschedule", description = "Stops an app's scheduled backups; the backups taken stay.")
@Service
public class BackupUnscheduleCommand extends GuardedAction {

    @Reference
    private BackupService backups;

    @Argument(index = 0, name = "app", required = true, description = "The app's name.")
    @Completion(AppNameCompleter.class)
    private String app;

    /** For Karaf. */
    public BackupUnscheduleCommand() {
    }

    BackupUnscheduleCommand(BackupService backups, String app) {
        this.backups = backups;
        this.app = app;
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
        backups.unschedule(AppName.of(app));
        System.out.println("Backups of " + app + " are no longer scheduled; its backups are kept.");
        return null;
    }
}
