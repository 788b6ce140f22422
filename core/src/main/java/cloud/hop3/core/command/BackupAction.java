package cloud.hop3.core.command;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

import cloud.hop3.api.backup.BackupId;
import cloud.hop3.api.backup.BackupService;
import cloud.hop3.core.command.completers.BackupIdCompleter;

/** What the commands about one backup share: the backup service and the backup's id, last. */
abstract class BackupAction extends GuardedAction {

    @Reference
    BackupService backups;

    @Argument(index = 0, name = "id", required = true, description = "The backup's id, as backup:list shows it.")
    @Completion(BackupIdCompleter.class)
    String id;

    BackupAction() {
    }

    BackupAction(BackupService backups, String id) {
        this.backups = backups;
        this.id = id;
    }

    /** The backup's id, validated. */
    BackupId backup() {
        return BackupId.of(id);
    }
}
