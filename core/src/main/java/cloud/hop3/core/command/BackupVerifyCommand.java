package cloud.hop3.core.command;

import java.util.Optional;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.access.Permission;
import cloud.hop3.api.backup.BackupInfo;
import cloud.hop3.api.backup.BackupService;

/** Reads a backup back from its store and checks every part; a failure is an error that names the part. */
@Command(scope = "backup", name = "verify", description = "Reads every part of a backup back from the store and checks its size and SHA-256.")
@Service
public class BackupVerifyCommand extends BackupAction {

    /** For Karaf. */
    public BackupVerifyCommand() {
    }

    BackupVerifyCommand(BackupService backups, String id) {
        super(backups, id);
    }

    @Override
    Permission permission() {
        return Permission.READ;
    }

    @Override
    Optional<AppName> app() throws Exception {
        return Optional.of(backups.info(backup()).manifest().app());
    }

    @Override
    Object run() throws Exception {
        BackupInfo info = backups.verify(backup());
        System.out.println("Backup " + info.manifest().id() + " verified: " + info.manifest().parts().size()
                + " parts, " + BackupListCommand.size(info.manifest().size()) + ", every SHA-256 matches.");
        return null;
    }
}
