package cloud.hop3.core.command;

import java.util.Optional;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.backup.BackupService;

@Command(scope = "backup", name = "restore", description = "Restores a backup onto its app, or with --to as a new app with add-ons of its own, and deploys it.")
@Service
public class BackupRestoreCommand extends BackupAction {

    @Option(name = "-t", aliases = "--to", description = "A new app to restore into, leaving the original untouched.")
    private String to;

    /** For Karaf. */
    public BackupRestoreCommand() {
    }

    BackupRestoreCommand(BackupService backups, String id, String to) {
        super(backups, id);
        this.to = to;
    }

    @Override
    Permission permission() {
        return Permission.BACKUPS;
    }

    @Override
    Optional<AppName> app() throws Exception {
        return Optional.of(backups.info(backup()).manifest().app());
    }

    @Override
    Object run() throws Exception {
        Optional<AppName> target = Optional.ofNullable(to).map(AppName::of);
        if (target.isPresent()) {
            access.check(Permission.BACKUPS, target);
        }
        AppName restored = backups.restore(backup(), target, new ShellBuildLog(System.out));
        System.out.println("Backup " + id + " restored into " + restored + ".");
        return null;
    }
}
