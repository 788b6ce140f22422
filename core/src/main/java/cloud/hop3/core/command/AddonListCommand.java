package cloud.hop3.core.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.addon.AddonInfo;
import cloud.hop3.api.addon.AddonService;

@Command(scope = "addon", name = "list", description = "Lists the add-ons with their type, the apps they are attached to and their status.")
@Service
public class AddonListCommand implements Action {

    @Reference
    private AddonService addons;

    @Option(name = "--no-format", description = "Prints plain columns separated by tabs, for scripts.")
    private boolean noFormat;

    /** For Karaf. */
    public AddonListCommand() {
    }

    AddonListCommand(AddonService addons) {
        this.addons = addons;
    }

    @Override
    public Object execute() {
        Table table = new Table("Name", "Type", "Attached to", "Status");
        table.empty("No add-ons: create one with addon:create <type> <name> (addon:types lists the types).");
        for (AddonInfo a : addons.list()) {
            table.row(a.name(), a.type(), AddonInfoCommand.attachments(a),
                    a.status().reachable() ? "up" : a.status().detail());
        }
        table.print(System.out, noFormat);
        return null;
    }
}
