package cloud.hop3.core.command;

import java.util.Optional;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.access.Permission;
import cloud.hop3.api.backup.BackupService;

/** Deletes a backup; the confirmation is its id typed again, as addon:destroy asks for the name. */
@Command(scope = "backup", name = "delete", description = "Deletes a backup from the store for good.")
@Service
public class BackupDeleteCommand extends BackupAction {

    @Option(name = "-c", aliases = "--confirm", description = "The backup's id again, to confirm that it goes.")
    private String confirm;

    /** For Karaf. */
    public BackupDeleteCommand() {
    }

    BackupDeleteCommand(BackupService backups, String id, String confirm) {
        super(backups, id);
        this.confirm = confirm;
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
        backup();
        if (!id.equals(confirm)) {
            throw new IllegalArgumentException("Deleting backup " + id + " is for good; nothing was deleted. To go on,"
                    + " run: backup:delete --confirm " + id + " " + id);
        }
        backups.delete(backup());
        System.out.println("Backup " + id + " deleted.");
        return null;
    }
}
