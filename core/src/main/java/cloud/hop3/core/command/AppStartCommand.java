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

@Command(scope = "app", name = "start", description = "Starts a stopped app.")
@Service
public class AppStartCommand extends GuardedAction {

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
        deploys.start(AppName.of(name), new ShellBuildLog(System.out));
        System.out.println("App " + name + " started.");
        return null;
    }
}
