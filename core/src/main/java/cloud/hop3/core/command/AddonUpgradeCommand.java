package cloud.hop3.core.command;

import java.util.Optional;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.addon.AddonInfo;
import cloud.hop3.api.addon.AddonService;

/**
 * Moves an add-on to a new database (of another version), keeping the previous one until the
 * operator has checked the apps: {@code --finish} drops it, {@code --undo} moves the apps back.
 * Nothing is dropped by the upgrade itself, since a major upgrade that goes wrong silently is how
 * data is lost.
 */
@Command(scope = "addon", name = "upgrade", description = "Moves an add-on's data to a new database (another version), keeping the previous one until --finish or --undo.")
@Service
public class AddonUpgradeCommand extends AddonAction {

    @Option(name = "-v", aliases = "--version", description = "The version of the new database; default: the plugin's newest.")
    private String version;

    @Option(name = "--finish", description = "Drops the database the add-on was upgraded from, once the apps work.")
    private boolean finish;

    @Option(name = "--undo", description = "Moves every attached app back to the database the add-on was upgraded from.")
    private boolean undo;

    /** For Karaf. */
    public AddonUpgradeCommand() {
    }

    AddonUpgradeCommand(AddonService addons, String name, String version, boolean finish, boolean undo) {
        super(addons, name);
        this.version = version;
        this.finish = finish;
        this.undo = undo;
    }

    @Override
    Permission permission() {
        return Permission.ADDONS;
    }

    @Override
    Object run() throws Exception {
        if (finish && undo || (finish || undo) && version != null) {
            throw new IllegalArgumentException("Give one of --version, --finish and --undo; nothing was changed.");
        }
        if (finish) {
            addons.finishUpgrade(addon());
            System.out.println("Upgrade of " + name + " finished: the database it was upgraded from is dropped.");
        } else if (undo) {
            addons.undoUpgrade(addon(), new ShellBuildLog(System.out));
            System.out.println("Add-on " + name + " is back in the database it was upgraded from; the new one is dropped.");
        } else {
            addons.upgrade(addon(), Optional.ofNullable(version), new ShellBuildLog(System.out));
            AddonInfo info = addons.info(addon());
            System.out.println("Add-on " + name + " upgraded to " + info.type() + " " + info.status().serverVersion()
                    + "; its apps use the new database. The previous one is kept as it was at the copy: check the apps,"
                    + " then run addon:upgrade --finish " + name + " (drops it), or addon:upgrade --undo " + name
                    + " (moves the apps back).");
        }
        return null;
    }
}
