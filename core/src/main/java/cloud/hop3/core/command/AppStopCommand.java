package cloud.hop3.core.command;

import java.util.Optional;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.deploy.DeployService;
import cloud.hop3.core.command.completers.AppNameCompleter;

@Command(scope = "app", name = "stop", description = "Stops an app's processes and routes; it stays stopped until app:start.")
@Service
public class AppStopCommand extends GuardedAction {

    @Reference
    private DeployService deploys;

    @Argument(index = 0, name = "app", required = true, description = "The app's name.")
    @Completion(AppNameCompleter.class)
    private String name;

    @Override
    Permission permission() {
        return Permission.SCALE;
    }

    @Override
    Optional<AppName> app() {
        return Optional.of(AppName.of(name));
    }

    @Override
    Object run() throws Exception {
        deploys.stop(AppName.of(name));
        System.out.println("App " + name + " stopped.");
        return null;
    }
}
