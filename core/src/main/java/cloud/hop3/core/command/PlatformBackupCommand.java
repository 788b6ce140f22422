package cloud.hop3.core.command;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.backup.BackupInfo;
import cloud.hop3.api.backup.BackupService;

/**
 * Backs up the whole platform, so that a lost server comes back on a new one with
 * {@code platform:restore}.
 */
@Command(scope = "platform", name = "backup",
        description = "Takes one backup of every app and of the platform's keys and issuers' state.")
@Service
public class PlatformBackupCommand extends GuardedAction {

    @Reference
    private BackupService backups;

    /** For Karaf. */
    public PlatformBackupCommand() {
    }

    PlatformBackupCommand(BackupService backups) {
        this.backups = backups;
    }

    @Override
    Permission permission() {
        return Permission.ADMINISTER;
    }

    @Override
    Object run() throws Exception {
        BackupInfo info = backups.createPlatform(new ShellBuildLog(System.out));
        System.out.println("Backup " + info.manifest().id() + " of the platform stored in " + info.store() + ": "
                + info.manifest().parts().size() + " parts, " + BackupListCommand.size(info.manifest().size()) + ".");
        System.out.println("On a new installation using the same store: platform:restore " + info.manifest().id());
        return null;
    }
}
