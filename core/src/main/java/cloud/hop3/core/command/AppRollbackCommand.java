package cloud.hop3.core.command;

import java.util.Optional;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.Release;
import cloud.hop3.api.deploy.DeployService;
import cloud.hop3.core.command.completers.AppNameCompleter;

@Command(scope = "app", name = "rollback", description = "Goes back to an earlier release without rebuilding: the previous one, or release N.")
@Service
public class AppRollbackCommand extends GuardedAction {

    @Reference
    private DeployService deploys;

    @Argument(index = 0, name = "app", required = true, description = "The app's name.")
    @Completion(AppNameCompleter.class)
    private String name;

    @Argument(index = 1, name = "release", description = "The release number to go back to (as app:releases shows, with or without v).")
    private String release;

    @Override
    Permission permission() {
        return Permission.ROLLBACK;
    }

    @Override
    Optional<AppName> app() {
        return Optional.of(AppName.of(name));
    }

    @Override
    Object run() throws Exception {
        Release made = deploys.rollback(AppName.of(name), releaseNumber(release), new ShellBuildLog(System.out));
        System.out.println("App " + name + ": " + made.reason() + ", now v" + made.number() + ".");
        return null;
    }
}
