package cloud.hop3.core.command;

import java.util.Optional;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.addon.AddonService;
import cloud.hop3.api.app.AppName;
import cloud.hop3.core.command.completers.AppNameCompleter;

@Command(scope = "addon", name = "detach", description = "Removes the add-on's variables from an app, in a new release; the add-on and its data stay.")
@Service
public class AddonDetachCommand extends AddonAction {

    @Argument(index = 1, name = "app", required = true, description = "The app's name.")
    @Completion(AppNameCompleter.class)
    private String app;

    /** For Karaf. */
    public AddonDetachCommand() {
    }

    AddonDetachCommand(AddonService addons, String name, String app) {
        super(addons, name);
        this.app = app;
    }

    @Override
    Permission permission() {
        return Permission.ADDONS;
    }

    @Override
    Optional<AppName> app() {
        return Optional.of(AppName.of(app));
    }

    @Override
    Object run() throws Exception {
        addons.detach(addon(), AppName.of(app), new ShellBuildLog(System.out));
        System.out.println("Add-on " + name + " detached from " + app + "; the add-on and its data are kept.");
        return null;
    }
}
