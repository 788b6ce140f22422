package cloud.hop3.core.command;

import java.util.Optional;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.addon.AddonService;
import cloud.hop3.api.app.AppName;
import cloud.hop3.core.command.completers.AppNameCompleter;

@Command(scope = "addon", name = "attach", description = "Gives an app the add-on's variables (DATABASE_URL...), in a new release without downtime.")
@Service
public class AddonAttachCommand extends AddonAction {

    @Argument(index = 1, name = "app", required = true, description = "The app's name.")
    @Completion(AppNameCompleter.class)
    private String app;

    @Option(name = "-a", aliases = "--as", description = "The variables' prefix when the default one is taken: ANALYTICS gives ANALYTICS_URL.")
    private String prefix;

    /** For Karaf. */
    public AddonAttachCommand() {
    }

    AddonAttachCommand(AddonService addons, String name, String app, String prefix) {
        super(addons, name);
        this.app = app;
        this.prefix = prefix;
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
        addons.attach(addon(), AppName.of(app), Optional.ofNullable(prefix), new ShellBuildLog(System.out));
        String as = addons.info(addon()).attachments().get(AppName.of(app));
        System.out.println("Add-on " + name + " attached to " + app + " as " + as + " (" + as + "_URL).");
        return null;
    }
}
