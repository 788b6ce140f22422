package cloud.hop3.core.command;

import java.util.Map;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.backup.BackupService;
import cloud.hop3.api.backup.PlatformRestore;

/**
 * Restores a backup of the platform onto this installation: the old keys, push keys, git host
 * key and issuers' state, then every app with new add-ons. Fails (after restoring what it could)
 * when an app could not be restored.
 */
@Command(scope = "platform", name = "restore",
        description = "Restores a backup of the platform (platform:backup) onto this installation, which has none of its apps.")
@Service
public class PlatformRestoreCommand extends BackupAction {

    @Option(name = "--skip-existing", description = "Leaves the apps that exist here as they are and restores the others.")
    private boolean skipExisting;

    /** For Karaf. */
    public PlatformRestoreCommand() {
    }

    PlatformRestoreCommand(BackupService backups, String id, boolean skipExisting) {
        super(backups, id);
        this.skipExisting = skipExisting;
    }

    @Override
    Permission permission() {
        return Permission.ADMINISTER;
    }

    @Override
    Object run() throws Exception {
        PlatformRestore result = backups.restorePlatform(backup(), skipExisting, new ShellBuildLog(System.out));
        result.notes().forEach(note -> System.out.println("- " + note));
        System.out.println("Apps restored: " + (result.restored().isEmpty() ? "none"
                : String.join(" ", result.restored().stream().map(AppName::value).toList())));
        if (!result.complete()) {
            StringBuilder failed = new StringBuilder();
            for (Map.Entry<AppName, String> f : result.failed().entrySet()) {
                failed.append("\n  ").append(f.getKey()).append(": ").append(f.getValue());
            }
            throw new IllegalStateException("Not every app of backup " + id + " came back:" + failed);
        }
        return null;
    }
}
