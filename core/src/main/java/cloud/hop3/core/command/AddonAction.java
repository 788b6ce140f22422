package cloud.hop3.core.command;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

import cloud.hop3.api.addon.AddonName;
import cloud.hop3.api.addon.AddonService;
import cloud.hop3.core.command.completers.AddonNameCompleter;

/** What the commands about one add-on share: the add-on service and the add-on's name, first. */
abstract class AddonAction extends GuardedAction {

    @Reference
    AddonService addons;

    @Argument(index = 0, name = "addon", required = true, description = "The add-on's name.")
    @Completion(AddonNameCompleter.class)
    String name;

    AddonAction() {
    }

    AddonAction(AddonService addons, String name) {
        this.addons = addons;
        this.name = name;
    }

    /** The add-on's name, validated. */
    AddonName addon() {
        return AddonName.of(name);
    }
}
