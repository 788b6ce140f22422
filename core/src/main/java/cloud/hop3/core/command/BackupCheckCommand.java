package cloud.hop3.core.command;

import java.util.Optional;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.access.Permission;
import cloud.hop3.api.backup.BackupInfo;
import cloud.hop3.api.backup.BackupService;

/**
 * Restores a backup into scratch add-ons and a scratch folder and compares what comes back with
 * what was recorded when it was taken; a failed check is an error that names the first difference.
 */
@Command(scope = "backup", name = "check", description = "Restores a backup into scratch databases and a scratch folder,"
        + " and compares row and key counts, files and refs with what was recorded when it was taken.")
@Service
public class BackupCheckCommand extends BackupAction {

    /** For Karaf. */
    public BackupCheckCommand() {
    }

    BackupCheckCommand(BackupService backups, String id) {
        super(backups, id);
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
        BackupInfo info = backups.check(backup());
        BackupInfo.RestoreCheck c = info.check().orElseThrow();
        if (!c.passed()) {
            throw new IllegalStateException("Backup " + info.manifest().id() + " FAILED its restore check: " + c.detail());
        }
        System.out.println("Backup " + info.manifest().id() + " passed its restore check: " + c.detail());
        return null;
    }
}
