package cloud.hop3.core.command;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.addon.AddonInfo;
import cloud.hop3.api.addon.AddonService;
import cloud.hop3.api.app.AppName;

@Command(scope = "addon", name = "list", description = "Lists the add-ons with their type, the apps they are attached to and their status.")
@Service
public class AddonListCommand extends GuardedAction {

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
    Permission permission() {
        return Permission.READ;
    }

    @Override
    Object run() throws Exception {
        Table table = new Table("Name", "Type", "Attached to", "Status");
        table.empty("No add-ons: create one with addon:create <type> <name> (addon:types lists the types).");
        boolean admin = may(Permission.ADMINISTER, Optional.empty());
        for (AddonInfo all : addons.list()) {
            // a non-admin sees the add-ons attached to apps they may read, and only those attachments
            Map<AppName, String> readable = new TreeMap<>(all.attachments());
            readable.keySet().removeIf(app -> !admin && !mayRead(app));
            if (!admin && readable.isEmpty()) {
                continue;
            }
            AddonInfo a = new AddonInfo(all.name(), all.type(), all.created(), readable, all.status());
            table.row(a.name(), a.type(), AddonInfoCommand.attachments(a),
                    a.status().reachable() ? "up" : a.status().detail());
        }
        table.print(System.out, noFormat);
        return null;
    }
}
