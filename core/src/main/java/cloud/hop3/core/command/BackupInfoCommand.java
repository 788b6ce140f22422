package cloud.hop3.core.command;

import java.util.Optional;
import java.util.Map;
import java.util.TreeMap;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.access.Permission;
import cloud.hop3.api.backup.BackupManifest;
import cloud.hop3.api.backup.BackupPart;
import cloud.hop3.api.backup.BackupService;

@Command(scope = "backup", name = "info", description = "Shows what a backup holds: every part with its size, SHA-256 and attributes, and the versions that made it.")
@Service
public class BackupInfoCommand extends BackupAction {

    /** For Karaf. */
    public BackupInfoCommand() {
    }

    BackupInfoCommand(BackupService backups, String id) {
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
        var info = backups.info(backup());
        BackupManifest m = info.manifest();
        System.out.println("Backup:   " + m.id());
        System.out.println("App:      " + BackupListCommand.subject(m));
        System.out.println("Taken:    " + AppListCommand.TIME.format(m.created()));
        System.out.println("Release:  " + (m.release() == 0 ? "none" : "v" + m.release()));
        System.out.println("Store:    " + info.store());
        System.out.println("Size:     " + BackupListCommand.size(m.size()) + " in " + m.parts().size() + " parts");
        System.out.println("Checked:  " + BackupListCommand.check(info, java.time.Instant.now())
                + info.check().filter(c -> c.passed()).map(c -> " (" + c.detail() + ")").orElse(""));
        System.out.println("Platform: " + m.platform());
        for (Map.Entry<String, String> p : new TreeMap<>(m.plugins()).entrySet()) {
            System.out.println("Plugin:   " + p.getKey() + " " + p.getValue());
        }
        for (BackupPart p : m.parts()) {
            System.out.println("Part:     " + p.name() + "  " + p.size() + " bytes  sha256 " + p.sha256());
            for (Map.Entry<String, String> a : new TreeMap<>(p.attributes()).entrySet()) {
                System.out.println("          " + a.getKey() + " = " + a.getValue());
            }
        }
        return null;
    }
}
