package cloud.hop3.core.command;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.addon.AddonInfo;
import cloud.hop3.api.addon.AddonName;
import cloud.hop3.api.addon.AddonService;
import cloud.hop3.core.command.completers.AddonTypeCompleter;

@Command(scope = "addon", name = "create", description = "Creates an add-on: a database of its own, with its own user and password.")
@Service
public class AddonCreateCommand extends GuardedAction {

    @Reference
    private AddonService addons;

    @Argument(index = 0, name = "type", required = true, description = "The add-on type, as addon:types lists them (postgres).")
    @Completion(AddonTypeCompleter.class)
    private String type;

    @Argument(index = 1, name = "name", required = true, description = "The add-on's name (shop-db).")
    private String name;

    @Option(name = "-v", aliases = "--version", description = "The server version, where the plugin offers several.")
    private String version;

    @Option(name = "-o", aliases = "--option", multiValued = true, description = "A plugin option, as key=value.")
    private List<String> options;

    /** For Karaf. */
    public AddonCreateCommand() {
    }

    AddonCreateCommand(AddonService addons, String type, String name, String version, List<String> options) {
        this.addons = addons;
        this.type = type;
        this.name = name;
        this.version = version;
        this.options = options;
    }

    @Override
    Permission permission() {
        return Permission.ADDONS;
    }

    @Override
    Object run() throws Exception {
        AddonName addon = AddonName.of(name);
        Map<String, String> given = new LinkedHashMap<>();
        for (String o : options == null ? List.<String>of() : options) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("'" + o + "' is not key=value.");
            }
            given.put(o.substring(0, eq), o.substring(eq + 1));
        }
        if (version != null) {
            given.put("version", version);
        }
        AddonInfo info = addons.create(type, addon, given);
        System.out.println("Add-on " + info.name() + " (" + info.type() + ") created; attach it with addon:attach "
                + info.name() + " <app>.");
        return null;
    }
}
