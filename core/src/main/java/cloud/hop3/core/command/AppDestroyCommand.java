package cloud.hop3.core.command;

import java.util.Optional;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.AppService;
import cloud.hop3.core.command.completers.AppNameCompleter;

@Command(scope = "app", name = "destroy", description = "Stops an app and removes it; its data directory is kept unless --purge.")
@Service
public class AppDestroyCommand extends GuardedAction {

    @Reference
    private AppService apps;

    @Reference
    private Session session;

    @Argument(index = 0, name = "app", required = true, description = "The app's name.")
    @Completion(AppNameCompleter.class)
    private String name;

    @Option(name = "--purge", description = "Also deletes the app's data directory.")
    private boolean purge;

    @Option(name = "-f", aliases = "--force", description = "Destroys without asking.")
    private boolean force;

    @Override
    Permission permission() {
        return Permission.CREATE_DESTROY;
    }

    @Override
    Optional<AppName> app() {
        return Optional.of(AppName.of(name));
    }

    @Override
    Object run() throws Exception {
        AppName app = AppName.of(name);
        if (apps.find(app).isEmpty()) {
            throw new IllegalArgumentException("App '" + app + "' does not exist.");
        }
        String what = purge ? "its releases, repository and data" : "its releases and repository (its data is kept)";
        if (!Confirmation.confirm(session, force, "Destroy app " + app + ", " + what + "?")) {
            System.out.println("Nothing was destroyed.");
            return null;
        }
        apps.destroy(app, purge);
        System.out.println("App " + app + " destroyed" + (purge ? ", with its data." : "; its data directory is kept."));
        return null;
    }
}
