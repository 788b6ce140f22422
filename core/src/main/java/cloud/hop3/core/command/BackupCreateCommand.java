package cloud.hop3.core.command;

import java.util.Optional;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.backup.BackupInfo;
import cloud.hop3.api.backup.BackupService;
import cloud.hop3.core.command.completers.AppNameCompleter;

@Command(scope = "backup", name = "create", description = "Takes a backup of an app: its repository, config, data directory and a dump of each attached add-on.")
@Service
public class BackupCreateCommand extends GuardedAction {

    @Reference
    private BackupService backups;

    @Argument(index = 0, name = "app", required = true, description = "The app's name.")
    @Completion(AppNameCompleter.class)
    private String app;

    /** For Karaf. */
    public BackupCreateCommand() {
    }

    BackupCreateCommand(BackupService backups, String app) {
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
        BackupInfo info = backups.create(AppName.of(app), new ShellBuildLog(System.out));
        System.out.println("Backup " + info.manifest().id() + " of " + app + " stored in " + info.store() + ": "
                + info.manifest().parts().size() + " parts, " + BackupListCommand.size(info.manifest().size()) + ".");
        return null;
    }
}
