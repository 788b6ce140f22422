package cloud.hop3.core.command;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.addon.AddonService;
import cloud.hop3.api.addon.AddonType;

@Command(scope = "addon", name = "types", description = "Lists the add-on types that can be created: the database plugins installed.")
@Service
public class AddonTypesCommand extends GuardedAction {

    @Reference
    private AddonService addons;

    @Option(name = "--no-format", description = "Prints plain columns separated by tabs, for scripts.")
    private boolean noFormat;

    /** For Karaf. */
    public AddonTypesCommand() {
    }

    AddonTypesCommand(AddonService addons) {
        this.addons = addons;
    }

    @Override
    Permission permission() {
        return Permission.READ;
    }

    @Override
    Object run() throws Exception {
        Table table = new Table("Type", "Server", "Plugin");
        table.empty("No database plugin is installed: install one with feature:install, for example hop3-addon-postgres.");
        for (AddonType t : addons.types()) {
            table.row(t.type(), t.description(), t.plugin());
        }
        table.print(System.out, noFormat);
        return null;
    }
}
