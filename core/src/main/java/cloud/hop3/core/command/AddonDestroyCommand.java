package cloud.hop3.core.command;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.addon.AddonService;

/**
 * Drops an add-on and its data. The confirmation is the add-on's name typed again
 * ({@code --confirm shop-db}, as Heroku asks), which a script can give and a slip of the
 * completion cannot.
 */
@Command(scope = "addon", name = "destroy", description = "Drops an add-on and its data for good; refused while it is attached to an app.")
@Service
public class AddonDestroyCommand extends AddonAction {

    @Option(name = "-c", aliases = "--confirm", description = "The add-on's name again, to confirm that its data goes.")
    private String confirm;

    /** For Karaf. */
    public AddonDestroyCommand() {
    }

    AddonDestroyCommand(AddonService addons, String name, String confirm) {
        super(addons, name);
        this.confirm = confirm;
    }

    @Override
    Permission permission() {
        return Permission.ADDONS;
    }

    @Override
    Object run() throws Exception {
        addon();
        if (!name.equals(confirm)) {
            throw new IllegalArgumentException("Destroying add-on " + name + " drops its data for good; nothing was"
                    + " destroyed. To go on, run: addon:destroy --confirm " + name + " " + name);
        }
        addons.destroy(addon());
        System.out.println("Add-on " + name + " destroyed, with its data.");
        return null;
    }
}
